import type { PgMigration } from './index.ts';

/** Twin of sqlite/migrations/0121-face-quality.ts. */
export const faceQuality: PgMigration = {
  version: 121,
  name: 'faces: quality score and embedding model',
  up: `
    ALTER TABLE faces ADD COLUMN quality DOUBLE PRECISION CHECK (quality IS NULL OR (quality >= 0 AND quality <= 1));
    ALTER TABLE faces ADD COLUMN model TEXT;
  `,
};
