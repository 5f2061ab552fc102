// Shared by the face tests: the real face photos in shared/datasets/faces (never copied into the repo)
// and the models directory.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Box } from '../../../core/face/index.ts';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const MODELS_DIR = resolve(process.env.MODELS_DIR ?? join(ROOT, 'models'));
export const FACES_DIR = resolve(process.env.FACES_DATASET ?? join(ROOT, '..', 'shared', 'datasets', 'faces'));
export const HAVE_DATASET = existsSync(join(FACES_DIR, 'manifest.json'));
/** `{ skip }` for tests that need the dataset (named in the skip message). */
export const needsDataset = HAVE_DATASET ? {} : { skip: `face dataset not found at ${FACES_DIR} (set FACES_DATASET)` };

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
