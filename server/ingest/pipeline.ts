import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { Metadata } from 'sharp';
import { sidecarTag } from './sidecar-tags.ts';
import type { BlobStore } from '../blobs/types.ts';
import type { EventRow, NewBibTag, Store } from '../store/types.ts';
import { chargePhoto, creditGate, storeWaiting, WAITING_REASON } from './credits.ts';
import { readCaptureTime } from './exif.ts';
import { linkStoredPhoto } from './face-bib-links.ts';
import { faceReport, type FaceStage } from './faces.ts';
import { ocrReport, ocrScan, type OcrStage } from './ocr.ts';
import { MAX_INPUT_PIXELS } from './renditions.ts';
import { renderAndRead } from './vision-input.ts';

export interface IngestDeps {
  store: Store;
  blobs: BlobStore;
  /** Face stage (detect, align, embed every face); absent = faces are not indexed. */
  faces?: FaceStage;
  /** Bib OCR stage (reads the bib numbers); absent = bibs come only from the sidecar and manual tags. */
  bibtrack?: OcrStage;
}

export interface PhotoInput {
  /** File name as the organiser named it (reported back, used to match the BIB sidecar). */
  name: string;
  data: Buffer;
  /** BIB numbers known for this photo (sidecar CSV or the upload form). */
  bibs?: string[];
  /** Milliseconds added to the camera's capture time (a photographer's clock offset); default 0. */
  clockOffsetMs?: number;
}

export type IngestResult =
  | {
      name: string;
      status: 'added';
      image_id: string;
      faces?: number;
      bibs?: number;
      warning?: string;
      /** Stored but not processed: its organisation has no credits (issue 13); processed once credits are added. */
      waiting_credits?: true;
    }
  | { name: string; status: 'duplicate'; image_id: string }
  | { name: string; status: 'failed'; error: string };

const FORMATS: Record<string, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  tiff: 'image/tiff',
  heif: 'image/heif',
};

/** Image id derived from event + content, so a re-run after a crash rewrites the same blob keys. */
export function imageIdFor(eventId: number, hash: string): string {
  const h = createHash('sha256').update(`${eventId}:${hash}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Photos being ingested in this process, by event and content hash: the same bytes are processed once. */
const inFlight = new Map<string, Promise<IngestResult>>();

/**
 * One photo through the pipeline: hash (dedupe) → EXIF time → decode and rotate → renditions and
 * watermarked preview (and faces) → bib OCR (while the blobs are written) → one store transaction.
 * A bad file is reported, never half-stored.
 */
export async function ingestPhoto(deps: IngestDeps, event: EventRow, input: PhotoInput): Promise<IngestResult> {
  const { name, data } = input;
  if (data.length === 0) return { name, status: 'failed', error: 'empty file (0 bytes)' };
  const hash = createHash('sha256').update(data).digest('hex');
  const key = `${event.id}:${hash}`;
  const running = inFlight.get(key);
  if (running) {
    // The same bytes under another name, in the same batch: wait for the first copy, then report it.
    const first = await running;
    return first.status === 'failed' ? { ...first, name } : { name, status: 'duplicate', image_id: first.image_id };
  }
  const work = ingestNew(deps, event, input, hash);
  inFlight.set(key, work);
  try {
    return await work;
  } finally {
    inFlight.delete(key);
  }
}

async function ingestNew(deps: IngestDeps, event: EventRow, input: PhotoInput, hash: string): Promise<IngestResult> {
  const { name, data } = input;
  const existing = await deps.store.images.findByHash(event.id, hash);
  // A photo waiting for credits goes through again (that is how it resumes: ingest/stored.ts).
  if (existing && existing.state !== 'waiting_credits') return { name, status: 'duplicate', image_id: existing.id };

  let meta: Metadata;
  let rotatedSize: { width: number; height: number };
  const decoder = () => sharp(data, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' });
  try {
    meta = await decoder().metadata();
    const mime = meta.format ? FORMATS[meta.format] : undefined;
    if (!mime || !meta.width || !meta.height)
      return { name, status: 'failed', error: `not a supported image (${meta.format ?? 'unknown format'})` };
    const swap = (meta.orientation ?? 1) >= 5;
    rotatedSize = swap ? { width: meta.height, height: meta.width } : { width: meta.width, height: meta.height };
  } catch (e) {
    return { name, status: 'failed', error: `not a readable image: ${(e as Error).message}` };
  }

  const id = imageIdFor(event.id, hash);
  const ext = meta.format === 'jpeg' ? 'jpg' : meta.format!;
  const originalKey = `originals/${id}.${ext}`;
  // Credits (issue 13): a metered organisation without credits keeps the photo, unprocessed.
  const credit = await creditGate(deps.store, event, id);
  const wait = async (): Promise<IngestResult> => {
    if (existing) return { name, status: 'duplicate', image_id: existing.id };
    const bibs = input.bibs ?? [];
    const photo = { id, hash, name, data, originalKey, mime: FORMATS[meta.format!]!, ...rotatedSize, bibs };
    const added = await storeWaiting(deps.store, deps.blobs, event, { ...photo, clockOffsetMs: input.clockOffsetMs ?? 0 });
    if (!added) return { name, status: 'duplicate', image_id: id };
    return { name, status: 'added', image_id: id, waiting_credits: true, warning: WAITING_REASON };
  };
  if (credit === 'wait') return wait();
  // Every key a write was started for (deleting one never written is harmless).
  const written: string[] = [originalKey];
  // The original is written while the renditions are drawn; a failure waits for it before cleaning up.
  const storingOriginal = deps.blobs.put(originalKey, data);
  storingOriginal.catch(() => undefined);
  try {
    // Renditions, faces and bib OCR from one decode, as the event's flags ask (server/ingest/vision-input.ts); the
    // OCR goes on in the pool's worker threads while the files are written.
    const { renditions, faces, reading } = await renderAndRead(deps, event, id, data, meta, decoder, rotatedSize);
    const cameraTime = await readCaptureTime(data, event.time_zone);
    const capturedAt = cameraTime === null ? null : cameraTime + (input.clockOffsetMs ?? 0);
    written.push(...renditions.map((r) => r.blob_key));
    const puts = await Promise.allSettled([storingOriginal, ...renditions.map((r) => deps.blobs.put(r.blob_key, r.data))]);
    const failedPut = puts.find((p) => p.status === 'rejected');
    if (failedPut) throw failedPut.reason;
    const ocr = await reading;
    if (credit === 'metered' && !(await chargePhoto(deps.store, event, id))) return wait();
    const bibs: NewBibTag[] = [...new Set((input.bibs ?? []).map((b) => b.trim()).filter(Boolean))].map(sidecarTag);
    if (ocr?.ok) bibs.push(...ocr.tags);
    const inserted = await deps.store.images.insert(
      {
        id,
        event_id: event.id,
        content_hash: hash,
        original_name: name,
        captured_at: capturedAt,
        width: rotatedSize.width,
        height: rotatedSize.height,
        mime: FORMATS[meta.format!]!,
        bytes: data.length,
        original_key: originalKey,
        renditions: renditions.map(({ data: d, ...r }) => ({ ...r, bytes: d.length })),
      },
      bibs,
      faces?.ok ? faces.faces : null,
      ocr ? ocrScan(ocr) : null,
    );
    // A concurrent upload of the same bytes won the insert: it owns the (identical) blobs.
    if (!inserted) return { name, status: 'duplicate', image_id: id };
    if (faces?.ok) deps.faces!.invalidate(event.id);
    // Which face wears which bib read in the photo (server/ingest/face-bib-links.ts).
    const linked =
      faces?.ok && faces.faces.length && ocr?.ok && ocr.tags.length ? await linkStoredPhoto(deps.store, event.id, id) : null;
    const warnings = [
      faceReport(faces).warning,
      ocrReport(ocr).warning,
      linked && 'warning' in linked ? linked.warning : null,
    ].filter(Boolean);
    return {
      name,
      status: 'added',
      image_id: id,
      ...faceReport(faces),
      ...ocrReport(ocr),
      ...(warnings.length ? { warning: warnings.join('; ') } : {}),
    };
  } catch (e) {
    // Blob keys derive from the content: when another process stored the same photo meanwhile, the
    // blobs are its blobs too, and stay.
    await storingOriginal.catch(() => undefined);
    const stored = await deps.store.images.findByHash(event.id, hash).catch(() => null);
    if (!stored) await Promise.all(written.map((k) => deps.blobs.delete(k).catch(() => undefined)));
    return { name, status: 'failed', error: `could not process the image: ${(e as Error).message}` };
  }
}
