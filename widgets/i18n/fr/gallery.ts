import { str } from '../str.ts';
import type { TemplateMap } from '../str.ts';

/** French: pf-gallery and its lightbox. */
export const gallery: TemplateMap = {
  'gallery.confidence': 'Correspondance',
  'gallery.count': str`${0} photos`,
  'gallery.count-one': str`${0} photo`,
  'gallery.empty': 'Pas encore de photos ici.',
  'gallery.hide-photo': str`Pas moi : masquer ${0}`,
  'gallery.label': "Photos de l'événement",
  'gallery.load-more': 'Afficher plus',
  'gallery.loading': 'Chargement des photos…',
  'gallery.not-me': 'Pas moi',
  'gallery.photo-label': str`Photo ${0} sur ${1}`,
  'gallery.photo-label-time': str`Photo ${0} sur ${1}, prise à ${2}`,
  'gallery.select-photo': str`Sélectionner ${0}`,
  'gallery.shown': str`${0} photos affichées sur ${1}`,

  'lightbox.close': 'Fermer',
  'lightbox.copy-link': 'Copiez ce lien pour partager la photo :',
  'lightbox.download': 'Télécharger',
  'lightbox.downloaded': 'Photo originale téléchargée.',
  'lightbox.label': 'Visionneuse de photos',
  'lightbox.link': 'Lien vers cette photo',
  'lightbox.link-copied': 'Lien copié. Il ouvre cette photo.',
  'lightbox.loading': 'Chargement de la photo…',
  'lightbox.match': str`Correspondance ${0} %`,
  'lightbox.next': 'Photo suivante',
  'lightbox.no-original': "Aucun original n'est disponible pour cette photo.",
  'lightbox.not-free': 'Les photos originales de cet événement sont payantes : achetez cette photo pour la télécharger.',
  'lightbox.preparing': 'Préparation du téléchargement…',
  'lightbox.prev': 'Photo précédente',
  'lightbox.select': 'Sélectionner',
  'lightbox.share': 'Partager',
  'lightbox.zoom-in': 'Zoomer',
  'lightbox.zoom-out': 'Dézoomer',
  'gallery.search-only': 'Cherchez par numéro de dossard, nom ou selfie pour voir vos photos.',
};
