import type { TemplateMap } from '../str.ts';

/** French: strings shared by every element. */
export const common: TemplateMap = {
  'common.busy': 'Trop de demandes en ce moment. Patientez un instant, puis réessayez.',
  'common.connecting': 'Connexion au serveur de photos…',
  'common.loading': 'Chargement…',
  'common.origin-refused': "Ce site n'est pas autorisé à afficher ces photos.",
  'common.offline': 'Le serveur de photos est injoignable. Vérifiez votre connexion.',
  'common.retry': 'Réessayer',
  'common.server-error': 'Le serveur de photos a rencontré un problème. Réessayez dans un instant.',
};
