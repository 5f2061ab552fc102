import { str } from '../str.ts';
import type { TemplateMap } from '../str.ts';

/** French: pf-timeline. */
export const timeline: TemplateMap = {
  'timeline.bar': str`De ${0} à ${1} : ${2}`,
  'timeline.chart': str`Photos par heure, ${0}`,
  'timeline.days': 'Jours',
  'timeline.earlier': 'Plus tôt',
  'timeline.empty': 'Pas encore de photos avec une heure de prise de vue.',
  'timeline.gallery-label': str`Photos prises de ${0} à ${1}`,
  'timeline.later': 'Plus tard',
  'timeline.loading': 'Chargement de la chronologie…',
  'timeline.off': "La navigation des photos par heure n'est pas disponible pour cet événement.",
  'timeline.window': str`${0}, de ${1} à ${2} : ${3}`,
  'timeline.zone': str`Heures locales de l'événement (${0}).`,
  'timeline.search-only':
    'Cet événement ne montre ses photos que par une recherche : cherchez par numéro de dossard, nom ou selfie.',
  'timeline.undated': str`${0} photos n'ont pas d'heure de prise de vue : elles ne sont pas dans la chronologie.`,
  'timeline.undated-one': str`${0} photo n'a pas d'heure de prise de vue : elle n'est pas dans la chronologie.`,
};
