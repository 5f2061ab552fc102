// Query expansion on a race-like set: every photo of the real face dataset stored three times, shrunk so its faces
// are 36–60 px wide, blurred and saved as low-quality JPEG (small, soft, blocky faces); each clean single-face photo
// of a person is a selfie. Recall and precision of the face matches with and without expansion are printed; the
// expansion must keep or improve recall without losing precision, and never use a photo marked "Not me".
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { ingestPhoto } from '../../../server/ingest/pipeline.ts';
import { rankSelfie } from '../../../server/services/face-match.ts';
import type { EventRow } from '../../../server/store/types.ts';
import { createHarness, type Harness } from '../../support/harness.ts';
import { FACES_DIR, MODELS_DIR, manifest, needsDataset, type ManifestFile } from '../face/dataset.ts';

const VARIANTS = [
  { face: 60, blur: 0.8, quality: 45 },
  { face: 46, blur: 1.0, quality: 38 },
  { face: 36, blur: 1.2, quality: 32 },
];

describe('query expansion on small, blurred, compressed faces (real models)', needsDataset, () => {
  let h: Harness;
  let event: EventRow;
  /** Stored photo → the people in it. */
  const people = new Map<string, string[]>();
  const queries: { person: string; file: string; embedding: Float32Array }[] = [];
  const timings = { base: [] as number[], expanded: [] as number[] };

  before(async () => {
    h = createHarness({ faces: true, config: { modelsDir: MODELS_DIR } });
    const org = await h.deps.store.orgs.create('Expansion');
    event = await h.deps.store.events.create(org.id, { name: 'Blurry 10K' });
    const files = manifest();
    for (const f of files) {
      const data = readFileSync(join(FACES_DIR, f.file));
      const widest = Math.max(...f.faces_detected.map((d) => d.box[2] - d.box[0]));
      for (const [k, v] of VARIANTS.entries()) {
        const width = Math.round((f.width * v.face) / widest);
        if (width >= f.width) continue;
        const img = await sharp(data).rotate().resize({ width }).blur(v.blur).jpeg({ quality: v.quality }).toBuffer();
        const r = await ingestPhoto(h.deps, event, { name: `${f.file}#${k}`, data: img });
        if (r.status === 'added') people.set(r.image_id, f.identities);
      }
    }
    const single = (f: ManifestFile) => f.kind === 'single' && f.faces_detected.length === 1 && f.identity;
    const count = new Map<string, number>();
    for (const f of files) if (single(f)) count.set(f.identity!, (count.get(f.identity!) ?? 0) + 1);
    for (const f of files) {
      if (!single(f) || (count.get(f.identity!) ?? 0) < 2) continue;
      const { embedding } = await h.deps.faces!.embed({ kind: 'image', data: readFileSync(join(FACES_DIR, f.file)) });
      queries.push({ person: f.identity!, file: f.file, embedding });
    }
  });
  after(() => h?.close());

  const score = async (expand: boolean) => {
    const index = await h.deps.faces!.index(event.id);
    let tp = 0;
    let fp = 0;
    let relevant = 0;
    for (const q of queries) {
      const t0 = performance.now();
      const { hits } = await rankSelfie(h.deps.store, index, event, q.embedding, { expand, bibs: false });
      timings[expand ? 'expanded' : 'base'].push(performance.now() - t0);
      const truth = [...people].filter(([, ids]) => ids.includes(q.person)).map(([id]) => id);
      relevant += truth.length;
      for (const hit of hits) {
        if (people.get(hit.image_id)?.includes(q.person)) tp++;
        else fp++;
      }
    }
    return { recall: tp / relevant, precision: tp / Math.max(1, tp + fp), tp, fp, relevant };
  };

  test('expansion keeps or improves recall, and keeps precision', async () => {
    assert.ok(people.size >= 40, `${people.size} degraded photos stored`);
    assert.ok(queries.length >= 10);
    const base = await score(false);
    const expanded = await score(true);
    const ms = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(1);
    console.log(
      `# expansion: ${people.size} degraded photos, ${queries.length} selfies: recall ${(base.recall * 100).toFixed(1)} % → ${(expanded.recall * 100).toFixed(1)} %, ` +
        `precision ${(base.precision * 100).toFixed(1)} % → ${(expanded.precision * 100).toFixed(1)} % (${base.fp} → ${expanded.fp} false); ` +
        `median ranking ${ms(timings.base)} ms → ${ms(timings.expanded)} ms`,
    );
    assert.ok(expanded.recall >= base.recall, `recall ${base.recall} → ${expanded.recall}`);
    assert.ok(expanded.precision >= Math.min(base.precision, 0.95), `precision ${base.precision} → ${expanded.precision}`);
  });

  test("one scan (the refined query over the first scan's candidates) ranks as a second full scan did", async () => {
    const index = await h.deps.faces!.index(event.id);
    assert.ok(index.hasFaceIds, 'the index knows the stored face ids');
    let expanded = 0;
    for (const q of queries) {
      const one = await rankSelfie(h.deps.store, index, event, q.embedding, { bibs: false });
      const two = await rankSelfie(h.deps.store, index, event, q.embedding, { bibs: false, scan: 'full' });
      assert.deepEqual(one.expandedFrom, two.expandedFrom, q.file);
      assert.deepEqual(one.hits, two.hits, q.file);
      if (one.expandedFrom.length) expanded++;
    }
    assert.ok(expanded >= queries.length / 2, `${expanded} of ${queries.length} queries expanded`);
  });

  test('"Not me" photos are neither returned nor used to expand the query', async () => {
    const index = await h.deps.faces!.index(event.id);
    const q = queries.find((x) => x.person === 'obama')!;
    const first = await rankSelfie(h.deps.store, index, event, q.embedding, { bibs: false });
    assert.ok(first.expandedFrom.length > 0, 'the query was expanded');
    const rejected = new Set(first.expandedFrom.slice(0, 2));
    const again = await rankSelfie(h.deps.store, index, event, q.embedding, { bibs: false, rejected });
    for (const id of rejected) {
      assert.ok(!again.expandedFrom.includes(id), 'a rejected photo refined the query');
      assert.ok(!again.hits.some((x) => x.image_id === id), 'a rejected photo was returned');
    }
    assert.ok(again.expandedFrom.length > 0);
  });
});
