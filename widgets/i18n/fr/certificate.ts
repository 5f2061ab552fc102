import { str } from '../str.ts';
import type { TemplateMap } from '../str.ts';

/** French: pf-certificate. */
export const certificate: TemplateMap = {
  'certificate.alt': str`Diplôme de finisher de ${0}, dossard ${1}, ${2}`,
  'certificate.bib': 'Dossard',
  'certificate.category': 'Catégorie',
  'certificate.copied': 'Lien copié : collez-le pour partager votre diplôme.',
  'certificate.copy-label': 'Copiez ce lien pour partager votre diplôme :',
  'certificate.download-pdf': 'Télécharger le PDF',
  'certificate.download-png': "Télécharger l'image (PNG)",
  'certificate.form': 'Trouver votre diplôme',
  'certificate.found': str`Diplôme de ${0}`,
  'certificate.hint': 'Le numéro imprimé sur votre dossard, par exemple 427.',
  'certificate.image-error': "L'image du diplôme n'a pas pu être chargée.",
  'certificate.label': 'Votre numéro de dossard',
  'certificate.loading': str`Recherche du diplôme du dossard ${0}…`,
  'certificate.none': str`Aucun diplôme pour le dossard ${0}.`,
  'certificate.none-help':
    'Vérifiez le numéro de votre dossard. Les résultats peuvent arriver un peu après la course : réessayez plus tard aussi.',
  'certificate.preparing': 'Préparation de votre diplôme…',
  'certificate.problem-chars': 'Un numéro de dossard ne contient que des lettres et des chiffres.',
  'certificate.problem-empty': 'Saisissez votre numéro de dossard.',
  'certificate.problem-long': str`Un numéro de dossard a au plus ${0} caractères.`,
  'certificate.rank': 'Place',
  'certificate.saved-pdf': 'Le PDF de votre diplôme est en cours de téléchargement.',
  'certificate.saved-png': "L'image de votre diplôme est en cours de téléchargement.",
  'certificate.share': 'Partager',
  'certificate.share-title': str`Mon diplôme de finisher — ${0}`,
  'certificate.submit': 'Afficher mon diplôme',
  'certificate.time': 'Temps',
  'certificate.unpublished':
    'Les diplômes de cet événement ne sont pas encore disponibles. Revenez une fois les résultats publiés.',
};
