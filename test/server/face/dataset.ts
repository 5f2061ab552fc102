// Shared by the face tests: the real face photos in shared/datasets/faces (never copied into the repo)
// and the models directory.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Box } from '../../../core/face/index.ts';
import { FACES_DIR, HAVE_FACES, facesMissing } from '../../support/face-dataset.ts';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const MODELS_DIR = resolve(process.env.MODELS_DIR ?? join(ROOT, 'models'));
export { FACES_DIR };
export const HAVE_DATASET = HAVE_FACES;
/** `{ skip }` for tests that need the dataset (named in the skip message); under CI a missing dataset fails instead. */
const missing = facesMissing();
export const needsDataset = missing ? { skip: missing } : {};

export interface ManifestFile {
  file: string;
  identity?: string;
  identities: string[];
  kind: 'single' | 'group';
  source_photo: string;
  width: number;
  height: number;
  channels: number;
  faces_detected: { box: Box; score: number }[];
}

export function manifest(): ManifestFile[] {
  return (JSON.parse(readFileSync(join(FACES_DIR, 'manifest.json'), 'utf8')) as { files: ManifestFile[] }).files;
}

export const readFace = (file: string): Buffer => readFileSync(join(FACES_DIR, file));
