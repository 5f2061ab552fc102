import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import { bibProblem, bibSearchKeys, normaliseBib, type DownloadAllData, type DownloadAllRequest } from '../../core/index.ts';
import type { BlobStore } from '../blobs/types.ts';
import { endZip } from '../checkout/zip.ts';
import { forbidden, notFound, unprocessable } from '../http/errors.ts';
import type { EventRow, ImageRow, Store } from '../store/types.ts';
import type { SelfieResults } from './selfie-results.ts';
import { assertSigned, type Signer } from './signing.ts';

/**
 * "Download all my photos": one streamed ZIP of the photos of a BIB (a name search finds the BIB), a selfie search
 * or a selection. Free events give the originals; events that sell them give, when `web_download` is on, the
 * watermarked 1600-px previews (originals stay paid). POST …/download-all answers a signed, time-limited link;
 * the link itself re-checks the settings and streams the ZIP: entries are added by chunks of rows and each file is
 * read from the blob store only when its turn comes (stored, not recompressed), so memory stays flat whatever the
 * number of photos, and the exact size is known up front (Content-Length).
 */

export const ZIP_URL_TTL_SECONDS = 3600;
export const BULK_OFF = 'bulk download is switched off for this event';
export const SOLD_NO_WEB =
  'Originals of this event are sold and it offers no free web-size download: buy the photos to download them';

export type ZipKind = DownloadAllData['kind'];
/** What a ZIP link names: a bib, a selfie search, or a stored selection (manifest digest). */
export type ZipSelector = { by: 'bib'; value: string } | { by: 'selfie'; value: string } | { by: 'ids'; value: string };

export interface DownloadAllDeps {
  store: Store;
  blobs: BlobStore;
  signer: Signer;
  selfieResults?: SelfieResults;
}

export const zipPath = (eventId: number, kind: ZipKind, sel: ZipSelector) =>
  `/files/zip/${eventId}/${kind}/${sel.by}/${sel.value}.zip`;
const manifestKey = (eventId: number, digest: string) => `downloads/${eventId}/${digest}.json`;

/** Which files an event gives in bulk: 403 when none. */
export function zipKind(event: EventRow): ZipKind {
  if (!event.bulk_download) throw forbidden(BULK_OFF);
  if (event.free_downloads) return 'original';
  if (event.web_download) return 'web';
  throw forbidden(SOLD_NO_WEB);
}

async function idsOf(deps: DownloadAllDeps, event: EventRow, sel: ZipSelector): Promise<string[]> {
  switch (sel.by) {
    case 'bib':
      if (!event.flags.bib_search) throw forbidden('bib_search is switched off for this event');
      return deps.store.images.idsByBib(event.id, bibSearchKeys(sel.value));
    case 'selfie': {
      if (!event.flags.selfie_search) throw forbidden('selfie_search is switched off for this event');
      const matched = deps.selfieResults ? await deps.selfieResults.imageIds(event.id, sel.value) : null;
      if (matched === null) throw notFound(`Unknown selfie request_id ${sel.value}: run a selfie search first`);
      return deps.store.images.existingIds(event.id, [...new Set(matched)]);
    }
    case 'ids': {
      const stored = await deps.blobs.get(manifestKey(event.id, sel.value));
      if (!stored) throw notFound('This selection is no longer known: ask for a new download link');
      return deps.store.images.existingIds(event.id, JSON.parse(stored.toString('utf8')) as string[]);
    }
  }
}

/** POST …/download-all: checks the settings and the photos, answers the signed ZIP link. */
export async function prepareDownloadAll(
  deps: DownloadAllDeps,
  event: EventRow,
  req: DownloadAllRequest,
  base: string,
): Promise<DownloadAllData> {
  const kind = zipKind(event);
  let sel: ZipSelector;
  if ('bib' in req) {
    const problem = bibProblem(req.bib);
    if (problem) throw unprocessable(`bib: ${problem}`);
    sel = { by: 'bib', value: normaliseBib(req.bib) };
  } else if ('selfie' in req) {
    sel = { by: 'selfie', value: req.selfie.toLowerCase() };
  } else {
    const ids = [...new Set(req.image_ids.map((i) => i.toLowerCase()))].sort();
    const digest = createHash('sha256').update(ids.join('\n')).digest('hex').slice(0, 24);
    const valid = await deps.store.images.existingIds(event.id, ids);
    if (valid.length === 0) throw notFound('None of the image_ids is a photo of this event');
    await deps.blobs.put(manifestKey(event.id, digest), Buffer.from(JSON.stringify(valid)));
    sel = { by: 'ids', value: digest };
  }
  const ids = await idsOf(deps, event, sel);
  if (ids.length === 0)
    throw notFound(sel.by === 'bib' ? `No photos found for bib number ${sel.value}` : 'No photos found for this selfie');
  const path = zipPath(event.id, kind, sel);
  const query = deps.signer.sign(path, ZIP_URL_TTL_SECONDS);
  const exp = Number(new URLSearchParams(query).get('exp'));
  return { zip_url: `${base}${path}?${query}`, photo_count: ids.length, kind, expires_at: new Date(exp * 1000).toISOString() };
}

/** `HHMMSS` of an instant in the event's time zone. */
function localTime(ms: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '00';
  return `${get('hour')}${get('minute')}${get('second')}`;
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'photo';

/** `<event-slug>_<bib>_<HHMMSS>.jpg`, unique within the ZIP (`_2`, `_3` … on a clash; `_n<index>` without a time). */
export function entryNamer(event: EventRow) {
  const slug = safe(event.slug ?? `event-${event.id}`);
  const seen = new Map<string, number>();
  let index = 0;
  return (bib: string, capturedAt: number | null, ext: string) => {
    index++;
    const stem = `${slug}_${safe(bib)}_${capturedAt === null ? `n${String(index).padStart(4, '0')}` : localTime(capturedAt, event.time_zone)}`;
    const n = (seen.get(stem) ?? 0) + 1;
    seen.set(stem, n);
    return `${n === 1 ? stem : `${stem}_${n}`}.${ext}`;
  };
}

const CHUNK = 200;

/**
 * The signed ZIP link: verifies it, re-checks the settings (an organiser who switched bulk downloads off since is
 * obeyed), and streams the ZIP.
 */
export async function streamDownloadAll(
  deps: DownloadAllDeps,
  params: { eventId: number; kind: string; by: string; value: string },
  query: { exp?: string; kid?: string; sig?: string },
): Promise<{ stream: Readable; size: number; filename: string; count: number }> {
  const { eventId, kind, by, value } = params;
  if ((kind !== 'original' && kind !== 'web') || (by !== 'bib' && by !== 'selfie' && by !== 'ids'))
    throw notFound('File not found');
  const sel = { by, value } as ZipSelector;
  assertSigned(deps.signer, zipPath(eventId, kind, sel), query, {
    expired: 'This download link has expired: ask for the ZIP again',
    invalid: 'Invalid download link: the signature does not match',
  });
  const event = await deps.store.events.get(eventId);
  if (!event) throw notFound('Event not found');
  if (zipKind(event) !== kind) throw forbidden('The download settings of this event changed: ask for the ZIP again');
  const ids = await idsOf(deps, event, sel);
  if (ids.length === 0) throw notFound('These photos no longer exist');

  const zip = new ZipFile();
  const name = entryNamer(event);
  const names: string[] = [];
  let count = 0;
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await deps.store.images.getMany(event.id, ids.slice(i, i + CHUNK));
    for (const img of rows) {
      const file = fileOf(img, kind);
      if (!file) continue;
      const bib = await bibOf(deps.store, img.id, sel.by === 'bib' ? sel.value : null);
      const entry = name(bib, img.captured_at, file.ext);
      names.push(entry);
      zip.addReadStreamLazy(
        entry,
        { compress: false, size: file.bytes, mtime: new Date(img.captured_at ?? Date.parse(img.created_at)), mode: 0o100644 },
        (cb) => {
          try {
            cb(null, deps.blobs.stream(file.key));
          } catch (e) {
            cb(e, undefined as unknown as Readable);
          }
        },
      );
      count++;
    }
  }
  if (count === 0) throw notFound('These photos no longer exist');
  const stream = zip.outputStream as Readable;
  // A blob that cannot be read (or whose size changed) aborts the download instead of truncating it silently.
  zip.on('error', (e: Error) => stream.destroy(e));
  const size = await endZip(zip, names);
  const what = sel.by === 'bib' ? safe(sel.value) : sel.by === 'selfie' ? 'selfie' : 'selection';
  return { stream, size, filename: `${safe(event.slug ?? `event-${event.id}`)}_${what}.zip`, count };
}

function fileOf(img: ImageRow, kind: ZipKind): { key: string; bytes: number; ext: string } | null {
  if (kind === 'original') return { key: img.original_key, bytes: img.bytes, ext: img.original_key.split('.').pop() ?? 'jpg' };
  const preview = img.renditions.find((r) => r.kind === 'preview');
  return preview ? { key: preview.blob_key, bytes: preview.bytes, ext: 'jpg' } : null;
}

/** The bib to name a photo's file after: its tag of the bib asked for (as tagged: `0427`), else its first bib. */
async function bibOf(store: Store, imageId: string, asked: string | null): Promise<string> {
  const tags = (await store.bibs.listForImage(imageId)).filter((t) => t.status === 'accepted');
  const key = (b: string) => b.replace(/^0+(?=.)/, '');
  const match = asked === null ? undefined : tags.find((t) => key(t.bib_norm) === key(asked));
  return match?.bib_norm ?? asked ?? tags[0]?.bib_norm ?? 'photo';
}
