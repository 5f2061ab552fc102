// Face-index rebuild time: an event of N faces (default 100,000) stored in the database, then what a server process
// does when its in-memory index is stale — `store.faces.loadEvent` (the version and every packed embedding, one
// snapshot) and `FaceIndex.fromPacked` — timed on PostgreSQL (a throw-away cluster, or DATABASE_URL) and on SQLite.
//
//   node --import tsx bench/face-index-rebuild.ts [--faces 100000] [--engine postgres|sqlite|both] [--runs 3]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { packEmbeddingInt8 } from '../core/face/embed.ts';
import { openPostgresStore, type PostgresStore } from '../server/store/postgres/index.ts';
import { openSqliteStore, type SqliteStore } from '../server/store/sqlite/index.ts';
import type { Store } from '../server/store/types.ts';
import { FaceIndex } from '../server/vision/face-index.ts';
import { freshTestDatabase } from '../test/support/postgres.ts';

const { values } = parseArgs({
  options: {
    faces: { type: 'string', default: '100000' },
    engine: { type: 'string', default: 'both' },
    runs: { type: 'string', default: '3' },
  },
});
const FACES = Number(values.faces);
const RUNS = Number(values.runs);
const PER_PHOTO = 4;

/** A deterministic pseudo-random unit vector, packed as the store keeps it. */
function embedding(seed: number): Uint8Array {
  let x = seed * 2654435761 + 1;
  const v = new Float32Array(512);
  let norm = 0;
  for (let i = 0; i < v.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    v[i] = (x / 2 ** 32) * 2 - 1;
    norm += v[i]! * v[i]!;
  }
  for (let i = 0; i < v.length; i++) v[i]! /= Math.sqrt(norm);
  return packEmbeddingInt8(v);
}

/** Stores the event's photos and faces in bulk (the insert speed is not what is measured here). */
async function fill(store: Store): Promise<number> {
  const org = await store.orgs.create('Bench');
  const event = await store.events.create(org.id, { name: 'Marathon' });
  const photos = Math.ceil(FACES / PER_PHOTO);
  const id = (p: number) => `00000000-0000-4000-8000-${String(p).padStart(12, '0')}`;
  const t0 = performance.now();
  if ('db' in store && typeof (store as PostgresStore).db.tx === 'function') {
    const db = (store as PostgresStore).db;
    const CHUNK = 2000;
    for (let from = 0; from < photos; from += CHUNK) {
      const ps = Array.from({ length: Math.min(CHUNK, photos - from) }, (_, i) => from + i);
      await db.tx(async (q) => {
        await q.run(
          `INSERT INTO images (id, event_id, content_hash, original_name, width, height, mime, bytes, original_key)
           SELECT i, ?::bigint, 'h' || i, i || '.jpg', 6000, 4000, 'image/jpeg', 1, 'originals/' || i FROM unnest(?::text[]) AS u(i)`,
          [event.id, ps.map(id)],
        );
        const faces = ps.flatMap((p) =>
          Array.from({ length: Math.min(PER_PHOTO, FACES - p * PER_PHOTO) }, (_, i) => ({ p, e: embedding(p * PER_PHOTO + i) })),
        );
        await q.run(
          `INSERT INTO faces (image_id, event_id, x1, y1, x2, y2, score, embedding, quality)
           SELECT i, ?::bigint, 10, 10, 60, 60, 0.9, e, 0.8 FROM unnest(?::text[], ?::bytea[]) AS u(i, e)`,
          [event.id, faces.map((f) => id(f.p)), faces.map((f) => Buffer.from(f.e))],
        );
      });
    }
  } else {
    const db = (store as SqliteStore).db;
    const image = db.prepare(
      `INSERT INTO images (id, event_id, content_hash, original_name, width, height, mime, bytes, original_key)
       VALUES (?, ?, ?, ?, 6000, 4000, 'image/jpeg', 1, ?)`,
    );
    const face = db.prepare(
      `INSERT INTO faces (image_id, event_id, x1, y1, x2, y2, score, embedding, quality) VALUES (?, ?, 10, 10, 60, 60, 0.9, ?, 0.8)`,
    );
    db.transaction(() => {
      for (let p = 0; p < photos; p++) {
        image.run(id(p), event.id, `h${p}`, `${p}.jpg`, `originals/${p}`);
        for (let i = 0; i < Math.min(PER_PHOTO, FACES - p * PER_PHOTO); i++)
          face.run(id(p), event.id, Buffer.from(embedding(p * PER_PHOTO + i)));
      }
    })();
  }
  console.log(`  stored ${FACES} faces on ${photos} photos in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return event.id;
}

async function measure(name: string, store: Store) {
  console.log(`${name}:`);
  const eventId = await fill(store);
  for (let r = 1; r <= RUNS; r++) {
    const t0 = performance.now();
    const { faces } = await store.faces.loadEvent(eventId);
    const t1 = performance.now();
    const index = FaceIndex.fromPacked(faces);
    const t2 = performance.now();
    console.log(
      `  run ${r}: loadEvent ${(t1 - t0).toFixed(0)} ms (${faces.length} faces) + FaceIndex.fromPacked ${(t2 - t1).toFixed(0)} ms = ${(t2 - t0).toFixed(0)} ms (${index.size} entries)`,
    );
  }
  await store.close();
}

const dir = mkdtempSync(join(tmpdir(), 'pf-face-rebuild-'));
try {
  if (values.engine === 'postgres' || values.engine === 'both')
    await measure('PostgreSQL', openPostgresStore(process.env.DATABASE_URL ?? freshTestDatabase()));
  if (values.engine === 'sqlite' || values.engine === 'both') await measure('SQLite', openSqliteStore(join(dir, 'bench.sqlite')));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
