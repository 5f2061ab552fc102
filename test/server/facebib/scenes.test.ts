// Face–bib links through the real ingest (real face models, real PP-OCRv4 OCR) on generated race photos with real
// faces from the shared dataset pasted on the runners, then the selfie and BIB searches through the public API:
// two runners, the same two swapped places, a hidden bib, a faceless runner wearing a bib, an ambiguous bib between
// two runners, runners at different distances. Link precision/recall over every scene is printed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FaceSearchData, ImageItem, ImagePage, NotMeData } from '../../../core/index.ts';
import { ingestPhoto } from '../../../server/ingest/pipeline.ts';
import { relinkEvent } from '../../../server/ingest/face-bib-links.ts';
import { loadDemoFaces } from '../../../server/seed/faces.ts';
import { createApiKey } from '../../../server/services/keys.ts';
import type { EventRow } from '../../../server/store/types.ts';
import { createHarness, json, type Harness } from '../../support/harness.ts';
import { FACES_DIR, MODELS_DIR, manifest, needsDataset } from '../face/dataset.ts';
import { renderTestScene, type Scene } from './scenes.ts';

const W = 1000;
const SCENES: Scene[] = [
  {
    name: 'pair',
    runners: [
      { x: 0.3, person: 'obama', bib: '505' },
      { x: 0.7, person: 'biden', bib: '202' },
    ],
  },
  {
    name: 'swapped',
    runners: [
      { x: 0.3, person: 'biden', bib: '202' },
      { x: 0.7, person: 'obama', bib: '505' },
    ],
  },
  {
    name: 'hidden',
    runners: [
      { x: 0.3, person: 'obama', bib: null },
      { x: 0.7, person: 'kit_harington', bib: '303' },
    ],
  },
  {
    name: 'ambiguous',
    runners: [
      { x: 0.46, person: 'obama', bib: null },
      { x: 0.54, person: 'biden', bib: null },
    ],
    loose: [{ x: 0.5, bib: '777', level: 0 }],
  },
  {
    name: 'faceless',
    runners: [
      { x: 0.3, person: null, bib: '505' },
      { x: 0.7, person: 'alex_lacamoire', bib: '101' },
    ],
  },
  {
    name: 'trio',
    runners: [
      { x: 0.2, person: 'alex_lacamoire', bib: '101' },
      { x: 0.5, person: 'rose_leslie', bib: '606' },
      { x: 0.8, person: 'kit_harington', bib: '303' },
    ],
  },
  {
    name: 'trio-swapped',
    runners: [
      { x: 0.2, person: 'rose_leslie', bib: '606' },
      { x: 0.5, person: 'kit_harington', bib: '303' },
      { x: 0.8, person: 'alex_lacamoire', bib: '101' },
    ],
  },
  {
    name: 'depth',
    runners: [
      { x: 0.35, person: 'kit_harington', bib: '303', scale: 1.1 },
      { x: 0.68, person: 'lin_manuel_miranda', bib: '404', scale: 0.75 },
    ],
  },
  { name: 'solo', runners: [{ x: 0.5, person: 'rose_leslie', bib: '606', scale: 1.15 }] },
];

describe('face–bib links on generated race photos (real models)', needsDataset, () => {
  let h: Harness;
  let event: EventRow;
  let pub: string;
  let base: string;
  const idOf = new Map<string, string>();
  const nameOf = new Map<string, string>();
  /** The photo of each person that is not the pasted face: the selfie. */
  const selfieOf = new Map<string, Buffer>();
  const linkStats = { truth: 0, made: 0, correct: 0 };

  before(async () => {
    h = createHarness({ faces: true, bibtrack: true, config: { modelsDir: MODELS_DIR } });
    const { store } = h.deps;
    const org = await store.orgs.create('Link club');
    event = await store.events.create(org.id, { name: 'Link 10K', free_downloads: true });
    pub = (await createApiKey(store, org.id, { kind: 'publishable' })).key;
    base = `/api/v1/ext/${org.id}/event/${event.id}`;
    const { cutouts, faces } = await loadDemoFaces(FACES_DIR, h.deps.faces!, ['0', '1', '2', '3', '4', '5']);
    const byPerson = new Map(faces.map((f) => [f.person, cutouts.get(f.bib)!]));
    for (const f of faces) {
      const other = manifest().find(
        (m) => m.identity === f.person && m.kind === 'single' && m.file !== f.file && m.faces_detected.length === 1,
      );
      if (other) selfieOf.set(f.person, readFileSync(join(FACES_DIR, other.file)));
    }
    for (const s of SCENES) {
      const r = await ingestPhoto(h.deps, event, { name: `${s.name}.jpg`, data: await renderTestScene(s, byPerson) });
      assert.equal(r.status, 'added', JSON.stringify(r));
      if (r.status !== 'added') continue;
      assert.equal(r.warning, undefined);
      idOf.set(s.name, r.image_id);
      nameOf.set(r.image_id, s.name);
    }
    // Link precision / recall: each stored face is the runner whose head it covers.
    for (const s of SCENES) {
      const id = idOf.get(s.name)!;
      const faces = await store.faces.listForImage(id);
      const tags = await store.bibs.listForImage(id);
      const links = await store.faceLinks.listForImage(id);
      const personOf = (faceId: number) => {
        const f = faces.find((x) => x.id === faceId)!;
        const cx = (f.box[0] + f.box[2]) / 2;
        return s.runners.find((r) => Math.abs(r.x * W - cx) < 0.05 * W)?.person ?? null;
      };
      for (const r of s.runners) if (r.person && r.bib && tags.some((t) => t.bib_norm === r.bib)) linkStats.truth++;
      for (const l of links) {
        linkStats.made++;
        const person = personOf(l.face_id);
        if (s.runners.some((r) => r.person === person && r.bib === l.bib_norm)) linkStats.correct++;
      }
    }
  });
  after(() => h?.close());

  const links = async (scene: string) =>
    (await h.deps.store.faceLinks.listForImage(idOf.get(scene)!)).map((l) => l.bib_norm).sort();
  const faceOfBib = async (scene: string, bib: string) => {
    const id = idOf.get(scene)!;
    const l = (await h.deps.store.faceLinks.listForImage(id)).find((x) => x.bib_norm === bib);
    if (!l) return null;
    const f = (await h.deps.store.faces.listForImage(id)).find((x) => x.id === l.face_id)!;
    return (f.box[0] + f.box[2]) / 2 / W;
  };

  test('link precision 100 %, recall ≥ 90 % over the scenes', () => {
    const precision = linkStats.correct / linkStats.made;
    const recall = linkStats.correct / linkStats.truth;
    console.log(
      `# face–bib links: ${linkStats.made} made, ${linkStats.correct} correct, ${linkStats.truth} (face, read bib) pairs in ${SCENES.length} scenes: precision ${(precision * 100).toFixed(1)} %, recall ${(recall * 100).toFixed(1)} %`,
    );
    assert.equal(precision, 1);
    assert.ok(recall >= 0.9, `recall ${recall}`);
  });

  test('two runners: each face linked to the bib below it; swapped places, the links follow', async () => {
    assert.deepEqual(await links('pair'), ['202', '505']);
    assert.ok(Math.abs((await faceOfBib('pair', '505'))! - 0.3) < 0.05);
    assert.ok(Math.abs((await faceOfBib('pair', '202'))! - 0.7) < 0.05);
    assert.ok(Math.abs((await faceOfBib('swapped', '505'))! - 0.7) < 0.05);
    assert.ok(Math.abs((await faceOfBib('swapped', '202'))! - 0.3) < 0.05);
    for (const l of await h.deps.store.faceLinks.listForImage(idOf.get('pair')!)) assert.ok(l.confidence >= 0.8);
  });

  test('a hidden bib: that runner has no link, the other keeps theirs; a bib between two runners links no one', async () => {
    assert.deepEqual(await links('hidden'), ['303']);
    assert.ok(Math.abs((await faceOfBib('hidden', '303'))! - 0.7) < 0.05);
    const tags = await h.deps.store.bibs.listForImage(idOf.get('ambiguous')!);
    assert.ok(
      tags.some((t) => t.bib_norm === '777'),
      'the loose bib is read',
    );
    assert.deepEqual(await links('ambiguous'), []);
    assert.deepEqual(await links('faceless'), ['101']);
  });

  test('relinking (the backfill, `faces link`) gives the same links', async () => {
    const before = await Promise.all(SCENES.map((s) => h.deps.store.faceLinks.listForImage(idOf.get(s.name)!)));
    const report = await relinkEvent(h.deps.store, event.id);
    assert.equal(report.links, linkStats.made);
    const again = await Promise.all(SCENES.map((s) => h.deps.store.faceLinks.listForImage(idOf.get(s.name)!)));
    assert.deepEqual(again, before);
  });

  const selfie = async (person: string) => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(selfieOf.get(person)!)]), 'selfie.jpg');
    const res = await h.call(`${base}/faces?page_size=100`, { key: pub, method: 'POST', body: form });
    assert.equal(res.status, 200, await res.clone().text());
    return (await json<FaceSearchData>(res)).data;
  };
  const why = (images: ImageItem[]) => Object.fromEntries(images.map((i) => [nameOf.get(i.image_id)!, i.match]));

  test('a selfie finds the person by face, and by the bib their face wears where the face is not seen', async () => {
    const data = await selfie('obama');
    assert.deepEqual(why(data.images), {
      pair: 'both',
      swapped: 'both',
      hidden: 'face',
      ambiguous: 'face',
      faceless: 'bib',
    });
    for (const i of data.images) {
      assert.ok(i.match_confidence! > 0 && i.match_confidence! <= 1, String(i.match_confidence));
      assert.equal(typeof i.confidence, 'number');
    }
    const faceless = data.images.find((i) => nameOf.get(i.image_id) === 'faceless')!;
    const both = data.images.find((i) => nameOf.get(i.image_id) === 'pair')!;
    assert.ok(both.match_confidence! >= faceless.match_confidence!, 'face and bib rank above bib alone');
    // The stored result (GET) says the same.
    const res = await h.call(`${base}/faces/${data.request_id}?page_size=100`, { key: pub });
    assert.deepEqual(why((await json<FaceSearchData>(res)).data.images), why(data.images));
  });

  test('a selfie of a runner seen with their bib in every photo: face and bib agree (both)', async () => {
    const data = await selfie('rose_leslie');
    assert.deepEqual(why(data.images), { trio: 'both', 'trio-swapped': 'both', solo: 'both' });
  });

  const bibSearch = async (bib: string) => {
    const res = await h.call(`${base}/bibs/${bib}?page_size=100`, { key: pub });
    assert.equal(res.status, 200);
    return (await json<ImagePage>(res)).data;
  };

  test('a BIB search adds the photos where the face linked to that bib appears with the bib hidden', async () => {
    const p = await bibSearch('505');
    assert.deepEqual(why(p.images), { pair: 'both', swapped: 'both', faceless: 'bib', hidden: 'face', ambiguous: 'face' });
    assert.equal(p.pagination.total, 5);
    // Tagged photos first (gallery order), then the face matches.
    assert.deepEqual(
      p.images.slice(3).map((i) => i.match),
      ['face', 'face'],
    );
    for (const i of p.images) assert.ok(i.match_confidence! > 0 && i.match_confidence! <= 1);
    // Paging over both parts.
    const res = await h.call(`${base}/bibs/505?page=2&page_size=2`, { key: pub });
    const page2 = (await json<ImagePage>(res)).data;
    assert.deepEqual(
      page2.images.map((i) => i.image_id),
      p.images.slice(2, 4).map((i) => i.image_id),
    );
    assert.equal(page2.pagination.total, 5);
    // A bib whose runner is never linked: just the tagged photos.
    assert.deepEqual(why((await bibSearch('777')).images), { ambiguous: 'bib' });
  });

  test('with selfie search off, a BIB search is the tagged photos only', async () => {
    await h.deps.store.events.update(event.id, { flags: { ...event.flags, selfie_search: false } });
    try {
      const p = await bibSearch('505');
      assert.equal(p.pagination.total, 3);
      assert.ok(p.images.every((i) => i.match === undefined));
    } finally {
      await h.deps.store.events.update(event.id, { flags: { ...event.flags, selfie_search: true } });
    }
  });

  test('"Not me" drops a photo from the stored result; bad requests are refused', async () => {
    const data = await selfie('obama');
    const target = idOf.get('ambiguous')!;
    const notMe = (body: unknown, rid = data.request_id) =>
      h.call(`${base}/faces/${rid}/not-me`, { key: pub, method: 'POST', body });
    const res = await notMe({ image_id: target });
    assert.equal(res.status, 200);
    const body = (await json<NotMeData>(res)).data;
    assert.equal(body.reranked, true);
    assert.equal(body.total, data.images.length - 1);
    const after = (await json<FaceSearchData>(await h.call(`${base}/faces/${data.request_id}?page_size=100`, { key: pub }))).data;
    assert.ok(!after.images.some((i) => i.image_id === target));
    assert.equal(after.pagination.total, data.images.length - 1);
    // Idempotent.
    assert.equal((await notMe({ image_id: target })).status, 200);
    assert.equal((await notMe({ image_id: 'nope' })).status, 400);
    assert.equal((await notMe({})).status, 422);
    assert.equal((await notMe({ image_id: idOf.get('trio')! })).status, 404);
    assert.equal((await notMe({ image_id: target }, '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f')).status, 404);
  });
});
