import type pg from 'pg';
import { linkFacesToBibs, linkableBibs } from '../../../ingest/face-bib-links.ts';
import { NOW_SQL as NOW } from '../db.ts';
import type { PgMigration } from './index.ts';

/** Twin of sqlite/migrations/012-face-bib-links.ts, with the same backfill of the photos already stored. */
export const faceBibLinks: PgMigration = {
  version: 12,
  name: 'face_bib_links, face_search_hits.match and match_confidence, face_search_rejects',
  up: async (client) => {
    await client.query(`
      CREATE TABLE face_bib_links (
        face_id BIGINT PRIMARY KEY REFERENCES faces(id) ON DELETE CASCADE,
        image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
        event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        tag_id BIGINT NOT NULL UNIQUE REFERENCES bib_tags(id) ON DELETE CASCADE,
        bib_norm TEXT NOT NULL,
        confidence DOUBLE PRECISION NOT NULL CHECK (confidence >= 0 AND confidence <= 1)
      );
      CREATE INDEX face_bib_links_image ON face_bib_links(image_id);
      CREATE INDEX face_bib_links_event ON face_bib_links(event_id);

      ALTER TABLE face_search_hits ADD COLUMN match TEXT CHECK (match IN ('face','bib','both'));
      ALTER TABLE face_search_hits ADD COLUMN match_confidence DOUBLE PRECISION;

      CREATE TABLE face_search_rejects (
        request_id TEXT NOT NULL REFERENCES face_searches(request_id) ON DELETE CASCADE,
        image_id TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT ${NOW},
        PRIMARY KEY (request_id, image_id)
      );
    `);
    await backfill(client);
  },
};

/** Links the faces and bibs of every photo already stored. */
async function backfill(client: pg.PoolClient): Promise<void> {
  const images = (
    await client.query<{ id: string; event_id: number }>(
      `SELECT i.id, i.event_id FROM images i
       WHERE EXISTS (SELECT 1 FROM faces f WHERE f.image_id = i.id)
         AND EXISTS (SELECT 1 FROM bib_tags t WHERE t.image_id = i.id AND t.box IS NOT NULL)`,
    )
  ).rows;
  for (const img of images) {
    const f = (
      await client.query<{ id: number; x1: number; y1: number; x2: number; y2: number }>(
        'SELECT id, x1, y1, x2, y2 FROM faces WHERE image_id = $1',
        [img.id],
      )
    ).rows.map((r) => ({ id: Number(r.id), box: [r.x1, r.y1, r.x2, r.y2] as const }));
    const t = (
      await client.query<{ id: number; bib_norm: string; status: string; confidence: number | null; box: string | null }>(
        'SELECT id, bib_norm, status, confidence, box FROM bib_tags WHERE image_id = $1',
        [img.id],
      )
    ).rows.map((r) => ({ ...r, id: Number(r.id), box: r.box ? (JSON.parse(r.box) as [number, number, number, number]) : null }));
    for (const l of linkFacesToBibs(f, linkableBibs(t)))
      await client.query(
        'INSERT INTO face_bib_links (face_id, image_id, event_id, tag_id, bib_norm, confidence) VALUES ($1, $2, $3, $4, $5, $6)',
        [l.face_id, img.id, img.event_id, l.tag_id, l.bib_norm, l.confidence],
      );
  }
}
