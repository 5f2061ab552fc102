import type { FaceHit, FaceRow, FaceSearchRow, FaceStore, NewFace } from '../face-types.ts';
import type { Db } from './db.ts';

const bytes = (b: Buffer | Uint8Array | null): Uint8Array | null =>
  b === null ? null : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/**
 * Writes a photo's faces and its scan row; runs inside the caller's transaction (the image insert, or
 * `replaceForImage`). better-sqlite3 is synchronous, so this composes with `db.transaction`.
 */
export function faceWriter(db: Db): (eventId: number, imageId: string, faces: readonly NewFace[]) => void {
  const insertFace = db.prepare(
    `INSERT INTO faces (image_id, event_id, x1, y1, x2, y2, score, sharpness, embedding, quality, model)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const scan = db.prepare(
    `INSERT INTO face_scans (image_id, event_id, faces) VALUES (?, ?, ?)
     ON CONFLICT (image_id) DO UPDATE SET faces = excluded.faces, scanned_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`,
  );
  return (eventId, imageId, faces) => {
    for (const f of faces) {
      const [x1, y1, x2, y2] = f.box;
      insertFace.run(
        imageId,
        eventId,
        x1,
        y1,
        x2,
        y2,
        f.score,
        f.sharpness,
        Buffer.from(f.embedding),
        f.quality ?? null,
        f.model ?? null,
      );
    }
    scan.run(imageId, eventId, faces.length);
  };
}

const HIT_COLS = 'image_id, score, match, match_confidence';
type RawHit = { image_id: string; score: number; match: FaceHit['match'] | null; match_confidence: number | null };
const toHit = ({ match, match_confidence, ...h }: RawHit): FaceHit => ({
  ...h,
  ...(match ? { match } : {}),
  ...(match_confidence === null ? {} : { match_confidence }),
});

/** Writes one ranked hit of a search (inside the caller's transaction). */
export function hitWriter(db: Db): (requestId: string, rank: number, h: FaceHit) => void {
  const insert = db.prepare(
    'INSERT INTO face_search_hits (request_id, rank, image_id, score, match, match_confidence) VALUES (?, ?, ?, ?, ?, ?)',
  );
  return (requestId, rank, h) => {
    insert.run(requestId, rank, h.image_id, h.score, h.match ?? null, h.match_confidence ?? null);
  };
}

export function sqliteFaces(db: Db): FaceStore {
  const write = faceWriter(db);
  const deleteFaces = db.prepare('DELETE FROM faces WHERE image_id = ?');
  const imageInEvent = db.prepare('SELECT 1 FROM images WHERE event_id = ? AND id = ?');
  const forImage = db.prepare(
    'SELECT id, image_id, event_id, x1, y1, x2, y2, score, sharpness, quality, model FROM faces WHERE image_id = ? ORDER BY id',
  );
  const eventFaces = db.prepare('SELECT id, image_id, embedding, quality, model FROM faces WHERE event_id = ? ORDER BY id');
  const versionOf = db.prepare('SELECT version FROM face_versions WHERE event_id = ?');
  const unscanned = db.prepare(
    `SELECT i.id FROM images i LEFT JOIN face_scans s ON s.image_id = i.id
     WHERE i.event_id = ? AND s.image_id IS NULL AND i.state = 'ready' ORDER BY i.id`,
  );
  const statsOf = db.prepare(
    `SELECT (SELECT count(*) FROM images WHERE event_id = @e) AS images,
            (SELECT count(*) FROM face_scans WHERE event_id = @e) AS scanned,
            (SELECT count(*) FROM faces WHERE event_id = @e) AS faces`,
  );
  const insertSearch = db.prepare(
    `INSERT INTO face_searches (request_id, event_id, source, threshold, embedding, matched)
     VALUES (@request_id, @event_id, @source, @threshold, @embedding, @matched)
     ON CONFLICT (request_id) DO NOTHING`,
  );
  const insertHit = hitWriter(db);
  const getSearch = db.prepare(
    `SELECT request_id, event_id, source, threshold, embedding, matched, created_at, embedding_deleted_at
     FROM face_searches WHERE request_id = ?`,
  );
  const hitCount = db.prepare('SELECT count(*) n FROM face_search_hits WHERE request_id = ?');
  const hitPage = db.prepare(`SELECT ${HIT_COLS} FROM face_search_hits WHERE request_id = ? ORDER BY rank LIMIT ? OFFSET ?`);
  const hitAll = db.prepare(`SELECT ${HIT_COLS} FROM face_search_hits WHERE request_id = ? ORDER BY rank`);
  const expire = db.prepare(
    `UPDATE face_searches SET embedding = NULL, embedding_deleted_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
     WHERE embedding IS NOT NULL AND created_at < ?`,
  );

  const replaceTx = db.transaction((eventId: number, imageId: string, faces: NewFace[]) => {
    // The photo may have been deleted while its faces were computed: then there is nothing to index.
    if (!imageInEvent.get(eventId, imageId)) return;
    deleteFaces.run(imageId);
    write(eventId, imageId, faces);
  });
  const loadTx = db.transaction((eventId: number) => {
    const version = (versionOf.get(eventId) as { version: number } | undefined)?.version ?? 0;
    const rows = eventFaces.all(eventId) as {
      id: number;
      image_id: string;
      embedding: Buffer;
      quality: number | null;
      model: string | null;
    }[];
    return {
      version,
      faces: rows.map((r) => ({
        id: r.id,
        image_id: r.image_id,
        packed: bytes(r.embedding)!,
        quality: r.quality,
        model: r.model,
      })),
    };
  });
  const searchTx = db.transaction((s: Parameters<FaceStore['createSearch']>[0], hits: FaceHit[]) => {
    const embedding = s.embedding ? Buffer.from(s.embedding) : null;
    if (insertSearch.run({ ...s, embedding, matched: hits.length }).changes === 0) return false;
    hits.forEach((h, i) => insertHit(s.request_id, i, h));
    return true;
  });

  return {
    async replaceForImage(eventId, imageId, faces) {
      replaceTx(eventId, imageId, faces);
    },
    async listForImage(imageId) {
      const rows = forImage.all(imageId) as (Omit<FaceRow, 'box'> & { x1: number; y1: number; x2: number; y2: number })[];
      return rows.map(({ x1, y1, x2, y2, ...r }) => ({ ...r, box: [x1, y1, x2, y2] }));
    },
    async loadEvent(eventId) {
      return loadTx.deferred(eventId);
    },
    async version(eventId) {
      return (versionOf.get(eventId) as { version: number } | undefined)?.version ?? 0;
    },
    async unscannedImageIds(eventId) {
      return (unscanned.all(eventId) as { id: string }[]).map((r) => r.id);
    },
    async stats(eventId) {
      return statsOf.get({ e: eventId }) as { images: number; scanned: number; faces: number };
    },
    async createSearch(search, hits) {
      return searchTx(search, hits);
    },
    async getSearch(requestId) {
      const r = getSearch.get(requestId) as (Omit<FaceSearchRow, 'embedding'> & { embedding: Buffer | null }) | undefined;
      return r ? { ...r, embedding: bytes(r.embedding) } : null;
    },
    async searchHits(requestId, { offset, limit }) {
      const total = (hitCount.get(requestId) as { n: number }).n;
      const items = total > offset ? (hitPage.all(requestId, limit, offset) as RawHit[]).map(toHit) : [];
      return { items, total };
    },
    async allSearchHits(requestId) {
      return (hitAll.all(requestId) as RawHit[]).map(toHit);
    },
    async expireEmbeddings(beforeIso) {
      return expire.run(beforeIso).changes;
    },
  };
}
