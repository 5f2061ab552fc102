import type Database from 'better-sqlite3';
import { linkFacesToBibs, linkableBibs } from '../../../ingest/face-bib-links.ts';
import type { Migration } from './index.ts';

const NOW = "(strftime('%Y-%m-%dT%H:%M:%fZ','now'))";

/**
 * Face–bib links (issue 17):
 *  - `face_bib_links`: which face of a photo wears which bib tag read in it (one bib per face, one face per tag),
 *    with the link's confidence; gone with the face, the tag or the photo;
 *  - `face_search_hits.match` / `match_confidence`: why a selfie search matched a photo (face, bib, both);
 *  - `face_search_rejects`: "Not me" on a search's photo (dropped from the result, never used to expand it).
 * The photos already stored are linked here (the faces and OCR boxes are in the database).
 */
export const faceBibLinks: Migration = {
  version: 12,
  name: 'face_bib_links, face_search_hits.match and match_confidence, face_search_rejects',
  up: (db) => {
    db.exec(`
      CREATE TABLE face_bib_links (
        face_id INTEGER PRIMARY KEY REFERENCES faces(id) ON DELETE CASCADE,
        image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
        event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        tag_id INTEGER NOT NULL UNIQUE REFERENCES bib_tags(id) ON DELETE CASCADE,
        bib_norm TEXT NOT NULL,
        confidence REAL NOT NULL CHECK (confidence >= 0 AND confidence <= 1)
      );
      CREATE INDEX face_bib_links_image ON face_bib_links(image_id);
      CREATE INDEX face_bib_links_event ON face_bib_links(event_id);

      ALTER TABLE face_search_hits ADD COLUMN match TEXT CHECK (match IN ('face','bib','both'));
      ALTER TABLE face_search_hits ADD COLUMN match_confidence REAL;

      CREATE TABLE face_search_rejects (
        request_id TEXT NOT NULL REFERENCES face_searches(request_id) ON DELETE CASCADE,
        image_id TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT ${NOW},
        PRIMARY KEY (request_id, image_id)
      ) WITHOUT ROWID;
    `);
    backfill(db);
  },
};

/** Links the faces and bibs of every photo already stored. */
function backfill(db: Database.Database): void {
  const images = db
    .prepare(
      `SELECT i.id, i.event_id FROM images i
       WHERE EXISTS (SELECT 1 FROM faces f WHERE f.image_id = i.id)
         AND EXISTS (SELECT 1 FROM bib_tags t WHERE t.image_id = i.id AND t.box IS NOT NULL)`,
    )
    .all() as { id: string; event_id: number }[];
  const faces = db.prepare('SELECT id, x1, y1, x2, y2 FROM faces WHERE image_id = ?');
  const tags = db.prepare('SELECT id, bib_norm, status, confidence, box FROM bib_tags WHERE image_id = ?');
  const insert = db.prepare(
    'INSERT INTO face_bib_links (face_id, image_id, event_id, tag_id, bib_norm, confidence) VALUES (?, ?, ?, ?, ?, ?)',
  );
  for (const img of images) {
    const f = (faces.all(img.id) as { id: number; x1: number; y1: number; x2: number; y2: number }[]).map((r) => ({
      id: r.id,
      box: [r.x1, r.y1, r.x2, r.y2] as const,
    }));
    const t = (
      tags.all(img.id) as { id: number; bib_norm: string; status: string; confidence: number | null; box: string | null }[]
    ).map((r) => ({ ...r, box: r.box ? (JSON.parse(r.box) as [number, number, number, number]) : null }));
    for (const l of linkFacesToBibs(f, linkableBibs(t)))
      insert.run(l.face_id, img.id, img.event_id, l.tag_id, l.bib_norm, l.confidence);
  }
}
