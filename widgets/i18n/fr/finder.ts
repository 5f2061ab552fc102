import { str } from '../str.ts';
import type { TemplateMap } from '../str.ts';

/** French: pf-finder (its name search; the BIB and selfie tabs use their own elements' strings). */
export const finder: TemplateMap = {
  'finder.gallery-label': str`Photos de ${0}`,
  'finder.name-form': 'Rechercher des photos par nom',
  'finder.name-found': str`${0} coureurs trouvés : choisissez le vôtre`,
  'finder.name-found-one': str`${0} coureur trouvé`,
  'finder.name-hint': 'Prénom, nom ou les deux, comme dans les résultats.',
  'finder.name-label': 'Votre nom',
  'finder.name-none': str`Aucun coureur nommé « ${0} ». Vérifiez l'orthographe, ou cherchez par numéro de dossard.`,
  'finder.name-searching': 'Recherche des coureurs…',
  'finder.name-short': 'Saisissez au moins deux lettres de votre nom.',
  'finder.name-submit': 'Rechercher',
  'finder.off': "La recherche de photos n'est pas disponible pour cet événement.",
  'finder.runner-bib': str`Dossard ${0}`,
  'finder.runner-found': str`${0} photos de ${1} (dossard ${2})`,
  'finder.runner-found-one': str`${0} photo de ${1} (dossard ${2})`,
  'finder.runner-none': str`Pas encore de photos de ${0} (dossard ${1}).`,
  'finder.runner-searching': str`Recherche des photos de ${0}…`,
  'finder.runners': 'Coureurs trouvés',
  'finder.tab-bib': 'Dossard',
  'finder.tab-name': 'Nom',

  'finder.tab-selfie': 'Selfie',
  'finder.tabs': 'Trouver vos photos par',
};
