// Face search through the real API: every photo of the real face dataset ingested through the real pipeline
// (face stage on, real models, real SQLite), then selfie searches over HTTP — accuracy, the stored result,
// replays, the aligned-crop and vector inputs, widening, retention, downloads, and every kind of bad input.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { DEFAULT_MATCH_THRESHOLD, analyseSelfie, cosine, unpackEmbeddingInt8, dequantizeInt8 } from '../../../core/face/index.ts';
import type { FaceSearchData } from '../../../core/index.ts';
import { decodeImage } from '../../../server/vision/face-runner.ts';
import { json } from '../../support/harness.ts';
import { sql } from '../../support/sql.ts';
import { needsDataset } from '../face/dataset.ts';
import { blob, createFaceWorld, datasetPhoto, form, type FaceWorld } from './world.ts';

type Result = FaceSearchData;

describe('face search API on the real dataset', needsDataset, () => {
  let w: FaceWorld;

  before(async () => {
    w = await createFaceWorld();
    const s = await w.h.deps.store.faces.stats(w.event.id);
    console.log(
      `faces: ingested ${w.files.length} photos through the pipeline in ${(w.ingestMs / 1000).toFixed(1)} s: ` +
        `${s.faces} faces indexed, ${(s.faces / (w.ingestMs / 1000)).toFixed(1)} faces/s, ${(w.files.length / (w.ingestMs / 1000)).toFixed(1)} photos/s`,
    );
  });
  after(() => w?.close());

  const search = async (file: string, query = '') => {
    const res = await w.post(form({ file: blob(datasetPhoto(file)) }), query);
    const body = await json<Result>(res);
    return { res, body, files: (body.data?.images ?? []).map((i) => w.fileOf.get(i.image_id)!) };
  };

  it('every face of every photo is indexed, with its box, detector score and int8 embedding', async () => {
    const s = await w.h.deps.store.faces.stats(w.event.id);
    const want = w.files.reduce((n, f) => n + f.faces_detected.length, 0);
    assert.equal(s.images, w.files.length);
    assert.equal(s.scanned, w.files.length);
    assert.equal(s.faces, want);
    assert.equal(w.facesIndexed, want);
    const group = await w.h.deps.store.faces.listForImage(w.idOf.get('_group/obama_and_biden.jpg')!);
    assert.equal(group.length, 3);
    for (const f of group) {
      assert.ok(f.box[2] > f.box[0] && f.box[3] > f.box[1]);
      assert.ok(f.score >= 0.95);
    }
    const ids = [...w.faceIdentity.values()];
    assert.ok(!ids.includes('unknown'), 'every stored face is a manifest face');
  });

  it('a selfie finds every photo of that person (group photos too) and no one else; TAR at FAR ≤ 1 % printed', async () => {
    const photographs = (id: string) => new Set(w.files.filter((f) => f.identities.includes(id)).map((f) => f.source_photo));
    let queries = 0;
    for (const f of w.files) {
      if (f.kind !== 'single' || photographs(f.identity!).size < 2) continue;
      const { res, body, files } = await search(f.file, '?page_size=100');
      assert.equal(res.status, 200, `${f.file}: ${body.message}`);
      const want = w.files.filter((g) => g.identities.includes(f.identity!)).map((g) => g.file);
      assert.deepEqual(files.sort(), want.sort(), `${f.identity} from ${f.file}`);
      assert.equal(body.data.confidence_percentage, DEFAULT_MATCH_THRESHOLD * 100);
      for (const img of body.data.images)
        assert.ok(img.confidence! >= 45 && img.confidence! <= 100, `confidence ${img.confidence}`);
      const conf = body.data.images.map((i) => i.confidence!);
      assert.deepEqual(
        conf,
        [...conf].sort((a, b) => b - a),
        'best first',
      );
      queries++;
    }
    assert.ok(queries >= 12, `only ${queries} queries`);

    // Genuine / impostor scores of every selfie against every stored face (other photographs only).
    const runner = await w.h.deps.faces!.runner();
    const genuine: number[] = [];
    const impostor: number[] = [];
    for (const f of w.files.filter((x) => x.kind === 'single')) {
      const q = await runner.embedSelfie(datasetPhoto(f.file));
      assert.ok(q.ok, f.file);
      for (const g of w.files) {
        if (g.source_photo === f.source_photo) continue;
        for (const face of await w.h.deps.store.faces.listForImage(w.idOf.get(g.file)!)) {
          const who = w.faceIdentity.get(face.id)!;
          const c = cosine(q.embedding, await storedEmbedding(face.id));
          if (who === f.identity) genuine.push(c);
          else impostor.push(c);
        }
      }
    }
    impostor.sort((a, b) => b - a);
    const thr = impostor[Math.floor(impostor.length * 0.01)]! + 1e-6;
    const tar = genuine.filter((g) => g >= thr).length / genuine.length;
    const far = impostor.filter((s) => s >= thr).length / impostor.length;
    const tarEvent = genuine.filter((g) => g >= w.event.face_threshold).length / genuine.length;
    const farEvent = impostor.filter((s) => s >= w.event.face_threshold).length / impostor.length;
    console.log(
      `faces: selfie → stored faces, ${genuine.length} genuine / ${impostor.length} impostor pairs: ` +
        `TAR ${(tar * 100).toFixed(1)} % at FAR ${(far * 100).toFixed(2)} % (≤ 1 %, threshold ${thr.toFixed(3)}); ` +
        `at the event threshold ${w.event.face_threshold}: TAR ${(tarEvent * 100).toFixed(1)} %, FAR ${(farEvent * 100).toFixed(2)} %; ` +
        `genuine min ${Math.min(...genuine).toFixed(3)}, impostor max ${impostor[0]!.toFixed(3)}`,
    );
    assert.ok(far <= 0.01);
    assert.equal(tarEvent, 1);
    assert.equal(farEvent, 0);
  });

  /** A stored face's embedding as the index sees it (int8, dequantised). */
  const embeddingCache = new Map<number, Float32Array>();
  async function storedEmbedding(faceId: number): Promise<Float32Array> {
    if (!embeddingCache.size) {
      const rows = await sql(w.h.deps.store).all<{ id: number; embedding: Buffer }>(
        'SELECT id, embedding FROM faces WHERE event_id = ?',
        w.event.id,
      );
      for (const r of rows) {
        const { q, scale } = unpackEmbeddingInt8(new Uint8Array(r.embedding));
        embeddingCache.set(r.id, dequantizeInt8(q, scale));
      }
    }
    return embeddingCache.get(faceId)!;
  }

  it('stores the result under a request_id: GET pages it, a replayed POST never matches again and ignores its file', async () => {
    const { res, body } = await search('rose_leslie/rose_leslie_2.jpg', '?page_size=1');
    assert.equal(res.status, 200);
    const id = body.data.request_id;
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.equal(body.data.pagination.total, 3);
    assert.equal(body.data.images.length, 1);
    const searches = async () => Number(await sql(w.h.deps.store).value('SELECT count(*) FROM face_searches'));
    const before = await searches();

    const page2 = await json<Result>(await w.get(`/faces/${id}?page=2&page_size=1`));
    assert.equal(page2.data.pagination.currentPage, 2);
    assert.equal(page2.data.images.length, 1);
    assert.notEqual(page2.data.images[0]!.image_id, body.data.images[0]!.image_id);
    const all = await json<Result>(await w.get(`/faces/${id}`));
    assert.equal(all.data.images.length, 3);
    assert.equal(all.data.request_id, id);

    // Replay with another person's photo, and with something that is not even an image: the stored result.
    for (const file of [blob(datasetPhoto('obama/obama_podium.jpg')), new Blob(['not an image'])]) {
      const r = await w.post(form({ file, request_id: id }));
      const b = await json<Result>(r);
      assert.equal(r.status, 200, b.message);
      assert.match(b.message, /stored result/);
      assert.deepEqual(b.data.images, all.data.images.slice(0, 32));
    }
    const byQuery = await json<Result>(await w.post(form({ file: new Blob([]) }), `?request_id=${id}`));
    assert.equal(byQuery.data.request_id, id);
    assert.equal(await searches(), before, 'no new search was recorded');
  });

  it('a client-chosen request_id makes a retried upload idempotent', async () => {
    const id = crypto.randomUUID();
    const a = await json<Result>(
      await w.post(form({ file: blob(datasetPhoto('kit_harington/kit_harington_3.jpg')), request_id: id })),
    );
    const b = await json<Result>(
      await w.post(form({ file: blob(datasetPhoto('kit_harington/kit_harington_3.jpg')), request_id: id })),
    );
    assert.equal(a.data.request_id, id);
    assert.deepEqual(b.data, a.data);
  });

  it('the aligned 112×112 PNG the widget sends finds the same photos as the whole selfie', async () => {
    const file = 'obama/obama_press_room.jpg';
    const runner = await w.h.deps.faces!.runner();
    const { image } = await decodeImage(datasetPhoto(file));
    const a = await analyseSelfie(image, runner.backend);
    assert.ok(a.ok);
    const png = await sharp(Buffer.from(a.aligned.image.data), { raw: { width: 112, height: 112, channels: 3 } })
      .png()
      .toBuffer();
    const fromCrop = await json<Result>(await w.post(form({ file: blob(png) }), '?page_size=100'));
    const fromPhoto = (await search(file, '?page_size=100')).body;
    assert.deepEqual(
      fromCrop.data.images.map((i) => i.image_id),
      fromPhoto.data.images.map((i) => i.image_id),
    );
    const source = await sql(w.h.deps.store).get(
      'SELECT source FROM face_searches WHERE request_id = ?',
      fromCrop.data.request_id,
    );
    assert.deepEqual(source, { source: 'crop' });
  });

  it('accepts the selfie under the `selfie` and `image` part names too', async () => {
    for (const name of ['selfie', 'image']) {
      const r = await w.post(form({ [name]: blob(datasetPhoto('biden/biden_portrait.jpg')) }));
      assert.equal(r.status, 200, name);
    }
  });

  it('a vector (privacy="vector") finds the same photos; a bad vector is 422', async () => {
    const runner = await w.h.deps.faces!.runner();
    const q = await runner.embedSelfie(datasetPhoto('alex_lacamoire/alex_lacamoire_2.jpg'));
    assert.ok(q.ok);
    const vector = JSON.stringify(Array.from(q.embedding));
    const byVector = await json<Result>(await w.post(form({ embedding: vector }), '?page_size=100'));
    const byPhoto = (await search('alex_lacamoire/alex_lacamoire_2.jpg', '?page_size=100')).body;
    assert.deepEqual(
      byVector.data.images.map((i) => i.image_id),
      byPhoto.data.images.map((i) => i.image_id),
    );
    const asJson = await w.post(JSON.stringify({ embedding: Array.from(q.embedding) }));
    assert.equal(asJson.status, 200);

    const bad: [string, RegExp][] = [
      ['[1,2,3]', /512 numbers, got 3/],
      [JSON.stringify(Array(512).fill(0)), /cannot be normalised/],
      [`[1e999${',0'.repeat(511)}]`, /value 0 is not a finite number/],
      [JSON.stringify([...Array(511).fill(0.1), 'x']), /value 511 is not a finite number/],
      ['not json', /JSON array of 512 numbers/],
    ];
    for (const [value, message] of bad) {
      const r = await w.post(form({ embedding: value }));
      const b = await json(r);
      assert.equal(r.status, 422, value.slice(0, 20));
      assert.match(b.message, message);
    }
  });

  it('"add another selfie": add_to widens a search (union, best score per photo) under a new request_id', async () => {
    const kit = await search('kit_harington/kit_harington_2.jpeg', '?page_size=100');
    const rose = await search('rose_leslie/rose_leslie_1.jpg', '?page_size=100');
    const both = await json<Result>(
      await w.post(
        form({ file: blob(datasetPhoto('rose_leslie/rose_leslie_1.jpg')), add_to: kit.body.data.request_id }),
        '?page_size=100',
      ),
    );
    assert.notEqual(both.data.request_id, kit.body.data.request_id);
    const best = new Map<string, number>();
    for (const i of [...kit.body.data.images, ...rose.body.data.images])
      best.set(i.image_id, Math.max(best.get(i.image_id) ?? 0, i.confidence!));
    assert.deepEqual(new Set(both.data.images.map((i) => i.image_id)), new Set(best.keys()));
    for (const i of both.data.images) assert.equal(i.confidence, best.get(i.image_id));
    const unknown = await w.post(
      form({ file: blob(datasetPhoto('rose_leslie/rose_leslie_1.jpg')), add_to: crypto.randomUUID() }),
    );
    assert.equal(unknown.status, 404);
  });

  it('downloads by `selfie` request_id give the matched photos', async () => {
    const { body } = await search('obama/obama_podium.jpg', '?page_size=100');
    const res = await w.h.call(`${w.base}/original-photos?page_size=60`, {
      key: w.secret,
      body: { method: 'selfie', identifier: body.data.request_id },
    });
    const b = await json<{ presigned_urls: { url: string }[]; total_images: number }>(res);
    assert.equal(res.status, 200, b.message);
    assert.equal(b.data.presigned_urls.length, body.data.images.length);
    const unknown = await w.h.call(`${w.base}/original-photos`, {
      key: w.secret,
      body: { method: 'selfie', identifier: crypto.randomUUID() },
    });
    assert.equal(unknown.status, 404);
  });

  it('the selfie embedding is deleted after the retention period; the result stays', async () => {
    const { body } = await search('biden/biden_standing.jpg');
    const id = body.data.request_id;
    const row = async () =>
      (await sql(w.h.deps.store).get<{ embedding: Buffer | null; embedding_deleted_at: string | null }>(
        'SELECT embedding, embedding_deleted_at FROM face_searches WHERE request_id = ?',
        id,
      ))!;
    assert.equal((await row()).embedding?.length, 512 * 4);
    assert.equal(await w.h.deps.faces!.sweep(Date.now() + 23 * 3600_000), 0);
    assert.ok((await w.h.deps.faces!.sweep(Date.now() + 25 * 3600_000)) >= 1);
    assert.equal((await row()).embedding, null);
    assert.ok((await row()).embedding_deleted_at);
    const again = await json<Result>(await w.get(`/faces/${id}`));
    assert.deepEqual(again.data.images, body.data.images);
    assert.deepEqual(
      await w.h.deps.faces!.imageIds(w.event.id, id),
      body.data.images.map((i) => i.image_id),
    );
    // The selfie image itself is never stored: no blob was written by the searches.
    assert.equal(Number(await sql(w.h.deps.store).value('SELECT count(*) FROM images')), w.files.length);
  });

  it('a deleted photo leaves the index (and stored results) at once', async () => {
    const first = await search('alex_lacamoire/alex_lacamoire_3.jpg', '?page_size=100');
    const gone = first.body.data.images.find((i) => w.fileOf.get(i.image_id) === 'alex_lacamoire/alex_lacamoire_1.png')!;
    assert.ok(gone);
    const del = await w.h.call(`/api/v1/admin/${w.orgId}/events/${w.event.id}/photos/${gone.image_id}`, {
      key: w.secret,
      method: 'DELETE',
    });
    assert.equal(del.status, 200);
    const second = await search('alex_lacamoire/alex_lacamoire_3.jpg', '?page_size=100');
    assert.equal(second.body.data.images.length, first.body.data.images.length - 1);
    assert.ok(!second.body.data.images.some((i) => i.image_id === gone.image_id));
    const stored = await json<Result>(await w.get(`/faces/${first.body.data.request_id}`));
    assert.equal(stored.data.pagination.total, first.body.data.images.length - 1);
  });

  describe('bad input', () => {
    const expectError = async (res: Response, status: number, message: RegExp) => {
      const b = await json(res);
      assert.equal(res.status, status, b.message);
      assert.equal(b.responseType, 'error');
      assert.equal(b.data, null);
      assert.match(b.message, message);
    };

    it('an empty file is 400', async () => {
      await expectError(await w.post(form({ file: new Blob([]) })), 400, /empty/);
    });

    it('a file that is not an image is 422 with what to send', async () => {
      await expectError(await w.post(form({ file: new Blob(['%PDF-1.4 hello']) })), 422, /not an image.*JPEG, PNG/);
      await expectError(
        await w.post(
          form({
            file: blob(
              (
                await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } })
                  .png()
                  .toBuffer()
              ).subarray(0, 40),
            ),
          }),
        ),
        422,
        /not an image/,
      );
    });

    it('no selfie at all, or under another part name, is 422', async () => {
      await expectError(await w.post(form({ note: 'hello' })), 422, /file: attach the selfie/);
      await expectError(await w.post(form({ photo: blob(datasetPhoto('obama/obama_podium.jpg')) })), 422, /part named `file`/);
    });

    it('not multipart and not JSON is 415', async () => {
      const r = await w.h.call(`${w.base}/faces`, {
        key: w.secret,
        method: 'POST',
        body: 'hello',
        headers: { 'Content-Type': 'text/plain' },
      });
      assert.equal(r.status, 415);
    });

    it('a photo with no face is 422 "No face was found"', async () => {
      const landscape = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#6b8e4e' } })
        .composite([
          {
            input: Buffer.from('<svg width="1200" height="400"><rect width="1200" height="400" fill="#8ec5fc"/></svg>'),
            top: 0,
            left: 0,
          },
        ])
        .jpeg()
        .toBuffer();
      await expectError(await w.post(form({ file: blob(landscape) })), 422, /No face was found.*\(no_face\)/);
    });

    it('a group photo is 422 "several faces"', async () => {
      await expectError(
        await w.post(form({ file: blob(datasetPhoto('_group/two_people.jpg')) })),
        422,
        /Several faces.*\(several_faces\)/,
      );
    });

    it('a 50-megapixel photo is decoded shrunk, without running out of memory', async () => {
      const big = await sharp({ create: { width: 8660, height: 5774, channels: 3, background: '#7a9a57' } })
        .jpeg({ quality: 80 })
        .toBuffer();
      const rss0 = process.memoryUsage().rss;
      const t0 = performance.now();
      await expectError(await w.post(form({ file: blob(big) })), 422, /No face was found/);
      const grew = (process.memoryUsage().rss - rss0) / 1024 / 1024;
      console.log(`faces: 50-MP selfie refused in ${Math.round(performance.now() - t0)} ms, RSS +${grew.toFixed(0)} MB`);
      assert.ok(grew < 400, `RSS grew ${grew} MB`);
    });

    it('an unknown request_id is 404; one of another event is 404; a malformed one is 400', async () => {
      await expectError(await w.get(`/faces/${crypto.randomUUID()}`), 404, /No selfie search/);
      const { body } = await search('obama/obama_podium.jpg');
      const other = await w.h.deps.store.events.create(w.orgId, { name: 'Other race' });
      const otherBase = `/api/v1/ext/${w.orgId}/event/${other.id}`;
      await expectError(await w.h.call(`${otherBase}/faces/${body.data.request_id}`, { key: w.secret }), 404, /No selfie search/);
      await expectError(
        await w.h.call(`${otherBase}/faces`, { key: w.secret, body: form({ request_id: body.data.request_id }) }),
        404,
        /not a search of this event/,
      );
      await expectError(await w.get('/faces/not-a-uuid'), 400, /request_id: must be a UUID/);
      await expectError(
        await w.post(form({ file: blob(datasetPhoto('obama/obama_podium.jpg')), request_id: '42' })),
        400,
        /request_id: must be a UUID/,
      );
      await expectError(await w.post(form({}), '?request_id=xyz'), 400, /request_id: must be a UUID/);
    });

    it('page and page_size out of range are 422', async () => {
      const { body } = await search('obama/obama_podium.jpg');
      await expectError(await w.get(`/faces/${body.data.request_id}?page_size=101`), 422, /page_size/);
      await expectError(await w.get(`/faces/${body.data.request_id}?page=0`), 422, /page/);
    });

    it('selfie search switched off for the event is 403, for POST and GET', async () => {
      const { body } = await search('obama/obama_podium.jpg');
      await w.h.deps.store.events.update(w.event.id, { flags: { ...w.event.flags, selfie_search: false } });
      try {
        await expectError(await w.post(form({ file: blob(datasetPhoto('obama/obama_podium.jpg')) })), 403, /selfie_search/);
        await expectError(await w.get(`/faces/${body.data.request_id}`), 403, /selfie_search/);
      } finally {
        await w.h.deps.store.events.update(w.event.id, { flags: { ...w.event.flags, selfie_search: true } });
      }
    });
  });
});
