import type { BibFace, FaceBibLink, FaceLinkStore, FaceWithEmbedding } from '../face-link-types.ts';
import { bibKey } from '../sqlite/bibs.ts';
import type { PgDb } from './db.ts';
import { writeHits } from './faces.ts';

const bytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
type RawFace = { id: number; image_id: string; x1: number; y1: number; x2: number; y2: number; embedding: Buffer };
const toFace = ({ x1, y1, x2, y2, embedding, ...r }: RawFace): FaceWithEmbedding => ({
  ...r,
  box: [x1, y1, x2, y2],
  packed: bytes(embedding),
});

/** Twin of sqlite/face-links.ts. */
export function pgFaceLinks(db: PgDb): FaceLinkStore {
  return {
    async replaceForImage(eventId, imageId, links) {
      await db.tx(async (q) => {
        // The photo's row lock serialises two re-links of the same photo.
        await q.get('SELECT 1 FROM images WHERE id = ? FOR UPDATE', [imageId]);
        await q.run('DELETE FROM face_bib_links WHERE image_id = ?', [imageId]);
        for (const l of links) {
          await q.run(
            `INSERT INTO face_bib_links (face_id, image_id, event_id, tag_id, bib_norm, confidence)
             SELECT f.id, f.image_id, f.event_id, t.id, @bib_norm::text, @confidence::double precision
             FROM faces f JOIN bib_tags t ON t.image_id = f.image_id
             WHERE f.id = @face_id AND t.id = @tag_id AND f.image_id = @image_id AND f.event_id = @event_id`,
            { ...l, image_id: imageId, event_id: eventId },
          );
        }
      });
    },
    async listForImage(imageId) {
      return db.all<FaceBibLink>(
        'SELECT face_id, image_id, tag_id, bib_norm, confidence FROM face_bib_links WHERE image_id = ? ORDER BY face_id',
        [imageId],
      );
    },
    async linkableImageIds(eventId) {
      return db.pluck<string>(
        `SELECT i.id FROM images i WHERE i.event_id = ?
           AND EXISTS (SELECT 1 FROM faces f WHERE f.image_id = i.id)
           AND EXISTS (SELECT 1 FROM bib_tags t WHERE t.image_id = i.id AND t.box IS NOT NULL)
         ORDER BY i.id`,
        [eventId],
      );
    },
    async bibsOfFaces(faceIds) {
      if (faceIds.length === 0) return [];
      return db.all<{ face_id: number; bib_norm: string; confidence: number }>(
        `SELECT l.face_id, t.bib_norm, l.confidence FROM face_bib_links l JOIN bib_tags t ON t.id = l.tag_id
         WHERE t.status = 'accepted' AND l.face_id = ANY(?::bigint[])`,
        [[...faceIds]],
      );
    },
    async facesOfBib(eventId, bibKeys, minConfidence) {
      const keys = [...new Set(bibKeys.map(bibKey))];
      if (keys.length === 0) return [];
      const rows = await db.all<RawFace & { confidence: number }>(
        `SELECT f.id, f.image_id, f.x1, f.y1, f.x2, f.y2, f.embedding, l.confidence
         FROM bib_tags t JOIN face_bib_links l ON l.tag_id = t.id JOIN faces f ON f.id = l.face_id
         WHERE t.event_id = ? AND t.bib_key = ANY(?::text[]) AND t.status = 'accepted' AND l.confidence >= ?
         ORDER BY l.confidence DESC, f.id`,
        [eventId, keys, minConfidence],
      );
      return rows.map(({ confidence, ...r }): BibFace => ({ ...toFace(r), confidence }));
    },
    async facesOfImages(eventId, imageIds) {
      if (imageIds.length === 0) return [];
      const rows = await db.all<RawFace>(
        'SELECT id, image_id, x1, y1, x2, y2, embedding FROM faces WHERE event_id = ? AND image_id = ANY(?::text[]) ORDER BY id',
        [eventId, [...new Set(imageIds)]],
      );
      return rows.map(toFace);
    },
    async linksOfImages(imageIds) {
      if (imageIds.length === 0) return [];
      return db.all<FaceBibLink>(
        `SELECT l.face_id, l.image_id, l.tag_id, l.bib_norm, l.confidence FROM face_bib_links l JOIN bib_tags t ON t.id = l.tag_id
         WHERE t.status = 'accepted' AND l.image_id = ANY(?::text[])`,
        [[...new Set(imageIds)]],
      );
    },
    async counts(eventId) {
      return (await db.get<{ links: number; photos: number }>(
        'SELECT count(*) AS links, count(DISTINCT image_id) AS photos FROM face_bib_links WHERE event_id = ?',
        [eventId],
      ))!;
    },
    async addReject(requestId, imageId) {
      await db.run('INSERT INTO face_search_rejects (request_id, image_id) VALUES (?, ?) ON CONFLICT DO NOTHING', [
        requestId,
        imageId,
      ]);
    },
    async rejects(requestId) {
      return db.pluck<string>('SELECT image_id FROM face_search_rejects WHERE request_id = ? ORDER BY created_at', [requestId]);
    },
    async replaceSearchHits(requestId, hits) {
      return db.tx(async (q) => {
        if (!(await q.get('SELECT 1 FROM face_searches WHERE request_id = ? FOR UPDATE', [requestId]))) return false;
        await q.run('DELETE FROM face_search_hits WHERE request_id = ?', [requestId]);
        await writeHits(q, requestId, hits);
        await q.run('UPDATE face_searches SET matched = ? WHERE request_id = ?', [hits.length, requestId]);
        return true;
      });
    },
  };
}
