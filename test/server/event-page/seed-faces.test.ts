// `seed-demo --faces` (and DEMO_FACES with npm start) says what it did or did not do, also on an already seeded folder.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { demoFacesNote, demoFile, seedDemo } from '../../../server/seed/demo.ts';
import { createHarness, type Harness } from '../../support/harness.ts';

describe('demo seed with --faces', () => {
  let h: Harness;
  const faces = '/work/shared/datasets/faces';
  before(() => {
    h = createHarness();
  });
  after(() => h.close());

  const seed = (facePhotos: string | null) => ({
    store: h.deps.store,
    blobs: h.deps.blobs,
    certificates: h.deps.certificates,
    dataDir: h.dir,
    baseUrl: 'http://127.0.0.1',
    count: 4,
    facePhotos,
  });

  test('no face folder: no note', async () => {
    const first = await seedDemo(seed(null));
    assert.equal(first.created, true);
    assert.equal(demoFacesNote(seed(null), first), null);
  });

  test('an already seeded folder: nothing done, and how to seed again with faces', async () => {
    const again = await seedDemo(seed(faces));
    assert.equal(again.created, false);
    assert.equal(again.info.faces, undefined);
    const note = demoFacesNote(seed(faces), again)!;
    assert.match(note, /^faces: nothing done, the demo is already seeded and its photos were made without real faces/);
    assert.ok(note.includes(demoFile(h.dir)));
  });

  test('faces pasted earlier, and a new seed without face search, are said too', () => {
    const info = {
      org_id: 1,
      event_id: 1,
      secret_key: '',
      publishable_key: '',
      base_url: '',
      faces: [{ bib: '427', person: 'a', file: 'a/1.jpg' }],
    };
    assert.match(demoFacesNote(seed(faces), { created: false, info })!, /already wears 1 real faces \(runners 427\)/);
    assert.match(demoFacesNote(seed(faces), { created: true, info: { ...info, faces: [] } })!, /face search is off/);
    const stage = { ...seed(faces), faces: {} as never };
    assert.match(demoFacesNote(stage, { created: true, info })!, /^faces: 1 real faces from .* pasted on runners 427/);
    assert.match(demoFacesNote(stage, { created: true, info: { ...info, faces: [] } })!, /no usable face found/);
  });
});
