import type { FaceHit, FaceRow, FaceSearchRow, FaceStore, NewFace } from '../face-types.ts';
import { NOW_SQL, type PgDb, type Sql } from './db.ts';

const bytes = (b: Buffer | null): Uint8Array | null => (b === null ? null : new Uint8Array(b.buffer, b.byteOffset, b.byteLength));

/** Writes a photo's faces and its scan row, inside the caller's transaction (the image insert, or a re-index). */
export async function writeFaces(q: Sql, eventId: number, imageId: string, faces: readonly NewFace[]): Promise<void> {
  if (faces.length > 0) {
    await q.run(
      `INSERT INTO faces (image_id, event_id, x1, y1, x2, y2, score, sharpness, embedding, quality, model)
       SELECT ?::text, ?::bigint, x1, y1, x2, y2, score, sharpness, embedding, quality, model
       FROM unnest(?::float8[], ?::float8[], ?::float8[], ?::float8[], ?::float8[], ?::float8[], ?::bytea[], ?::float8[], ?::text[])
         WITH ORDINALITY AS f(x1, y1, x2, y2, score, sharpness, embedding, quality, model, n) ORDER BY n`,
      [
        imageId,
        eventId,
        faces.map((f) => f.box[0]),
        faces.map((f) => f.box[1]),
        faces.map((f) => f.box[2]),
        faces.map((f) => f.box[3]),
        faces.map((f) => f.score),
        faces.map((f) => f.sharpness),
        faces.map((f) => Buffer.from(f.embedding)),
        faces.map((f) => f.quality ?? null),
        faces.map((f) => f.model ?? null),
      ],
    );
  }
  await q.run(
    `INSERT INTO face_scans (image_id, event_id, faces) VALUES (?, ?, ?)
     ON CONFLICT (image_id) DO UPDATE SET faces = excluded.faces, scanned_at = ${NOW_SQL}`,
    [imageId, eventId, faces.length],
  );
}

const HIT_COLS = 'image_id, score, match, match_confidence';
type RawHit = { image_id: string; score: number; match: FaceHit['match'] | null; match_confidence: number | null };
const toHit = ({ match, match_confidence, ...h }: RawHit): FaceHit => ({
  ...h,
  ...(match ? { match } : {}),
  ...(match_confidence === null ? {} : { match_confidence }),
});

/** Writes a search's ranked hits (inside the caller's transaction). */
export async function writeHits(q: Sql, requestId: string, hits: readonly FaceHit[]): Promise<void> {
  if (hits.length === 0) return;
  await q.run(
    `INSERT INTO face_search_hits (request_id, rank, image_id, score, match, match_confidence)
     SELECT ?::text, n - 1, image_id, score, match, match_confidence
     FROM unnest(?::text[], ?::float8[], ?::text[], ?::float8[]) WITH ORDINALITY AS h(image_id, score, match, match_confidence, n)`,
    [
      requestId,
      hits.map((h) => h.image_id),
      hits.map((h) => h.score),
      hits.map((h) => h.match ?? null),
      hits.map((h) => h.match_confidence ?? null),
    ],
  );
}

export function pgFaces(db: PgDb): FaceStore {
  const version = async (q: Sql, eventId: number) =>
    (await q.value<number>('SELECT version FROM face_versions WHERE event_id = ?', [eventId])) ?? 0;
  return {
    async replaceForImage(eventId, imageId, faces) {
      await db.tx(async (q) => {
        // The photo may have been deleted while its faces were computed: then there is nothing to index. Its row lock
        // also serialises two re-indexes of the same photo.
        if (!(await q.get('SELECT 1 FROM images WHERE event_id = ? AND id = ? FOR UPDATE', [eventId, imageId]))) return;
        await q.run('DELETE FROM faces WHERE image_id = ?', [imageId]);
        await writeFaces(q, eventId, imageId, faces);
      });
    },
    async listForImage(imageId) {
      const rows = await db.all<Omit<FaceRow, 'box'> & { x1: number; y1: number; x2: number; y2: number }>(
        'SELECT id, image_id, event_id, x1, y1, x2, y2, score, sharpness, quality, model FROM faces WHERE image_id = ? ORDER BY id',
        [imageId],
      );
      return rows.map(({ x1, y1, x2, y2, ...r }) => ({ ...r, box: [x1, y1, x2, y2] }));
    },
    async loadEvent(eventId) {
      // One snapshot: the version and the faces it counts.
      return db.tx(
        async (q) => {
          const v = await version(q, eventId);
          const rows = await q.all<{
            id: number | string;
            image_id: string;
            embedding: Buffer;
            quality: number | null;
            model: string | null;
          }>('SELECT id, image_id, embedding, quality, model FROM faces WHERE event_id = ? ORDER BY id', [eventId]);
          return {
            version: v,
            faces: rows.map((r) => ({
              id: Number(r.id),
              image_id: r.image_id,
              packed: bytes(r.embedding)!,
              quality: r.quality,
              model: r.model,
            })),
          };
        },
        { readOnly: true, repeatableRead: true },
      );
    },
    async version(eventId) {
      return version(db, eventId);
    },
    async unscannedImageIds(eventId) {
      return db.pluck<string>(
        `SELECT i.id FROM images i LEFT JOIN face_scans s ON s.image_id = i.id
         WHERE i.event_id = ? AND s.image_id IS NULL AND i.state = 'ready' ORDER BY i.id`,
        [eventId],
      );
    },
    async stats(eventId) {
      return (await db.get<{ images: number; scanned: number; faces: number }>(
        `SELECT (SELECT count(*) FROM images WHERE event_id = @e) AS images,
                (SELECT count(*) FROM face_scans WHERE event_id = @e) AS scanned,
                (SELECT count(*) FROM faces WHERE event_id = @e) AS faces`,
        { e: eventId },
      ))!;
    },
    async createSearch(s, hits) {
      return db.tx(async (q) => {
        const added = await q.run(
          `INSERT INTO face_searches (request_id, event_id, source, threshold, embedding, matched)
           VALUES (@request_id, @event_id, @source, @threshold, @embedding, @matched)
           ON CONFLICT (request_id) DO NOTHING`,
          { ...s, embedding: s.embedding ? Buffer.from(s.embedding) : null, matched: hits.length },
        );
        if (added === 0) return false;
        await writeHits(q, s.request_id, hits);
        return true;
      });
    },
    async getSearch(requestId) {
      const r = await db.get<Omit<FaceSearchRow, 'embedding'> & { embedding: Buffer | null }>(
        `SELECT request_id, event_id, source, threshold, embedding, matched, created_at, embedding_deleted_at
         FROM face_searches WHERE request_id = ?`,
        [requestId],
      );
      return r ? { ...r, embedding: bytes(r.embedding) } : null;
    },
    async searchHits(requestId, { offset, limit }) {
      const total = (await db.value<number>('SELECT count(*) FROM face_search_hits WHERE request_id = ?', [requestId]))!;
      const items =
        total > offset
          ? (
              await db.all<RawHit>(
                `SELECT ${HIT_COLS} FROM face_search_hits WHERE request_id = ? ORDER BY rank LIMIT ? OFFSET ?`,
                [requestId, limit, offset],
              )
            ).map(toHit)
          : [];
      return { items, total };
    },
    async allSearchHits(requestId) {
      return (
        await db.all<RawHit>(`SELECT ${HIT_COLS} FROM face_search_hits WHERE request_id = ? ORDER BY rank`, [requestId])
      ).map(toHit);
    },
    async expireEmbeddings(beforeIso) {
      return db.run(
        `UPDATE face_searches SET embedding = NULL, embedding_deleted_at = ${NOW_SQL}
         WHERE embedding IS NOT NULL AND created_at < ?`,
        [beforeIso],
      );
    },
  };
}
