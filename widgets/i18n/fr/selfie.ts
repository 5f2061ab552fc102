import { str } from '../str.ts';
import type { TemplateMap } from '../str.ts';

/** French: pf-selfie-search. */
export const selfie: TemplateMap = {
  'selfie.add': 'Ajouter un autre selfie',
  'selfie.add-submit': 'Ajouter les photos de ce selfie',
  'selfie.agree': "J'accepte cette utilisation de mon visage pour trouver mes photos.",
  'selfie.agree-first': "Cochez d'abord la case pour donner votre accord.",
  'selfie.analysing': 'Recherche de votre visage…',
  'selfie.camera': 'Prendre un selfie',
  'selfie.cancel': 'Annuler',
  'selfie.choose': 'Choisir une photo',
  'selfie.consent': str`Votre photo est analysée sur cet appareil. Seule une petite image de votre visage (112 × 112 pixels) est envoyée pour trouver vos photos, jamais la photo elle-même. Les données du visage sont supprimées du serveur après ${0} heures ; la liste des photos trouvées est conservée pour que vous puissiez y revenir.`,
  'selfie.consent-vector': str`Votre photo est analysée sur cet appareil. Seule une liste de nombres décrivant votre visage est envoyée pour trouver vos photos, jamais la photo. Elle est supprimée du serveur après ${0} heures ; la liste des photos trouvées est conservée pour que vous puissiez y revenir.`,
  'selfie.copied': 'Copié',
  'selfie.copy': 'Copier',
  'selfie.embedding': 'Description de votre visage…',
  'selfie.expired': "Cette recherche par selfie n'est plus disponible. Prenez un nouveau selfie pour chercher à nouveau.",
  'selfie.found': str`${0} photos trouvées`,
  'selfie.found-one': str`${0} photo trouvée`,
  'selfie.gallery-label': 'Photos trouvées avec votre selfie',
  'selfie.loading': str`Chargement de la reconnaissance de visage… ${0} %`,
  'selfie.new': 'Nouvelle recherche',
  'selfie.no-face':
    "Aucun visage n'a été trouvé sur cette photo. Utilisez une photo où votre visage est bien visible et tourné vers l'objectif.",
  'selfie.none': "Aucune photo de vous n'a encore été trouvée.",
  'selfie.off': "La recherche par selfie n'est pas disponible pour cet événement.",
  'selfie.preparing': 'Préparation de la reconnaissance de visage…',
  'selfie.preview-alt': 'Votre visage, tel qu’il sera envoyé',
  'selfie.preview-text': 'Cette image de votre visage est tout ce qui sera envoyé.',
  'selfie.preview-vector': 'Voici le visage trouvé sur votre photo. Seuls des nombres le décrivant seront envoyés.',
  'selfie.request-id': 'Identifiant de recherche',
  'selfie.searching': 'Recherche parmi les photos de l’événement…',
  'selfie.several-faces':
    'Il y a plusieurs visages sur cette photo. Utilisez une photo de vous seul, ou recadrez-la autour de votre visage.',
  'selfie.submit': 'Trouver mes photos',
  'selfie.tips': "Face à l'objectif, en bonne lumière, sans rien devant le visage.",
  'selfie.too-blurry': 'Cette photo est trop floue. Tenez le téléphone immobile, en bonne lumière, et réessayez.',
  'selfie.too-small':
    "Votre visage est trop petit sur cette photo. Rapprochez-vous de l'objectif, ou recadrez la photo autour de votre visage.",
  'selfie.unreadable': "Ce fichier n'est pas une photo lisible ici. Choisissez une photo JPEG ou PNG.",
  'selfie.worker-failed': "Votre photo n'a pas pu être traitée sur cet appareil.",
};
