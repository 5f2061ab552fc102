import type { Migration } from './index.ts';

const NOW = "(strftime('%Y-%m-%dT%H:%M:%fZ','now'))";

/**
 * BibTrack (bib OCR at ingest, manual review):
 *  - `bib_tags.bib_key`: the normalised bib without leading zeros, so a search finds "0427" by "427" and
 *    "427" by "0427" through one index;
 *  - `bib_tags.reviewed_at`: set when a person accepted or rejected the tag; an OCR re-run keeps its status;
 *  - `bib_scans`: which photos the OCR read (or failed to read, and why);
 *  - `bib_issued`: the event's list of issued bibs (OCR reads outside it are candidates).
 */
export const bibtrack: Migration = {
  version: 6,
  name: 'bibtrack: bib_tags.bib_key and reviewed_at, bib_scans, bib_issued',
  up: `
    ALTER TABLE bib_tags ADD COLUMN bib_key TEXT GENERATED ALWAYS AS (
      CASE WHEN ltrim(bib_norm, '0') = '' THEN substr(bib_norm, 1, 1) ELSE ltrim(bib_norm, '0') END
    ) VIRTUAL;
    ALTER TABLE bib_tags ADD COLUMN reviewed_at TEXT;
    CREATE INDEX bib_tags_key ON bib_tags(event_id, bib_key, status);

    CREATE TABLE bib_scans (
      image_id TEXT PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
      event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
      state TEXT NOT NULL CHECK (state IN ('read','failed')),
      reads INTEGER NOT NULL DEFAULT 0,
      error TEXT,
      scanned_at TEXT NOT NULL DEFAULT ${NOW}
    );
    CREATE INDEX bib_scans_event ON bib_scans(event_id, state);

    CREATE TABLE bib_issued (
      event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
      bib_norm TEXT NOT NULL,
      bib TEXT NOT NULL,
      PRIMARY KEY (event_id, bib_norm)
    ) WITHOUT ROWID;
  `,
};
