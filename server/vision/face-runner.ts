/**
 * Server side of the face pipeline: decode a photo with sharp (EXIF-rotated, RGB, size-capped),
 * then the shared core pipeline on onnxruntime-node.
 */
import sharp from 'sharp';
import type { Metadata } from 'sharp';
import {
  ALIGNED_SIZE,
  ImagePyramid,
  SELFIE_MIN_SHARPNESS,
  faceQuality,
  faceSize,
  analyseSelfie,
  detectFaces,
  embedAligned,
  embedFaces,
  alignedFaceSharpness,
  type Box,
  type EmbedFacesOptions,
  type FaceBackend,
  type RasterImage,
  type SelfieRefusal,
} from '../../core/face/index.ts';
import { DEFAULT_FACE_PIPELINE, FACE_PIPELINES, type FacePipelineName, type FacePipelineSpec } from '../../core/models.ts';
import { paths } from '../paths.ts';
import { loadFaceModels } from './face-models.ts';
import { ImageDecodeError } from './face-errors.ts';

/** Longest side the face pipeline decodes to; larger photos are shrunk on load (faces keep ≥32 px down to ~1 % of the frame). */
export const FACE_MAX_SIDE = 4096;
/**
 * Indexing skips the detection tiles whose largest local luma step is at most this (`tileActivity`, on a pyramid
 * level where the tile's smallest face is 8 px): sky, road, walls, blurred backgrounds. Tiles that found a face on
 * the measured sets stepped by 148 levels or more (docs/face-search.md).
 */
export const INDEX_FLAT_TILE_STEP = 12;
/**
 * Detector runs per photo when indexing (the tiling plan's budget, `planDetection`'s `maxTiles`): 100 keeps faces from
 * 16 px in frames up to ~2000×1500 (every photo of the measured sets) and from 32 px in a 12-MP frame (4000×3000, 74
 * runs instead of 178 for faces from 21 px): faces of 20–31 px are found by search 14 % of the time at the default
 * threshold (bench/face-eval.ts), at 2.4× the detection cost of the whole photo. docs/face-search.md has the figures.
 */
export const INDEX_MAX_TILES = 100;
/** Decoder pixel limit (a decompression-bomb guard; the same as renditions'). */
export const FACE_MAX_INPUT_PIXELS = 120_000_000;

export { ImageDecodeError, type ImageDecodeErrorCode } from './face-errors.ts';

export interface DecodedImage {
  /** RGB pixels, EXIF orientation applied, long side ≤ `maxSide`. */
  image: RasterImage;
  /** Size of the (rotated) original. */
  originalWidth: number;
  originalHeight: number;
  /** `originalWidth / image.width`: multiply decoded coordinates by it to get original pixels. */
  scale: number;
}

export interface DecodeOptions {
  maxSide?: number;
  limitInputPixels?: number;
}

const SUPPORTED = new Set(['jpeg', 'png', 'webp', 'tiff', 'heif', 'avif', 'gif']);

/**
 * Decodes to RGB with sharp: EXIF-rotate, flatten alpha, sRGB, and shrink-on-load to
 * `maxSide` (so a 50-megapixel JPEG never materialises at full size). Throws `ImageDecodeError`.
 */
export async function decodeImage(buffer: Uint8Array, opts: DecodeOptions = {}): Promise<DecodedImage> {
  if (!buffer || buffer.length === 0) throw new ImageDecodeError('empty', 'empty image (0 bytes)');
  const maxSide = opts.maxSide ?? FACE_MAX_SIDE;
  const limitInputPixels = opts.limitInputPixels ?? FACE_MAX_INPUT_PIXELS;
  const input = () => sharp(buffer, { limitInputPixels, failOn: 'error' });
  let meta: Metadata;
  try {
    meta = await input().metadata();
  } catch (e) {
    throw classify(e);
  }
  if (!meta.format || !SUPPORTED.has(meta.format) || !meta.width || !meta.height) {
    throw new ImageDecodeError('unsupported', `not a supported image (${meta.format ?? 'unknown format'})`);
  }
  const swap = (meta.orientation ?? 1) >= 5;
  const originalWidth = swap ? meta.height : meta.width;
  const originalHeight = swap ? meta.width : meta.height;
  try {
    const { data, info } = await input()
      .rotate()
      .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#808080' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3 || data.length !== info.width * info.height * 3) {
      throw new ImageDecodeError('unsupported', `decoded to ${info.channels} channels, ${data.length} bytes`);
    }
    const image: RasterImage = {
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
      width: info.width,
      height: info.height,
      channels: 3,
    };
    return { image, originalWidth, originalHeight, scale: originalWidth / info.width };
  } catch (e) {
    throw classify(e);
  }
}

function classify(e: unknown): ImageDecodeError {
  if (e instanceof ImageDecodeError) return e;
  const msg = (e as Error)?.message ?? String(e);
  if (/pixel limit/i.test(msg)) return new ImageDecodeError('too_large', `image too large: ${msg}`, { cause: e });
  if (/unsupported image format|bad seek|input buffer is empty/i.test(msg)) {
    return new ImageDecodeError('unsupported', `not a supported image: ${msg}`, { cause: e });
  }
  return new ImageDecodeError('corrupt', `unreadable image: ${msg}`, { cause: e });
}

export interface IndexedFace {
  /** `[x1, y1, x2, y2]` in pixels of the original (EXIF-rotated) photo. */
  box: Box;
  score: number;
  /** 512-D, L2-normalised. */
  embedding: Float32Array;
  /** Variance of the Laplacian of the face crop (low = blurry). */
  sharpness: number;
  /** `faceQuality` (0..1) from the face's size in decoded pixels and its sharpness; search uses it. */
  quality: number;
}

export type SelfieEmbedding =
  | {
      ok: true;
      embedding: Float32Array;
      /** The chosen face in original pixels; null when the input was an aligned 112×112 face. */
      box: Box | null;
      /** True when the input was taken as an already aligned 112×112 face. */
      prealigned: boolean;
      sharpness: number;
      /** `faceQuality` of the query face (1 for an aligned 112×112 crop as sharp as a selfie). */
      quality: number;
    }
  | { ok: false; reason: SelfieRefusal };

export interface FaceRunner {
  readonly backend: FaceBackend;
  /** The pipeline's settings (sizes, quality rule). */
  readonly pipeline: FacePipelineSpec;
  /**
   * Every face of a photo down to the pipeline's `minEmbedFace` (shorter box side, decoded pixels; 20 by
   * default), embedded, with its quality; tiles (upscaled ones for the smallest faces) find the small
   * faces of large frames. Boxes are in original (EXIF-rotated) pixels.
   */
  indexPhotoFaces(buffer: Uint8Array, opts?: EmbedFacesOptions & DecodeOptions): Promise<IndexedFace[]>;
  /** `indexPhotoFaces` on a photo already decoded by `decodeImage` (the ingest decodes each original once). */
  indexDecodedFaces?(decoded: DecodedImage, opts?: EmbedFacesOptions): Promise<IndexedFace[]>;
  /**
   * A selfie (any photo: chooses the face, or refuses) or an aligned 112×112 face (e.g. from the
   * browser worker's `analyseSelfie`), embedded. Throws `ImageDecodeError` on a non-image.
   */
  embedSelfie(buffer: Uint8Array): Promise<SelfieEmbedding>;
}

const scaleBox = (b: Box, k: number): Box => [b[0] * k, b[1] * k, b[2] * k, b[3] * k];

/** A runner over any backend (the server passes onnxruntime-node's) and a pipeline's settings. */
export function createFaceRunner(
  backend: FaceBackend,
  pipeline: FacePipelineSpec = FACE_PIPELINES[DEFAULT_FACE_PIPELINE],
): FaceRunner {
  return {
    backend,
    pipeline,
    async indexPhotoFaces(buffer, opts = {}) {
      return this.indexDecodedFaces!(await decodeImage(buffer, opts), opts);
    },
    async indexDecodedFaces({ image, scale }, opts = {}) {
      // Sizes are in decoded pixels, where the information is: on an original shrunk on load
      // (long side > FACE_MAX_SIDE) the smallest indexed face is minEmbedFace × scale original pixels.
      const minEmbedFace = opts.minEmbedFace ?? pipeline.minEmbedFace;
      const faces = await embedFaces(image, backend, {
        skipFlatTiles: INDEX_FLAT_TILE_STEP,
        maxTiles: INDEX_MAX_TILES,
        ...opts,
        minEmbedFace,
        minFace: opts.minFace ?? Math.min(minEmbedFace, pipeline.detectMinFace),
      });
      return faces.map((f) => ({
        box: scaleBox(f.box, scale),
        score: f.score,
        embedding: f.embedding,
        sharpness: f.sharpness,
        quality: faceQuality(faceSize(f.box), f.sharpness),
      }));
    },
    async embedSelfie(buffer) {
      const { image, scale } = await decodeImage(buffer);
      if (image.width === ALIGNED_SIZE && image.height === ALIGNED_SIZE) {
        // Already aligned: check it is a face and sharp enough, then embed as is.
        const faces = await detectFaces(new ImagePyramid(image), backend, { fullFrameOnly: true });
        if (faces.length === 0) return { ok: false, reason: 'no_face' };
        const sharpness = alignedFaceSharpness(image);
        if (sharpness < SELFIE_MIN_SHARPNESS) return { ok: false, reason: 'too_blurry' };
        return {
          ok: true,
          embedding: await embedAligned(image, backend),
          box: null,
          prealigned: true,
          sharpness,
          quality: faceQuality(ALIGNED_SIZE, sharpness),
        };
      }
      const a = await analyseSelfie(image, backend, { minFace: pipeline.selfieMinFace });
      if (!a.ok) return { ok: false, reason: a.reason };
      return {
        ok: true,
        embedding: await embedAligned(a.aligned.image, backend),
        box: scaleBox(a.face.box, scale),
        prealigned: false,
        sharpness: a.sharpness,
        quality: faceQuality(faceSize(a.face.box), a.sharpness),
      };
    },
  };
}

const runners = new Map<string, Promise<FaceRunner>>();

/**
 * The process-wide runner for `modelsDir` (default: the package's `models/`; the server passes config MODELS_DIR)
 * and a pipeline (config FACE_PIPELINE, default `default`), models loaded and verified once. Throws `FaceModelsError`.
 */
export function getFaceRunner(
  modelsDir: string = paths.models,
  pipelineName: FacePipelineName = DEFAULT_FACE_PIPELINE,
): Promise<FaceRunner> {
  const key = `${pipelineName}\0${modelsDir}`;
  let r = runners.get(key);
  if (!r) {
    r = loadFaceModels(modelsDir, pipelineName).then((m) => createFaceRunner(m.backend, m.pipeline));
    runners.set(key, r);
    r.catch(() => runners.delete(key));
  }
  return r;
}

/** `getFaceRunner().indexPhotoFaces(buffer)` with the default models dir. */
export async function indexPhotoFaces(
  buffer: Uint8Array,
  opts?: EmbedFacesOptions & DecodeOptions & { modelsDir?: string },
): Promise<IndexedFace[]> {
  return (await getFaceRunner(opts?.modelsDir)).indexPhotoFaces(buffer, opts);
}

/** `getFaceRunner().embedSelfie(buffer)` with the default models dir. */
export async function embedSelfie(buffer: Uint8Array, opts?: { modelsDir?: string }): Promise<SelfieEmbedding> {
  return (await getFaceRunner(opts?.modelsDir)).embedSelfie(buffer);
}
