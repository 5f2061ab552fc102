import { str } from '../str.ts';
import type { TemplateMap } from '../str.ts';

/** French: pf-event (the page password) and "download all my photos". */
export const event: TemplateMap = {
  'event.password-empty': 'Saisissez le mot de passe de cet événement.',
  'event.password-hint': "L'organisateur le donne sur le site de la course, dans un e-mail ou sur une affiche.",
  'event.password-label': "Mot de passe de l'événement",
  'event.password-submit': 'Voir les photos',
  'event.password-title': 'Les photos de cet événement sont protégées par un mot de passe.',
  'event.password-title-short': 'Cet événement est protégé par un mot de passe.',
  'event.password-wrong': "Ce mot de passe n'est pas le bon. Vérifiez-le et réessayez.",
  'download-all.hint': str`${0} photos dans un seul fichier ZIP`,
  'download-all.hint-one': str`${0} photo dans un fichier ZIP`,
  'download-all.original': 'Télécharger toutes mes photos',
  'download-all.preparing': 'Préparation de votre fichier ZIP…',
  'download-all.started': str`Votre fichier ZIP de ${0} photos est en cours de téléchargement.`,
  'download-all.web': 'Télécharger les photos en taille web',
  'download-all.web-note': 'avec filigrane, gratuites',
};
