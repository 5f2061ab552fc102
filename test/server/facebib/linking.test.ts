// The face–bib assignment on boxes alone: what the geometry decides, before the real-model scenes of scenes.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assign, linkFacesToBibs, plausibility, type LinkBib, type LinkFace } from '../../../server/ingest/face-bib-links.ts';

// A runner whose face is 60 px wide at x; their bib's number 70 px wide, 2 face heights lower.
const face = (id: number, cx: number, top = 100, w = 60): LinkFace => ({ id, box: [cx - w / 2, top, cx + w / 2, top + w * 1.2] });
const bib = (id: number, cx: number, top = 100, w = 60, bibNorm = String(100 + id)): LinkBib => {
  const cy = top + w * 0.6 + w * 1.2 * 2;
  return { id, bib_norm: bibNorm, confidence: 0.98, box: [cx - w * 0.6, cy - w * 0.2, cx + w * 0.6, cy + w * 0.2] };
};
const pairs = (links: { face_id: number; tag_id: number }[]) => links.map((l) => `${l.face_id}:${l.tag_id}`).sort();

describe('face–bib linking (geometry)', () => {
  test('a bib under the face is plausible; beside, above or far below it is not', () => {
    assert.ok(plausibility(face(1, 200).box, bib(1, 200).box) > 0.9);
    assert.equal(plausibility(face(1, 200).box, bib(1, 400).box), 0);
    assert.equal(plausibility(face(1, 200, 400).box, bib(1, 200, 0).box), 0);
    assert.equal(plausibility(face(1, 200, 100).box, bib(1, 200, 700).box), 0);
    // A bib as wide as ten faces belongs to someone much nearer the camera.
    const near = bib(1, 200, 100, 600);
    assert.equal(plausibility(face(1, 200).box, near.box), 0);
  });

  test('the assignment is optimal, not greedy', () => {
    // Greedy would give row 0 its best (col 0, 0.9) and leave row 1 with 0.1: total 1.0 < 0.8 + 0.85.
    assert.deepEqual(
      assign([
        [0.9, 0.8],
        [0.85, 0.1],
      ]),
      [1, 0],
    );
    assert.deepEqual(assign([[0.5], [0.6], [0]]), [-1, 0, -1]);
    assert.deepEqual(assign([]), []);
  });

  test('two runners side by side: each face gets the bib below it, whichever order the bibs are in', () => {
    const faces = [face(1, 200), face(2, 420)];
    assert.deepEqual(pairs(linkFacesToBibs(faces, [bib(10, 200), bib(20, 420)])), ['1:10', '2:20']);
    assert.deepEqual(pairs(linkFacesToBibs(faces, [bib(20, 420), bib(10, 200)])), ['1:10', '2:20']);
    for (const l of linkFacesToBibs(faces, [bib(10, 200), bib(20, 420)])) assert.ok(l.confidence > 0.8, String(l.confidence));
  });

  test('a hidden bib: its runner gets no link, the other runner keeps theirs', () => {
    assert.deepEqual(pairs(linkFacesToBibs([face(1, 200), face(2, 420)], [bib(20, 420)])), ['2:20']);
  });

  test('one bib centred between two faces: ambiguous, no link', () => {
    assert.deepEqual(linkFacesToBibs([face(1, 200), face(2, 250)], [bib(10, 225)]), []);
  });

  test('no faces or no bibs: no links; an unreadable read (low OCR confidence) is not linked', () => {
    assert.deepEqual(linkFacesToBibs([], [bib(1, 200)]), []);
    assert.deepEqual(linkFacesToBibs([face(1, 200)], []), []);
    assert.deepEqual(linkFacesToBibs([face(1, 200)], [{ ...bib(1, 200), confidence: 0.2 }]), []);
  });

  test('a crowd of 6 runners in two rows: every visible bib goes to its own runner', () => {
    const front = [100, 300, 500].map((x, i) => face(i + 1, x, 200, 70));
    const back = [200, 400, 600].map((x, i) => face(i + 4, x, 60, 45));
    const bibs = [...[100, 300, 500].map((x, i) => bib(10 + i, x, 200, 70)), bib(20, 600, 60, 45)];
    assert.deepEqual(pairs(linkFacesToBibs([...front, ...back], bibs)), ['1:10', '2:11', '3:12', '6:20']);
  });
});
