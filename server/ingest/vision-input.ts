/**
 * One decode of the original for every stage of the ingest that needs pixels (issue 20). When the event runs
 * the face or the OCR stage, the original is decoded once into a bounded raw RGB picture (EXIF-rotated, long side
 * ≤ FACE_MAX_SIDE, exactly what the face stage decoded for itself before); the renditions are drawn from it, the
 * face stage reads it, and the OCR stage gets it shrunk to OCR_DECODE_SIDE (never enlarged). Before, a 12-MP
 * photo was decoded three times (renditions, faces, OCR). A photo the shared decode cannot stand for without
 * changing a rendition (alpha, grey, CMYK, 16-bit) keeps each stage's own decode.
 *
 * The full-size decode of a photo (≈ 36 MB for 12 MP, plus the face pyramid) is held by at most `VISION_SLOTS`
 * photos at once per process, only until its renditions and faces are done; its OCR picture (≈ 9 MB) by at most
 * `OCR_SLOTS` photos, until read. More concurrent uploads wait for a slot instead of raising the peak memory.
 */
import { availableParallelism } from 'node:os';
import sharp from 'sharp';
import type { Metadata, Sharp } from 'sharp';
import type { EventRow } from '../store/types.ts';
import type { DecodedImage } from '../vision/face-runner.ts';
import type { DecodedPhoto } from '../vision/ocr/ocr-engine.ts';
import type { FaceStageResult } from './faces.ts';
import type { OcrStageResult } from './ocr.ts';
import type { IngestDeps } from './pipeline.ts';
import { renderRenditions, type RenderedRendition } from './renditions.ts';
import { eventOverlay } from './watermark.ts';

/** What the vision stages of one photo read. */
export interface VisionInput {
  /** The shared decode (the face stage's input; the renditions are drawn from it). */
  decoded: DecodedImage;
  /** The OCR stage's input (the decode shrunk to OCR_DECODE_SIDE), or null when the OCR does not run. */
  ocr: DecodedPhoto | null;
}

/** Whether one RGB decode can stand for the renditions' own: 8-bit, three channels, sRGB, no alpha (camera JPEGs). */
export function canShareDecode(meta: Metadata): boolean {
  return meta.channels === 3 && !meta.hasAlpha && meta.space === 'srgb' && (meta.depth ?? 'uchar') === 'uchar';
}

/**
 * Decodes the original once (`decodeImage`, the face stage's decoder) and, when `ocr`, derives the OCR stage's
 * picture from it. Throws the decoder's `ImageDecodeError` on an unreadable image.
 */
export async function decodeForVision(data: Uint8Array, opts: { ocr: boolean }): Promise<VisionInput> {
  // Loaded on first use: an event without face or bib search never loads the vision code (onnxruntime).
  const { decodeImage } = await import('../vision/face-runner.ts');
  const decoded = await decodeImage(data);
  return { decoded, ocr: opts.ocr ? await ocrPicture(decoded) : null };
}

/** The decode shrunk so its long side is at most OCR_DECODE_SIDE (Lanczos, as the OCR decoder does), never enlarged. */
async function ocrPicture(d: DecodedImage): Promise<DecodedPhoto> {
  const { OCR_DECODE_SIDE } = await import('../vision/ocr/ocr-engine.ts');
  const { width, height } = d.image;
  const { originalWidth, originalHeight } = d;
  const long = Math.max(width, height);
  if (long <= OCR_DECODE_SIDE) {
    const { data } = d.image;
    const pixels = new Uint8Array(data.buffer, data.byteOffset, data.length);
    return { image: { data: pixels, width, height }, originalWidth, originalHeight, scale: d.scale };
  }
  const { data, info } = await sharp(d.image.data, { raw: { width, height, channels: 3 } })
    .resize({ width: OCR_DECODE_SIDE, height: OCR_DECODE_SIDE, fit: 'inside', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    image: { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height },
    originalWidth,
    originalHeight,
    scale: originalWidth / info.width,
  };
}

/** A counting semaphore: at most `size` holders; the others wait in order. */
class Slots {
  private busy = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(readonly size: number) {}

  /** Waits for a slot; call the returned function once to give it back (more calls do nothing). */
  async acquire(): Promise<() => void> {
    if (this.busy >= this.size) await new Promise<void>((r) => this.waiting.push(r));
    else this.busy++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next photo waiting (busy unchanged), or is freed.
      if (next) next();
      else this.busy--;
    };
  }

  inUse(): { busy: number; waiting: number } {
    return { busy: this.busy, waiting: this.waiting.length };
  }
}

/**
 * Photos holding a full-size decode at once in this process (decode, renditions, faces): half the cores, since the
 * OCR of earlier photos runs meanwhile in the pool's threads on the other half.
 */
export const VISION_SLOTS = Math.max(1, Math.ceil(availableParallelism() / 2));
/** Photos whose OCR picture (≤ 2048 px) is queued or read in the OCR pool at once: one per core. */
export const OCR_SLOTS = Math.max(1, availableParallelism());

const decodeSlots = new Slots(VISION_SLOTS);
const ocrSlots = new Slots(OCR_SLOTS);

/** Photos holding a decode right now, and waiting for a slot; the same for the OCR (tests, benches). */
export function visionSlotsInUse(): { busy: number; waiting: number; ocr: { busy: number; waiting: number } } {
  return { ...decodeSlots.inUse(), ocr: ocrSlots.inUse() };
}

export interface StageResults {
  renditions: RenderedRendition[];
  /** Undefined when the face stage does not run (selfie search off, or no face stage). */
  faces: FaceStageResult | undefined;
  /** The bib reads, still running in the OCR pool's threads (never rejects); null when the OCR does not run. */
  reading: Promise<OcrStageResult | null>;
}

/**
 * The stages of one photo that read its pixels, following the event's flags: renditions and watermark always, the
 * face stage when selfie search is on, the bib OCR when bib search is on. With a vision stage the photo takes a
 * vision slot for its decode, renditions and faces, and an OCR slot until its read is done; it is decoded once for
 * every stage (`decodeForVision`) when `canShareDecode(meta)`, otherwise each stage decodes `data` itself.
 * `decoder()` is the renditions' own decoder.
 */
export async function renderAndRead(
  deps: IngestDeps,
  event: EventRow,
  imageId: string,
  data: Buffer,
  meta: Metadata,
  decoder: () => Sharp,
  size: { width: number; height: number },
): Promise<StageResults> {
  const overlay = eventOverlay(event, deps.blobs);
  const withFaces = !!(event.flags.selfie_search && deps.faces);
  const withOcr = !!(event.flags.bib_search && deps.bibtrack);
  if (!withFaces && !withOcr) {
    const renditions = await renderRenditions(imageId, decoder().rotate(), size, overlay, event.watermark_version);
    return { renditions, faces: undefined, reading: Promise.resolve(null) };
  }
  const release = await decodeSlots.acquire();
  let releaseOcr = () => {};
  let reading: Promise<OcrStageResult | null> = Promise.resolve(null);
  try {
    const input = canShareDecode(meta) ? await decodeForVision(data, { ocr: withOcr }) : null;
    if (withOcr) {
      // The OCR runs in the pool's worker threads meanwhile (it never throws), past this photo's decode slot.
      releaseOcr = await ocrSlots.acquire();
      reading = deps.bibtrack!.readPhoto(event, data, input?.ocr ?? undefined);
    }
    const source = input
      ? sharp(input.decoded.image.data, {
          raw: { width: input.decoded.image.width, height: input.decoded.image.height, channels: 3 },
        })
      : decoder().rotate();
    const [renditions, faces] = await Promise.all([
      renderRenditions(imageId, source, size, overlay, event.watermark_version),
      withFaces ? deps.faces!.indexPhoto(data, input?.decoded) : undefined,
    ]);
    return { renditions, faces, reading };
  } finally {
    // The full-size decode is no longer needed: the next photo may decode. The OCR slot is given back once its
    // read is done (a stage that broke its never-throws promise frees it too).
    release();
    reading.then(releaseOcr, releaseOcr);
  }
}
