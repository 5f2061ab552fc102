/**
 * Bib reading with PaddleOCR PP-OCRv4 (det + rec) on onnxruntime-node.
 *
 *   decode (sharp, EXIF-rotated, pixel-limit guard)
 *   → resize long side to `scale` (default 1536, up-scaling small photos), pad /32      preprocess.ts
 *   → det → DB post-processing → rotated text boxes                                     db-postprocess.ts
 *   → crop each box to height 48 (tall boxes turned both ways)                           crop.ts
 *   → rec → greedy CTC, digits-only, split at colons/letters                             ctc.ts
 *   → bib rules (2–6 digits, confidence ≥ 0.8, no clocks) and the issued-bib list         bib-filter.ts
 *
 * One engine holds two sessions (single intra-op thread by default); `readBibs` may be called
 * concurrently. For ingest, use `OcrPool` (ocr-pool.ts), which runs engines in worker threads.
 */
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp, { type Metadata } from 'sharp';
import { normaliseBib } from '../../../core/bib.ts';
import { MODEL_FILES } from '../../../core/models.ts';
import {
  applyIssued,
  besideWords,
  dedupeReads,
  isYearLike,
  rejectReason,
  type BibRuleOptions,
  type BibStatus,
  type LineGeometry,
} from './bib-filter.ts';
import { cropQuad, recTensorData, REC_HEIGHT, subQuad, type Crop } from './crop.ts';
import { decodeLine, digitClasses, loadCharset, type LineRead } from './ctc.ts';
import { dbPostprocess, quadBounds, sortReadingOrder, type DbOptions, type Point, type Quad } from './db-postprocess.ts';
import { detTensorRows, prepareDetPicture, resizeRgb, type DetPicture, type RgbImage } from './preprocess.ts';
import { readVerifiedModel } from '../model-files.ts';
import { paths } from '../../paths.ts';
import { DEFAULT_SCALE, OcrImageError, OcrModelsError } from './errors.ts';

// ---------------------------------------------------------------------------------------------
// Errors

export { DEFAULT_SCALE, OcrImageError, OcrModelsError, type OcrImageErrorCode } from './errors.ts';

// ---------------------------------------------------------------------------------------------
// Options and results

export interface OcrEngineOptions {
  /** Where the models are; default the package's `models/` (the server passes config MODELS_DIR). */
  modelsDir?: string;
  /** onnxruntime intra-op threads per session (default 1: parallelism comes from the pool). */
  intraOpNumThreads?: number;
  /** Decoder pixel limit, a decompression-bomb guard (default 120 MP). */
  limitInputPixels?: number;
  /** Photos are shrunk on load to this long side before anything else (default 2048, OCR_DECODE_SIDE). */
  maxSide?: number;
  /** Text-detector inputs larger than this many pixels run in strips (default DET_STRIP_PIXELS; Infinity: never). */
  detStripPixels?: number;
}

export interface ReadBibsOptions extends BibRuleOptions {
  /** Long side the detector sees, in pixels (larger photos are shrunk to it, smaller ones never enlarged; default 1536). */
  scale?: number;
  /** The event's issued bibs: reads outside it come back as low-confidence `candidate`s. */
  issued?: ReadonlySet<string>;
  /** Recognise at most this many text boxes (the most probable; default 200). */
  maxBoxes?: number;
  /** Detector post-processing overrides. */
  det?: DbOptions;
}

export interface BibRead {
  /** The digits as read. */
  bib: string;
  /** `normaliseBib` of the read (of the issued bib it matched, when a list is given). */
  bib_norm: string;
  /** 0..1: the mean per-digit probability (halved for candidates). */
  confidence: number;
  /** [x1, y1, x2, y2] in pixels of the original, EXIF-rotated photo. */
  box: [number, number, number, number];
  status: BibStatus;
}

export interface OcrLine {
  /** The text box in pixels of the original (EXIF-rotated) photo, tl/tr/br/bl in reading direction. */
  quad: Quad;
  detScore: number;
  read: LineRead;
  /** Whether the box was taller than wide and turned upright. */
  rotated: boolean;
  /** Width of the 48-px-high crop, in pixels (8 per CTC frame). */
  cropWidth: number;
}

export interface OcrPage {
  width: number;
  height: number;
  lines: OcrLine[];
  timings: { decodeMs: number; detMs: number; recMs: number };
}

export const OCR_MAX_INPUT_PIXELS = 120_000_000;
export const OCR_MAX_SIDE = 4096;
/**
 * Long side the engine decodes photos to (shrink-on-load; larger photos are never materialised at full size):
 * 2048 px kept every read of the measured sets, at a sixth of the pixels of a 12-MP decode.
 */
export const OCR_DECODE_SIDE = 2048;
/**
 * Text-detector inputs over this many pixels run in horizontal strips (`OcrEngine.detect`): a 1536×1152 input in
 * three strips of at most 1536×512. Rows of context each strip sees beyond the rows it keeps (a multiple of 32).
 */
export const DET_STRIP_PIXELS = 1536 * 512;
export const DET_STRIP_OVERLAP = 64;

/** One strip of the text detector's input: it runs rows [from, to) and keeps the map's rows [top, bottom). */
export interface DetStrip {
  top: number;
  bottom: number;
  from: number;
  to: number;
}

/**
 * The strips a `height`×`width` detector input (sides multiples of 32) runs as: one when it is at most `maxPixels`,
 * else the fewest strips whose core rows (a multiple of 32) plus `overlap` rows of context on each inner side fit
 * `maxPixels`. The kept rows tile [0, height) exactly.
 */
export function planDetStrips(
  height: number,
  width: number,
  maxPixels = DET_STRIP_PIXELS,
  overlap = DET_STRIP_OVERLAP,
): DetStrip[] {
  const budget = Math.floor(maxPixels / width / 32) * 32 - 2 * overlap;
  if (height * width <= maxPixels || budget < 32) return [{ top: 0, bottom: height, from: 0, to: height }];
  const n = Math.ceil(height / budget);
  const core = Math.ceil(height / n / 32) * 32;
  const strips: DetStrip[] = [];
  for (let top = 0; top < height; top += core) {
    const bottom = Math.min(height, top + core);
    strips.push({ top, bottom, from: Math.max(0, top - overlap), to: Math.min(height, bottom + overlap) });
  }
  return strips;
}
/**
 * Recogniser batches: up to 8 crops of similar width (the widest at most 25 % wider than the
 * narrowest), zero-padded to the widest. PaddleOCR pads every crop to at least 320 px; that made no
 * difference to reads here and costs up to 3× the compute for short bib crops, so there is no minimum.
 */
const REC_BATCH = 8;
const REC_BATCH_SPREAD = 1.25;
/** Half a character, in crop pixels, added around a run of digits inside a longer line. */
const RUN_MARGIN = 0.4 * REC_HEIGHT;

export function defaultModelsDir(): string {
  return paths.models;
}

// ---------------------------------------------------------------------------------------------
// Decoding

const SUPPORTED = new Set(['jpeg', 'png', 'webp', 'tiff', 'heif', 'avif', 'gif']);

export interface DecodedPhoto {
  image: RgbImage;
  /** Size of the EXIF-rotated original. */
  originalWidth: number;
  originalHeight: number;
  /** original / decoded (≥ 1 when shrunk on load). */
  scale: number;
}

export interface DecodePhotoOptions {
  limitInputPixels?: number;
  /** Shrink on load to this long side (default 4096). */
  maxSide?: number;
  /** Enlarge smaller photos to this long side (default: never enlarge). */
  minSide?: number;
}

/**
 * Decodes to RGB: EXIF-rotated, alpha flattened, sRGB, long side clamped to [`minSide`, `maxSide`]
 * (an original already in range keeps its size). Throws `OcrImageError`.
 */
export async function decodePhoto(buffer: Uint8Array, opts: DecodePhotoOptions = {}): Promise<DecodedPhoto> {
  if (!buffer || buffer.length === 0) throw new OcrImageError('empty', 'empty image (0 bytes)');
  const limitInputPixels = opts.limitInputPixels ?? OCR_MAX_INPUT_PIXELS;
  const maxSide = opts.maxSide ?? OCR_MAX_SIDE;
  const input = () => sharp(buffer, { limitInputPixels, failOn: 'error' });
  let meta: Metadata;
  try {
    meta = await input().metadata();
  } catch (e) {
    throw classifyDecodeError(e);
  }
  if (!meta.format || !SUPPORTED.has(meta.format) || !meta.width || !meta.height) {
    throw new OcrImageError('unsupported', `not a supported image (${meta.format ?? 'unknown format'})`);
  }
  if (meta.width * meta.height > limitInputPixels) {
    throw new OcrImageError('too_large', `image too large: ${meta.width}x${meta.height} exceeds ${limitInputPixels} pixels`);
  }
  const swap = (meta.orientation ?? 1) >= 5;
  const originalWidth = swap ? meta.height : meta.width;
  const long = Math.max(meta.width, meta.height);
  const target = Math.round(Math.max(Math.min(long, maxSide), opts.minSide ?? 0));
  try {
    let pipeline = input().rotate();
    if (target !== long) pipeline = pipeline.resize({ width: target, height: target, fit: 'inside', kernel: 'lanczos3' });
    const { data, info } = await pipeline
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new OcrImageError('unsupported', `decoded to ${info.channels} channels`);
    return {
      image: { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height },
      originalWidth,
      originalHeight: swap ? meta.width : meta.height,
      scale: originalWidth / info.width,
    };
  } catch (e) {
    throw classifyDecodeError(e);
  }
}

function classifyDecodeError(e: unknown): OcrImageError {
  if (e instanceof OcrImageError) return e;
  const msg = (e as Error)?.message ?? String(e);
  if (/pixel limit/i.test(msg)) return new OcrImageError('too_large', `image too large: ${msg}`, { cause: e });
  if (/unsupported image format|bad seek|input buffer is empty/i.test(msg)) {
    return new OcrImageError('unsupported', `not a supported image: ${msg}`, { cause: e });
  }
  return new OcrImageError('corrupt', `unreadable image: ${msg}`, { cause: e });
}

// ---------------------------------------------------------------------------------------------
// Models

// ---------------------------------------------------------------------------------------------
// Engine

export class OcrEngine {
  readonly modelsDir: string;
  private readonly det: ort.InferenceSession;
  private readonly rec: ort.InferenceSession;
  private readonly charset: string[];
  private readonly digits: Int32Array;
  private readonly opts: Required<Pick<OcrEngineOptions, 'limitInputPixels' | 'maxSide' | 'detStripPixels'>>;

  private constructor(
    modelsDir: string,
    det: ort.InferenceSession,
    rec: ort.InferenceSession,
    charset: string[],
    opts: OcrEngineOptions,
  ) {
    this.modelsDir = modelsDir;
    this.det = det;
    this.rec = rec;
    this.charset = charset;
    this.digits = digitClasses(charset);
    this.opts = {
      limitInputPixels: opts.limitInputPixels ?? OCR_MAX_INPUT_PIXELS,
      maxSide: opts.maxSide ?? OCR_DECODE_SIDE,
      detStripPixels: opts.detStripPixels ?? DET_STRIP_PIXELS,
    };
  }

  /** Loads and sha256-verifies the models. Throws `OcrModelsError` (with the fix) when they are not usable. */
  static async load(opts: OcrEngineOptions = {}): Promise<OcrEngine> {
    const dir = resolve(opts.modelsDir ?? defaultModelsDir());
    const files = await Promise.all(
      [MODEL_FILES.ocrDetect, MODEL_FILES.ocrRecognise, MODEL_FILES.ocrKeys].map((m) => readVerifiedModel(dir, m)),
    );
    const problems = files.flatMap((f) => (f.problem ? [f.problem] : []));
    if (problems.length) throw new OcrModelsError(dir, problems);
    const [det, rec, keys] = files.map((f) => f.bytes!) as [Buffer, Buffer, Buffer];
    const threads = opts.intraOpNumThreads ?? 1;
    const so: ort.InferenceSession.SessionOptions = {
      executionProviders: ['cpu'],
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3,
      // The arena keeps the detector's activations between runs (without it every strip's hundreds of MB were
      // mapped and zeroed again: a fifth of the OCR's CPU went to the kernel). The memory pattern is off: with it
      // the arena held a planned block per input shape on top of the first run's tensors (843 → 731 MB peak for a
      // 20-photo CLI ingest; docs/bibtrack.md).
      enableCpuMemArena: true,
      enableMemPattern: false,
    };
    try {
      const [d, r] = await Promise.all([ort.InferenceSession.create(det, so), ort.InferenceSession.create(rec, so)]);
      const charset = loadCharset(keys.toString('utf8'));
      return new OcrEngine(dir, d, r, charset, opts);
    } catch (e) {
      throw new OcrModelsError(dir, [`onnxruntime could not load them (${(e as Error).message})`], { cause: e });
    }
  }

  /** Every text line the models find, with both decodes (for diagnostics, benches and custom rules). */
  async readLines(image: Uint8Array, opts: Pick<ReadBibsOptions, 'scale' | 'maxBoxes' | 'det'> = {}): Promise<OcrPage> {
    const t0 = performance.now();
    const photo = await decodePhoto(image, this.opts);
    return this.readDecodedLines(photo, opts, t0);
  }

  /**
   * `readLines` on a photo already decoded (the ingest decodes each original once for every stage,
   * server/ingest/vision-input.ts): RGB, EXIF-rotated, with the original's size. A picture larger than the
   * engine's `maxSide` is shrunk to it first, as the decoder would have.
   */
  async readDecodedLines(
    decoded: DecodedPhoto,
    opts: Pick<ReadBibsOptions, 'scale' | 'maxBoxes' | 'det'> = {},
    t0 = performance.now(),
  ): Promise<OcrPage> {
    let photo = decoded;
    const side = Math.max(photo.image.width, photo.image.height);
    if (side > this.opts.maxSide) {
      const k = this.opts.maxSide / side;
      const w = Math.max(1, Math.round(photo.image.width * k));
      const h = Math.max(1, Math.round(photo.image.height * k));
      photo = { ...photo, image: await resizeRgb(photo.image, w, h), scale: photo.originalWidth / w };
    }
    const scale = opts.scale ?? DEFAULT_SCALE;
    // Large photos are decoded up to maxSide (2048, shrink-on-load) and shrunk for the detector, the crops
    // coming from the sharper decoded picture. Small ones are never enlarged to the detector's size (a 720-px
    // photo cost 3× the time for the same reads): the detector sees them at their size, up to the next multiple
    // of 32 (its input must be one).
    const long = Math.max(photo.image.width, photo.image.height);
    const detIn = await prepareDetPicture(photo.image, long >= scale ? scale : Math.max(32, Math.ceil(long / 32) * 32));
    const t1 = performance.now();

    const { prob, width: pw, height: ph } = await this.detect(detIn);
    let boxes = dbPostprocess(prob, pw, ph, {
      validWidth: detIn.plan.width,
      validHeight: detIn.plan.height,
      ...opts.det,
    })
      .sort((a, b) => b.score - a.score)
      .slice(0, opts.maxBoxes ?? 200);
    boxes = sortReadingOrder(boxes);
    const t2 = performance.now();

    // Crops come from the decoded picture (never smaller than the detector's).
    const source = photo.image;
    const toSource = (p: Point): Point => ({ x: p.x / detIn.plan.scaleX, y: p.y / detIn.plan.scaleY });
    const sx = photo.originalWidth / photo.image.width;
    const sy = photo.originalHeight / photo.image.height;
    const toOriginal = (p: Point): Point => ({ x: p.x * sx, y: p.y * sy });

    const jobs: { box: number; crop: Crop }[] = [];
    boxes.forEach((b, i) => {
      const q = b.quad.map(toSource) as Quad;
      const first = cropQuad(source, q, { rotate: 'ccw' });
      jobs.push({ box: i, crop: first });
      if (first.rotated) jobs.push({ box: i, crop: cropQuad(source, q, { rotate: 'cw' }) });
    });
    const reads = await this.recognise(jobs.map((j) => j.crop));
    const best = new Map<number, { crop: Crop; read: LineRead; score: number }>();
    jobs.forEach((j, n) => {
      const read = reads[n]!;
      const score = read.runs.length ? Math.max(...read.runs.map((r) => r.confidence)) : read.textConfidence;
      const cur = best.get(j.box);
      if (!cur || score > cur.score) best.set(j.box, { crop: j.crop, read, score });
    });
    const lines: OcrLine[] = [];
    for (const [i, b] of [...best.entries()].sort((x, y) => x[0] - y[0])) {
      lines.push({
        quad: b.crop.quad.map(toOriginal) as Quad,
        detScore: boxes[i]!.score,
        read: b.read,
        rotated: b.crop.rotated,
        cropWidth: b.crop.width,
      });
    }
    const t3 = performance.now();
    return {
      width: photo.originalWidth,
      height: photo.originalHeight,
      lines,
      timings: { decodeMs: t1 - t0, detMs: t2 - t1, recMs: t3 - t2 },
    };
  }

  /** Bib numbers in a photo. Throws `OcrImageError` for a buffer that is not a readable image. */
  async readBibs(image: Uint8Array, opts: ReadBibsOptions = {}): Promise<BibRead[]> {
    const page = await this.readLines(image, opts);
    return bibsFromLines(page, opts);
  }

  /** `readBibs` on a photo already decoded (see `readDecodedLines`). */
  async readDecodedBibs(photo: DecodedPhoto, opts: ReadBibsOptions = {}): Promise<BibRead[]> {
    const page = await this.readDecodedLines(photo, opts);
    return bibsFromLines(page, opts);
  }

  async release(): Promise<void> {
    await Promise.all([this.det.release(), this.rec.release()]);
  }

  /**
   * The text detector's probability map of a picture (`[1,3,H,W]` once padded). An input over `detStripPixels` runs
   * as horizontal strips (core rows a multiple of 32, plus `DET_STRIP_OVERLAP` rows of context on each inner side,
   * the core rows kept): the activations of a whole 1536-px picture (≈ 420 MB) are the OCR's peak memory, a strip's
   * are a fraction. Each strip's tensor is built from the picture's rows into one buffer (the whole input's tensor,
   * 21 MB for a 12-MP photo, is never made).
   */
  private async detect(picture: DetPicture): Promise<{ prob: Float32Array; width: number; height: number }> {
    const [, , H, W] = picture.dims;
    const input = this.det.inputNames[0]!;
    const output = this.det.outputNames[0]!;
    const strips = planDetStrips(H, W, this.opts.detStripPixels);
    const rows = new Float32Array(3 * W * Math.max(...strips.map((s) => s.to - s.from)));
    const run = async (from: number, to: number) => {
      const h = to - from;
      const data = detTensorRows(picture.resized, W, from, to, rows).subarray(0, 3 * h * W);
      const t = (await this.det.run({ [input]: new ort.Tensor('float32', data, [1, 3, h, W]) }))[output]!;
      const [, , th, tw] = t.dims as [number, number, number, number];
      if (th !== h || tw !== W) throw new Error(`text detector returned ${tw}x${th} for a ${W}x${h} input`);
      return t.data as Float32Array;
    };
    if (strips.length === 1) return { prob: await run(0, H), width: W, height: H };
    const prob = new Float32Array(H * W);
    for (const { top, bottom, from, to } of strips) {
      const out = await run(from, to);
      prob.set(out.subarray((top - from) * W, (bottom - from) * W), top * W);
    }
    return { prob, width: W, height: H };
  }

  /** Recognises 48-px-high crops in width-sorted batches. */
  private async recognise(crops: readonly Crop[]): Promise<LineRead[]> {
    const out = new Array<LineRead>(crops.length);
    const order = crops.map((c, i) => i).sort((a, b) => crops[a]!.width - crops[b]!.width);
    for (let s = 0; s < order.length;) {
      const first = crops[order[s]!]!.width;
      let e = s + 1;
      while (e < order.length && e - s < REC_BATCH && crops[order[e]!]!.width <= first * REC_BATCH_SPREAD) e++;
      const idx = order.slice(s, e);
      s = e;
      const batch = idx.map((i) => crops[i]!);
      const width = Math.ceil(Math.max(...batch.map((c) => c.width)) / 8) * 8;
      const data = recTensorData(batch, width);
      const res = await this.rec.run({
        [this.rec.inputNames[0]!]: new ort.Tensor('float32', data, [batch.length, 3, REC_HEIGHT, width]),
      });
      const t = res[this.rec.outputNames[0]!]!;
      const [, frames, classes] = t.dims as [number, number, number];
      const probs = t.data as Float32Array;
      idx.forEach((i, n) => {
        // Frames past the crop's own width only see padding.
        const own = Math.min(frames, Math.ceil(crops[i]!.width / 8) + 1);
        out[i] = decodeLine(probs, own, classes, this.charset, this.digits, { offset: n * frames * classes });
      });
    }
    return out;
  }
}

/** Turns recognised lines into bib reads: bib rules, box of the digits, issued list, one read per bib. */
export function bibsFromLines(page: Pick<OcrPage, 'width' | 'height' | 'lines'>, opts: ReadBibsOptions = {}): BibRead[] {
  const reads: BibRead[] = [];
  const geometry: LineGeometry[] = page.lines.map((l) => ({ box: quadBounds(l.quad), text: l.read.text }));
  page.lines.forEach((line, li) => {
    for (const run of line.read.runs) {
      const context = { besideWords: isYearLike(run.digits) && besideWords(geometry[li]!, geometry) };
      if (rejectReason(run, line.read.text, opts, context)) continue;
      const whole = run.before === '' && run.after === '';
      const q = whole
        ? line.quad
        : subQuad(line.quad, (run.start * 8 - RUN_MARGIN) / line.cropWidth, (run.end * 8 + RUN_MARGIN) / line.cropWidth);
      const [x1, y1, x2, y2] = quadBounds(q);
      const clampX = (v: number) => Math.round(Math.min(Math.max(v, 0), page.width));
      const clampY = (v: number) => Math.round(Math.min(Math.max(v, 0), page.height));
      reads.push({
        bib: run.digits,
        bib_norm: normaliseBib(run.digits),
        confidence: Math.round(run.confidence * 1e4) / 1e4,
        box: [clampX(x1), clampY(y1), clampX(x2), clampY(y2)],
        status: 'accepted',
      });
    }
  });
  return dedupeReads(applyIssued(reads, opts.issued));
}

// ---------------------------------------------------------------------------------------------
// Process-wide default engine

let shared: Promise<OcrEngine> | null = null;

/** The process-wide engine (models from `defaultModelsDir()`), loaded on first use. */
export function sharedEngine(opts?: OcrEngineOptions): Promise<OcrEngine> {
  if (!shared) {
    shared = OcrEngine.load(opts);
    shared.catch(() => {
      shared = null; // let a later call retry, e.g. after `npm run fetch-models`
    });
  }
  return shared;
}

/**
 * Reads the bib numbers in a photo (JPEG/PNG/WebP/… bytes) on the process-wide engine.
 * `box` is in original pixels; with `issued`, unknown numbers come back as `candidate`.
 * Throws `OcrModelsError` (models missing, with the fix) or `OcrImageError` (not a readable image).
 */
export async function readBibs(imageBuffer: Uint8Array, opts: ReadBibsOptions = {}): Promise<BibRead[]> {
  return (await sharedEngine()).readBibs(imageBuffer, opts);
}
