// BibTrack through the real ingest: generated race photos (one bib 100–300 px wide, a race clock, a banner with a
// year, sponsor text) uploaded through the admin API over HTTP, read by the real PP-OCRv4 models in the worker
// pool, searched through the public API. The event's issued-bib list is loaded first, leaving two runners off it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { UploadReport } from '../../../core/api/admin.ts';
import type { BibPhoto } from '../../../core/api/bibtrack.ts';
import { bibProblem, normaliseBib, type ImagePage } from '../../../core/index.ts';
import type { RunningServer } from '../../../server/serve.ts';
import { createApiKey } from '../../../server/services/keys.ts';
import type { EventRow } from '../../../server/store/types.ts';
import { createHarness, json, type Harness } from '../../support/harness.ts';
import { generatePhotos, makeRng, randomBibNumber, type GeneratedPhoto } from '../ocr/bib-images.ts';

const PHOTOS = 24;
const UNLISTED = [3, 11];

const overlaps = (a: readonly number[], b: readonly number[]) => a[0]! < b[2]! && b[0]! < a[2]! && a[1]! < b[3]! && b[1]! < a[3]!;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

describe('bib OCR at ingest (real models, real server)', () => {
  let h: Harness;
  let server: RunningServer;
  let event: EventRow;
  let secret: string;
  let pub: string;
  let photos: GeneratedPhoto[];
  let ids: string[];
  let reports: UploadReport[];
  const health: number[] = [];

  before(async () => {
    h = createHarness({ bibtrack: true });
    server = await h.listen();
    const org = await h.deps.store.orgs.create('OCR club');
    event = await h.deps.store.events.create(org.id, { name: 'OCR 10K' });
    secret = (await createApiKey(h.deps.store, org.id, { kind: 'secret' })).key;
    pub = (await createApiKey(h.deps.store, org.id, { kind: 'publishable' })).key;
    photos = await generatePhotos(PHOTOS, 31_000, {
      longSide: [700, 1100],
      runners: [1, 1],
      bibWidth: [100, 300],
      alwaysDistractors: true,
      avoid: new Set(['10', '21', '11']),
    });
    // The issued list: every runner but two, and 300 numbers nobody wears.
    const truth = photos.map((p) => p.bibs[0]!.bib);
    const rng = makeRng(77);
    const avoid = new Set([
      ...truth,
      ...photos.flatMap((p) => p.distractors.flatMap((d) => [d.replace(/\D/g, ''), ...(d.match(/\d+/g) ?? [])])),
    ]);
    const decoys = Array.from({ length: 300 }, () => randomBibNumber(rng, [3, 6], avoid));
    const issued = [...truth.filter((_, i) => !UNLISTED.includes(i)), ...decoys];
    const put = await fetch(`${server.url}/api/v1/admin/${org.id}/events/${event.id}/bibs/issued`, {
      method: 'PUT',
      headers: { 'X-API-Key': secret, 'Content-Type': 'text/csv' },
      body: `bib\n${issued.join('\n')}\n`,
    });
    assert.equal(put.status, 200);

    // Upload in two requests while a client polls /healthz.
    let polling = true;
    const poll = (async () => {
      while (polling) {
        const t = performance.now();
        const res = await fetch(`${server.url}/healthz`);
        await res.arrayBuffer();
        health.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    reports = [];
    for (const part of [photos.slice(0, PHOTOS / 2), photos.slice(PHOTOS / 2)]) {
      const form = new FormData();
      for (const p of part) form.append('files', new Blob([new Uint8Array(p.image)]), `${p.name}.jpg`);
      const res = await fetch(`${server.url}/api/v1/admin/${org.id}/events/${event.id}/photos`, {
        method: 'POST',
        headers: { 'X-API-Key': secret },
        body: form,
      });
      assert.equal(res.status, 200);
      reports.push((await json<UploadReport>(res)).data);
    }
    polling = false;
    await poll;
    ids = reports.flatMap((r) => r.results.map((x) => x.image_id!));
  });
  after(() => h.close());

  const search = async (bib: string) => {
    const res = await h.call(`/api/v1/ext/${event.org_id}/event/${event.id}/bibs/${bib}?page_size=100`, { key: pub });
    assert.equal(res.status, 200);
    return (await json<ImagePage>(res)).data.images.map((i) => i.image_id);
  };
  const reads = async (i: number) =>
    (
      await json<BibPhoto>(
        await h.call(`/api/v1/admin/${event.org_id}/events/${event.id}/photos/${ids[i]}/bibs`, { key: secret }),
      )
    ).data;

  test('every photo is stored with its OCR scan; no warnings', async () => {
    for (const r of reports) {
      assert.equal(r.failed, 0, JSON.stringify(r.results));
      assert.deepEqual(r.warnings, []);
    }
    assert.equal(ids.length, PHOTOS);
    for (let i = 0; i < PHOTOS; i++) assert.equal((await reads(i)).scan?.state, 'read');
  });

  test(`reads ≥ 95 % of bibs ≥ 100 px wide exactly, with their box and source ocr (${PHOTOS} photos)`, async (t) => {
    let exact = 0;
    const misses: string[] = [];
    for (let i = 0; i < PHOTOS; i++) {
      const truth = photos[i]!.bibs[0]!;
      const photo = await reads(i);
      const hit = photo.bibs.find((b) => b.bib_norm === normaliseBib(truth.bib));
      if (!hit) {
        misses.push(
          `${truth.bib} (${Math.round(truth.width)} px, ${truth.font}) → ${photo.bibs.map((b) => b.bib).join(',') || '∅'}`,
        );
        continue;
      }
      exact++;
      assert.equal(hit.source, 'ocr');
      assert.ok(hit.box && overlaps(hit.box, truth.box), `box ${hit.box} is not on the bib ${truth.box}`);
      assert.ok(hit.confidence! > 0 && hit.confidence! <= 1);
      assert.equal(hit.status, UNLISTED.includes(i) ? 'candidate' : 'accepted');
    }
    t.diagnostic(
      `exact-read rate ${((100 * exact) / PHOTOS).toFixed(1)} % (${exact}/${PHOTOS}); misses: ${misses.join('; ') || 'none'}`,
    );
    assert.ok(exact / PHOTOS >= 0.95, misses.join('; '));
  });

  test('BIB search finds each listed runner’s photo; reads outside the issued list are candidates, not returned', async () => {
    let found = 0;
    for (let i = 0; i < PHOTOS; i++) {
      const hits = await search(photos[i]!.bibs[0]!.bib);
      if (UNLISTED.includes(i)) assert.deepEqual(hits, [], `unlisted bib ${photos[i]!.bibs[0]!.bib} is returned`);
      else if (hits.includes(ids[i]!)) found++;
    }
    assert.ok(found / (PHOTOS - UNLISTED.length) >= 0.95, `found ${found}`);
    // Every accepted OCR tag is on the list: none from a clock, a banner or sponsor text.
    for (let i = 0; i < PHOTOS; i++) {
      for (const b of (await reads(i)).bibs) {
        if (b.status === 'accepted') assert.equal(b.bib_norm, normaliseBib(photos[i]!.bibs[0]!.bib), `photo ${i}: ${b.bib}`);
      }
    }
  });

  test('no read of a clock, a year banner or sponsor text is returned by BIB search', async (t) => {
    let checked = 0;
    for (let i = 0; i < PHOTOS; i++) {
      const p = photos[i]!;
      const numbers = new Set(p.distractors.flatMap((d) => [d.replace(/\D/g, ''), ...(d.match(/\d+/g) ?? [])]));
      for (const n of numbers) {
        if (bibProblem(n) || n === p.bibs[0]!.bib) continue;
        checked++;
        assert.ok(!(await search(n)).includes(ids[i]!), `photo ${i}: "${n}" (from ${p.distractors.join(' | ')}) is returned`);
      }
    }
    t.diagnostic(`${checked} clock, banner and sponsor numbers searched`);
    assert.ok(checked >= PHOTOS * 2);
  });

  test('the API stays responsive during the ingest (/healthz polled every 100 ms)', (t) => {
    const msg = `/healthz during ingest: ${health.length} calls, p50 ${pct(health, 0.5).toFixed(0)} ms, p95 ${pct(health, 0.95).toFixed(0)} ms, max ${Math.max(...health).toFixed(0)} ms`;
    t.diagnostic(msg);
    assert.ok(health.length >= 10, msg);
    assert.ok(pct(health, 0.95) < 1000, msg);
  });
});
