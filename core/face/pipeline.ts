/**
 * Runtime-agnostic face pipeline: detect → landmarks → five-point alignment → embedding.
 * The model runner is injected (`FaceBackend`): onnxruntime-node on the server,
 * onnxruntime-web in a browser Web Worker.
 */
import { ImagePyramid, type Affine, type RasterImage } from './image.ts';
import {
  CONTAINMENT_THRESHOLD,
  DETECT_DIMS,
  DETECT_SCORE_THRESHOLD,
  NMS_IOU_THRESHOLD,
  buildDetectorTensor,
  detectorScratch,
  decodeDetections,
  nms,
  planDetection,
  tileActivity,
  faceSize,
  type DetectedFace,
  type TilePlanOptions,
} from './detect.ts';
import {
  ARCFACE_REFERENCE,
  LANDMARK_DIMS,
  estimateSimilarity,
  alignByFivePoints,
  buildLandmarkTensor,
  decodeLandmarks,
  fivePoints,
  landmarkCrop,
  type Point,
} from './align.ts';
import {
  DLIB_CHIP_POINTS,
  DLIB_DESCRIPTOR_DIM,
  DLIB_DIMS,
  EMBEDDING_DIM,
  FEATURE_DIMS,
  buildDlibTensor,
  buildFeatureTensor,
  l2normalize,
  padDescriptor,
  type FeatureKind,
} from './embed.ts';
import {
  MIN_EMBED_FACE_PX,
  SELFIE_MIN_FACE_PX,
  SELFIE_MIN_SHARPNESS,
  SELFIE_SECOND_FACE_AREA_RATIO,
  chooseSelfieFace,
  faceSharpness,
  isFaceLargeEnough,
  type SelfieRefusal,
} from './quality.ts';

export type FaceModel = 'detect' | 'landmark' | 'feature';

/**
 * Runs one model on one float32 tensor and returns its outputs by name
 * (`detect` → `scores`, `boxes`; `landmark` and `feature` → `output`).
 */
export interface FaceBackend {
  run(model: FaceModel, input: Float32Array, dims: number[]): Promise<Record<string, Float32Array>>;
  /** The feature network behind `feature` (default `arcface512`). */
  readonly feature?: FeatureKind;
}

/** dlib chip (150 px) → ArcFace 112 coordinates: the warp that samples the chip from the aligned face. */
const CHIP_TO_ARCFACE: Affine = (() => {
  const t = estimateSimilarity(DLIB_CHIP_POINTS, ARCFACE_REFERENCE);
  return [t.a, -t.b, t.tx, t.b, t.a, t.ty];
})();

export interface DetectOptions extends TilePlanOptions {
  /** Score cut, default `DETECT_SCORE_THRESHOLD` (0.95). */
  scoreThreshold?: number;
  /** NMS IoU, default 0.3. */
  iouThreshold?: number;
  /** Only the letterboxed full-frame pass (no tiles). */
  fullFrameOnly?: boolean;
  /**
   * Skip the tiles (not the full frame) whose `tileActivity` is at most this many luma levels: flat regions (sky,
   * road, walls, blurred backgrounds) where no face can be. Off by default.
   */
  skipFlatTiles?: number;
}

type Source = RasterImage | ImagePyramid;
const pyramid = (img: Source) => (img instanceof ImagePyramid ? img : new ImagePyramid(img));

function output(out: Record<string, Float32Array>, name: string, model: FaceModel): Float32Array {
  const v = out[name] ?? (Object.keys(out).length === 1 ? Object.values(out)[0] : undefined);
  if (!v) throw new Error(`face backend: model '${model}' returned no '${name}' output`);
  return v;
}

/**
 * Finds faces: the full frame plus overlapping tiles (see `planDetection`), merged by NMS.
 * Boxes are in pixels of `img`, best score first.
 */
export async function detectFaces(img: Source, backend: FaceBackend, opts: DetectOptions = {}): Promise<DetectedFace[]> {
  const pyr = pyramid(img);
  let tiles = planDetection(pyr.width, pyr.height, opts);
  if (opts.fullFrameOnly) tiles = tiles.filter((t) => t.level === 0);
  const threshold = opts.scoreThreshold ?? DETECT_SCORE_THRESHOLD;
  const found: DetectedFace[] = [];
  const flat = opts.skipFlatTiles;
  // One input buffer for every tile: each run completes before the next tile is drawn into it.
  const scratch = detectorScratch();
  for (const tile of tiles) {
    if (flat !== undefined && tile.level > 0 && tileActivity(pyr, tile, flat) <= flat) continue;
    const out = await backend.run('detect', buildDetectorTensor(pyr, tile, true, scratch), [...DETECT_DIMS]);
    found.push(
      ...decodeDetections(
        output(out, 'scores', 'detect'),
        output(out, 'boxes', 'detect'),
        tile,
        pyr.width,
        pyr.height,
        threshold,
      ),
    );
  }
  return nms(found, opts.iouThreshold ?? NMS_IOU_THRESHOLD, CONTAINMENT_THRESHOLD);
}

export interface AlignedFace {
  /** 112×112 RGB, ArcFace-aligned. */
  image: RasterImage;
  /** Five points in source-image pixels: eyes (image left, right), nose tip, mouth corners. */
  landmarks: Point[];
}

/** Landmarks of the detected face, then the five-point similarity warp to 112×112. */
export async function alignFace(img: Source, face: DetectedFace, backend: FaceBackend): Promise<AlignedFace> {
  const pyr = pyramid(img);
  const crop = landmarkCrop(face.box, pyr.width, pyr.height);
  const out = await backend.run('landmark', buildLandmarkTensor(pyr, crop), [...LANDMARK_DIMS]);
  const landmarks = fivePoints(decodeLandmarks(output(out, 'output', 'landmark'), crop));
  return { image: alignByFivePoints(pyr, landmarks).image, landmarks };
}

/** 512-D L2-normalised embedding of an aligned 112×112 face. */
export async function embedAligned(aligned: RasterImage, backend: FaceBackend): Promise<Float32Array> {
  if (backend.feature === 'dlib128') {
    const out = await backend.run('feature', buildDlibTensor(aligned, CHIP_TO_ARCFACE), [...DLIB_DIMS]);
    const v = output(out, 'output', 'feature');
    if (v.length !== DLIB_DESCRIPTOR_DIM)
      throw new Error(`face backend: dlib feature output has ${v.length} values, expected ${DLIB_DESCRIPTOR_DIM}`);
    return padDescriptor(v);
  }
  const out = await backend.run('feature', buildFeatureTensor(aligned), [...FEATURE_DIMS]);
  const v = output(out, 'output', 'feature');
  if (v.length !== EMBEDDING_DIM)
    throw new Error(`face backend: feature output has ${v.length} values, expected ${EMBEDDING_DIM}`);
  return l2normalize(Float32Array.from(v));
}

export interface EmbeddedFace extends DetectedFace {
  embedding: Float32Array;
  landmarks: Point[];
  /** Variance of the Laplacian of the face crop (see `faceSharpness`). */
  sharpness: number;
}

export interface EmbedFacesOptions extends DetectOptions {
  /** Faces narrower than this are skipped (default `MIN_EMBED_FACE_PX` = 32). */
  minEmbedFace?: number;
}

/** Every usable face of a photo, embedded (for indexing). */
export async function embedFaces(img: Source, backend: FaceBackend, opts: EmbedFacesOptions = {}): Promise<EmbeddedFace[]> {
  const pyr = pyramid(img);
  const minEmbed = opts.minEmbedFace ?? MIN_EMBED_FACE_PX;
  const faces = (await detectFaces(pyr, backend, { minFace: minEmbed, ...opts })).filter((f) => isFaceLargeEnough(f, minEmbed));
  const out: EmbeddedFace[] = [];
  for (const face of faces) {
    const aligned = await alignFace(pyr, face, backend);
    out.push({
      ...face,
      landmarks: aligned.landmarks,
      sharpness: faceSharpness(pyr, face.box),
      embedding: await embedAligned(aligned.image, backend),
    });
  }
  return out;
}

export type SelfieAnalysis =
  | { ok: true; face: DetectedFace; aligned: AlignedFace; sharpness: number; faces: DetectedFace[] }
  | { ok: false; reason: SelfieRefusal; faces: DetectedFace[]; sharpness?: number };

export interface SelfieOptions {
  minFace?: number;
  minSharpness?: number;
}

/**
 * Picks the selfie's face (largest, most central) and aligns it, or says why not:
 * `no_face`, `several_faces`, `too_small` or `too_blurry`. Does not embed (the browser can send
 * just the aligned 112×112 face to the server, or embed it itself with `embedAligned`).
 */
export async function analyseSelfie(img: Source, backend: FaceBackend, opts: SelfieOptions = {}): Promise<SelfieAnalysis> {
  const pyr = pyramid(img);
  const minFace = opts.minFace ?? SELFIE_MIN_FACE_PX;
  // Faces well under the minimum can neither be chosen nor make the photo ambiguous (a second face
  // counts from SELFIE_SECOND_FACE_AREA_RATIO of the chosen one's area): coarse tiles suffice.
  // A selfie-sized face (≥ SELFIE_MIN_FACE_PX) is found on the coarse tiles as before; only when there is none are finer
  // tiles run for a small query face (e.g. cut from a race photo, down to `minFace`).
  const coarse = Math.max(MIN_EMBED_FACE_PX, SELFIE_MIN_FACE_PX * Math.sqrt(SELFIE_SECOND_FACE_AREA_RATIO));
  const fine = Math.max(16, minFace * Math.sqrt(SELFIE_SECOND_FACE_AREA_RATIO));
  let faces = await detectFaces(pyr, backend, { minFace: Math.max(coarse, fine) });
  if (fine < coarse && !faces.some((f) => faceSize(f.box) >= SELFIE_MIN_FACE_PX)) {
    faces = await detectFaces(pyr, backend, { minFace: fine });
  }
  const choice = chooseSelfieFace(faces, pyr.width, pyr.height, minFace);
  if (!choice.ok) return { ok: false, reason: choice.reason, faces };
  const aligned = await alignFace(pyr, choice.face, backend);
  const sharpness = faceSharpness(pyr, choice.face.box);
  if (sharpness < (opts.minSharpness ?? SELFIE_MIN_SHARPNESS)) return { ok: false, reason: 'too_blurry', faces, sharpness };
  return { ok: true, face: choice.face, aligned, sharpness, faces };
}
