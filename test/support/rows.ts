// Rows for tests and benches that fill a store directly (no ingest): a photo with its thumbnail, and the sidecar bib
// tag the ingest gives.
import type { NewImage } from '../../server/store/types.ts';

export { sidecarTag } from '../../server/ingest/sidecar-tags.ts';

/**
 * Photo `i` of an event, 400×300 with a 320-px WebP thumbnail, captured one second after photo `i - 1`.
 * `hashPrefix` and `idBase` keep the rows of one test apart from another's in a shared database.
 */
export const storedPhoto = (eventId: number, i: number, hashPrefix: string, idBase = 0): NewImage => ({
  id: `00000000-0000-4000-8000-${(idBase + i).toString(16).padStart(12, '0')}`,
  event_id: eventId,
  content_hash: `${hashPrefix}-${eventId}-${i}`,
  original_name: `p${i}.jpg`,
  captured_at: 1_700_000_000_000 + i * 1000,
  width: 400,
  height: 300,
  mime: 'image/jpeg',
  bytes: 1,
  original_key: `originals/${i}.jpg`,
  renditions: [
    { kind: 'thumb', width: 320, height: 240, format: 'webp', blob_key: `r/${i}/t.webp`, bytes: 2, watermark_version: 0 },
  ],
});
