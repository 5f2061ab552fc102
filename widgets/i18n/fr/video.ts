import { str } from '../str.ts';
import type { TemplateMap } from '../str.ts';

/** French: pf-video-clips. */
export const video: TemplateMap = {
  'video.clip-label': str`Extrait de ${0}, de ${1} à ${2}`,
  'video.download': 'Télécharger',
  'video.download-label': str`Télécharger ${0}`,
  'video.expired': "Cette recherche par selfie n'est plus disponible. Prenez un nouveau selfie pour chercher vos extraits.",
  'video.found': str`${0} extraits vidéo trouvés`,
  'video.found-one': str`${0} extrait vidéo trouvé`,
  'video.heading': 'Vos extraits vidéo',
  'video.hint': 'Cherchez avec un selfie pour trouver vos extraits vidéo.',
  'video.none': "Aucun extrait vidéo de vous n'a été trouvé.",
  'video.off': 'Les extraits vidéo ne sont pas disponibles pour cet événement.',
  'video.processing': 'Préparation de vos extraits vidéo…',
  'video.queued': 'Recherche de votre visage dans les vidéos de l’événement…',
};
