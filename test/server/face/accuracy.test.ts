// Recognition accuracy on the real dataset: every other photograph of a person matches at the
// default threshold, no one else does; TAR at FAR ≤ 1 % is printed.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { DEFAULT_MATCH_THRESHOLD, cosine, iou } from '../../../core/face/index.ts';
import { FaceIndex } from '../../../server/vision/face-index.ts';
import { loadFaceModels } from '../../../server/vision/face-models.ts';
import { createFaceRunner } from '../../../server/vision/face-runner.ts';
import { MODELS_DIR, manifest, needsDataset, readFace, type ManifestFile } from './dataset.ts';

interface Face {
  file: string;
  source: string;
  identity: string;
  embedding: Float32Array;
}

describe('recognition accuracy', needsDataset, () => {
  const faces: Face[] = [];
  let files: ManifestFile[];

  before(async () => {
    files = manifest();
    const runner = createFaceRunner((await loadFaceModels(MODELS_DIR)).backend);
    for (const f of files) {
      for (const d of await runner.indexPhotoFaces(readFace(f.file))) {
        const i = f.faces_detected.findIndex((m) => iou(m.box, d.box) >= 0.5);
        if (i >= 0) faces.push({ file: f.file, source: f.source_photo, identity: f.identities[i]!, embedding: d.embedding });
      }
    }
  });

  it('embeds every manifest face', () => {
    assert.equal(
      faces.length,
      files.reduce((n, f) => n + f.faces_detected.length, 0),
    );
  });

  it('each photo of a person finds every other photograph of them (group photos too) and no one else, at 0.45', () => {
    const index = FaceIndex.fromFaces(faces.map((f) => ({ image_id: f.file, embedding: f.embedding })));
    const sourceOf = new Map(files.map((f) => [f.file, f.source_photo]));
    const photographs = (id: string) => new Set(files.filter((f) => f.identities.includes(id)).map((f) => f.source_photo));
    let queries = 0;
    for (const q of faces) {
      if (q.identity === 'unknown_child') continue;
      const hits = index.search(q.embedding, DEFAULT_MATCH_THRESHOLD).filter((h) => sourceOf.get(h.image_id) !== q.source);
      const got = hits.map((h) => h.image_id).sort();
      const want = files
        .filter((f) => f.source_photo !== q.source && f.identities.includes(q.identity))
        .map((f) => f.file)
        .sort();
      assert.deepEqual(got, want, `${q.identity} from ${q.file}: ${JSON.stringify(hits)}`);
      if (photographs(q.identity).size >= 2) queries++;
    }
    assert.ok(queries >= 15, `only ${queries} queries had another photograph to find`);
  });

  it('prints genuine/impostor statistics and TAR at FAR ≤ 1 %', () => {
    const genuine: number[] = [];
    const impostor: number[] = [];
    for (let i = 0; i < faces.length; i++) {
      for (let j = i + 1; j < faces.length; j++) {
        const a = faces[i]!;
        const b = faces[j]!;
        if (a.source === b.source) continue; // crops of one photograph are not independent pairs
        const c = cosine(a.embedding, b.embedding);
        if (a.identity === b.identity && a.identity !== 'unknown_child') genuine.push(c);
        else impostor.push(c);
      }
    }
    genuine.sort((x, y) => x - y);
    impostor.sort((x, y) => y - x);
    // Lowest threshold whose false-accept rate is ≤ 1 %: just above the (⌊1 % · n⌋ + 1)-th best impostor.
    const allowed = Math.floor(impostor.length * 0.01);
    const thr = impostor[allowed]! + 1e-6;
    const tar = genuine.filter((g) => g >= thr).length / genuine.length;
    const far = impostor.filter((s) => s >= thr).length / impostor.length;
    const tar045 = genuine.filter((g) => g >= DEFAULT_MATCH_THRESHOLD).length / genuine.length;
    const far045 = impostor.filter((s) => s >= DEFAULT_MATCH_THRESHOLD).length / impostor.length;
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    const line = [
      `genuine pairs ${genuine.length}: min ${genuine[0]!.toFixed(3)} mean ${mean(genuine).toFixed(3)}`,
      `impostor pairs ${impostor.length}: max ${impostor[0]!.toFixed(3)} mean ${mean(impostor).toFixed(3)}`,
      `TAR ${(tar * 100).toFixed(1)} % at FAR ${(far * 100).toFixed(2)} % (≤ 1 %), threshold ${thr.toFixed(3)}`,
      `at the default ${DEFAULT_MATCH_THRESHOLD}: TAR ${(tar045 * 100).toFixed(1)} %, FAR ${(far045 * 100).toFixed(2)} %`,
    ];
    console.log(`face accuracy: ${line.join('; ')}`);
    assert.ok(far <= 0.01);
    assert.ok(tar >= 0.95, `TAR ${tar}`);
    assert.equal(tar045, 1);
    assert.equal(far045, 0);
  });
});
