import type { BibFace, FaceBibLink, FaceLinkStore, FaceWithEmbedding } from '../face-link-types.ts';
import type { FaceHit } from '../face-types.ts';
import { bibKey } from './bibs.ts';
import type { Db } from './db.ts';
import { hitWriter } from './faces.ts';

const bytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
type RawFace = { id: number; image_id: string; x1: number; y1: number; x2: number; y2: number; embedding: Buffer };
const toFace = ({ x1, y1, x2, y2, embedding, ...r }: RawFace): FaceWithEmbedding => ({
  ...r,
  box: [x1, y1, x2, y2],
  packed: bytes(embedding),
});
const marks = (n: number) => Array.from({ length: n }, () => '?').join(',');
/** SQLite's default limit of bound parameters is 32766; stay well under it. */
const CHUNK = 500;
const chunks = <T>(xs: readonly T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += CHUNK) out.push(xs.slice(i, i + CHUNK));
  return out;
};

export function sqliteFaceLinks(db: Db): FaceLinkStore {
  const del = db.prepare('DELETE FROM face_bib_links WHERE image_id = ?');
  const insert = db.prepare(
    `INSERT INTO face_bib_links (face_id, image_id, event_id, tag_id, bib_norm, confidence)
     SELECT f.id, f.image_id, f.event_id, t.id, @bib_norm, @confidence FROM faces f JOIN bib_tags t ON t.image_id = f.image_id
     WHERE f.id = @face_id AND t.id = @tag_id AND f.image_id = @image_id AND f.event_id = @event_id`,
  );
  const forImage = db.prepare(
    'SELECT face_id, image_id, tag_id, bib_norm, confidence FROM face_bib_links WHERE image_id = ? ORDER BY face_id',
  );
  const linkable = db
    .prepare(
      `SELECT i.id FROM images i WHERE i.event_id = ?
         AND EXISTS (SELECT 1 FROM faces f WHERE f.image_id = i.id)
         AND EXISTS (SELECT 1 FROM bib_tags t WHERE t.image_id = i.id AND t.box IS NOT NULL)
       ORDER BY i.id`,
    )
    .pluck();
  const counts = db.prepare(
    'SELECT count(*) AS links, count(DISTINCT image_id) AS photos FROM face_bib_links WHERE event_id = ?',
  );
  const addReject = db.prepare('INSERT INTO face_search_rejects (request_id, image_id) VALUES (?, ?) ON CONFLICT DO NOTHING');
  const rejects = db.prepare('SELECT image_id FROM face_search_rejects WHERE request_id = ? ORDER BY created_at').pluck();
  const searchExists = db.prepare('SELECT 1 FROM face_searches WHERE request_id = ?');
  const deleteHits = db.prepare('DELETE FROM face_search_hits WHERE request_id = ?');
  const setMatched = db.prepare('UPDATE face_searches SET matched = ? WHERE request_id = ?');
  const writeHit = hitWriter(db);

  const replaceTx = db.transaction((eventId: number, imageId: string, links: readonly FaceBibLink[]) => {
    del.run(imageId);
    for (const l of links) insert.run({ ...l, image_id: imageId, event_id: eventId });
  });
  const replaceHitsTx = db.transaction((requestId: string, hits: readonly FaceHit[]) => {
    if (!searchExists.get(requestId)) return false;
    deleteHits.run(requestId);
    hits.forEach((h, i) => writeHit(requestId, i, h));
    setMatched.run(hits.length, requestId);
    return true;
  });

  return {
    async replaceForImage(eventId, imageId, links) {
      replaceTx(eventId, imageId, links);
    },
    async listForImage(imageId) {
      return forImage.all(imageId) as FaceBibLink[];
    },
    async linkableImageIds(eventId) {
      return linkable.all(eventId) as string[];
    },
    async bibsOfFaces(faceIds) {
      const out: { face_id: number; bib_norm: string; confidence: number }[] = [];
      for (const part of chunks(faceIds)) {
        out.push(
          ...(db
            .prepare(
              `SELECT l.face_id, t.bib_norm, l.confidence FROM face_bib_links l JOIN bib_tags t ON t.id = l.tag_id
               WHERE t.status = 'accepted' AND l.face_id IN (${marks(part.length)})`,
            )
            .all(...part) as { face_id: number; bib_norm: string; confidence: number }[]),
        );
      }
      return out;
    },
    async facesOfBib(eventId, bibKeys, minConfidence) {
      const keys = [...new Set(bibKeys.map(bibKey))];
      if (keys.length === 0) return [];
      const rows = db
        .prepare(
          `SELECT f.id, f.image_id, f.x1, f.y1, f.x2, f.y2, f.embedding, l.confidence
           FROM bib_tags t JOIN face_bib_links l ON l.tag_id = t.id JOIN faces f ON f.id = l.face_id
           WHERE t.event_id = ? AND t.bib_key IN (${marks(keys.length)}) AND t.status = 'accepted' AND l.confidence >= ?
           ORDER BY l.confidence DESC, f.id`,
        )
        .all(eventId, ...keys, minConfidence) as (RawFace & { confidence: number })[];
      return rows.map(({ confidence, ...r }): BibFace => ({ ...toFace(r), confidence }));
    },
    async facesOfImages(eventId, imageIds) {
      const out: FaceWithEmbedding[] = [];
      for (const part of chunks([...new Set(imageIds)])) {
        const rows = db
          .prepare(
            `SELECT id, image_id, x1, y1, x2, y2, embedding FROM faces WHERE +event_id = ? AND image_id IN (${marks(part.length)}) ORDER BY id`,
          )
          .all(eventId, ...part) as RawFace[];
        out.push(...rows.map(toFace));
      }
      return out;
    },
    async linksOfImages(imageIds) {
      const out: FaceBibLink[] = [];
      for (const part of chunks([...new Set(imageIds)])) {
        out.push(
          ...(db
            .prepare(
              `SELECT l.face_id, l.image_id, l.tag_id, l.bib_norm, l.confidence FROM face_bib_links l JOIN bib_tags t ON t.id = l.tag_id
               WHERE t.status = 'accepted' AND l.image_id IN (${marks(part.length)})`,
            )
            .all(...part) as FaceBibLink[]),
        );
      }
      return out;
    },
    async counts(eventId) {
      return counts.get(eventId) as { links: number; photos: number };
    },
    async addReject(requestId, imageId) {
      addReject.run(requestId, imageId);
    },
    async rejects(requestId) {
      return rejects.all(requestId) as string[];
    },
    async replaceSearchHits(requestId, hits) {
      return replaceHitsTx(requestId, hits);
    },
  };
}
