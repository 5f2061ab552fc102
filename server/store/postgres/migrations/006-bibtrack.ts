import { NOW_SQL as NOW } from '../db.ts';
import type { PgMigration } from './index.ts';

/** Twin of sqlite/migrations/006-bibtrack.ts (bib_key is a STORED generated column: PostgreSQL has no virtual ones). */
export const bibtrack: PgMigration = {
  version: 6,
  name: 'bibtrack: bib_tags.bib_key and reviewed_at, bib_scans, bib_issued',
  up: `
    ALTER TABLE bib_tags ADD COLUMN bib_key TEXT GENERATED ALWAYS AS (
      CASE WHEN ltrim(bib_norm, '0') = '' THEN substr(bib_norm, 1, 1) ELSE ltrim(bib_norm, '0') END
    ) STORED;
    ALTER TABLE bib_tags ADD COLUMN reviewed_at TEXT;
    CREATE INDEX bib_tags_key ON bib_tags(event_id, bib_key, status);

    CREATE TABLE bib_scans (
      image_id TEXT PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
      event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
      state TEXT NOT NULL CHECK (state IN ('read','failed')),
      reads BIGINT NOT NULL DEFAULT 0,
      error TEXT,
      scanned_at TEXT NOT NULL DEFAULT ${NOW}
    );
    CREATE INDEX bib_scans_event ON bib_scans(event_id, state);

    CREATE TABLE bib_issued (
      event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
      bib_norm TEXT NOT NULL,
      bib TEXT NOT NULL,
      PRIMARY KEY (event_id, bib_norm)
    );
  `,
};
