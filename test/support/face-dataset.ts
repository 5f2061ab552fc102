// Where the real face photos are (never copied into the repo): FACES_DATASET, else the checkout's sibling
// ../shared/datasets/faces. Tests that need them skip on a developer machine without them, and fail when CI runs
// without them (`CI` set): a missing dataset must never turn the face tests green by skipping them.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export const FACES_DIR = resolve(process.env.FACES_DATASET ?? join(ROOT, '..', 'shared', 'datasets', 'faces'));

/** Whether the dataset is there (its manifest). */
export const HAVE_FACES = existsSync(join(FACES_DIR, 'manifest.json'));

/** Why the face tests cannot run here, or null. Under CI a missing dataset throws instead: the run fails. */
export function facesMissing(): string | null {
  if (HAVE_FACES) return null;
  const why = `face dataset not found at ${FACES_DIR} (set FACES_DATASET, or put it at ../shared/datasets/faces)`;
  if (process.env.CI) throw new Error(`CI runs without the face dataset: ${why}`);
  return why;
}
