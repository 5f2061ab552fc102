/** Where certificates live: the signed download path, blob keys, and the file name a participant gets. */
import type { CertificateFormatName } from '../store/certify-types.ts';
import type { EventRow } from '../store/types.ts';

/** Path signed for a certificate download. */
export const certificatePath = (eventId: number, bib: string, format: CertificateFormatName) =>
  `/files/c/${eventId}/${bib}.${format}`;

/** Render blob keys live under one prefix per event. */
export const renderBlobKey = (eventId: number, bib: string, cacheKey: string) =>
  `certificates/${eventId}/renders/${bib}/${cacheKey}`;
export const backgroundPrefix = (eventId: number) => `certificates/${eventId}/backgrounds/`;

const asciiSlug = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);

/** `riverside-half-marathon-2026-certificate-427.pdf` */
export function certificateFilename(event: Pick<EventRow, 'name' | 'slug'>, bib: string, format: CertificateFormatName): string {
  const base = event.slug || asciiSlug(event.name);
  return `${base ? `${base}-` : ''}certificate-${bib}.${format}`;
}
