import { str } from '../str.ts';
import type { TemplateMap } from '../str.ts';

/** French: pf-bib-search. */
export const bibSearch: TemplateMap = {
  'bib.clear': 'Effacer la recherche',
  'bib.form': 'Rechercher des photos par numéro de dossard',
  'bib.found': str`${0} photos du dossard ${1}`,
  'bib.found-one': str`${0} photo du dossard ${1}`,
  'bib.gallery-label': str`Photos du dossard ${0}`,
  'bib.hint': 'Le numéro imprimé sur votre dossard, par exemple 427.',
  'bib.label': 'Votre numéro de dossard',
  'bib.none': str`Pas encore de photos du dossard ${0}.`,
  'bib.none-help':
    'Vérifiez le numéro de votre dossard. Les photos sont encore identifiées après la course : réessayez plus tard aussi.',
  'bib.off': "La recherche par numéro de dossard n'est pas disponible pour cet événement.",
  'bib.problem-chars': 'Un numéro de dossard ne contient que des lettres et des chiffres.',
  'bib.problem-empty': 'Saisissez votre numéro de dossard.',
  'bib.problem-long': str`Un numéro de dossard a au plus ${0} caractères.`,
  'bib.searching': str`Recherche du dossard ${0}…`,
  'bib.submit': 'Rechercher',
  'bib.try-timeline': 'Parcourir plutôt les photos par heure',
};
