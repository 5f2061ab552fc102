// `photo-finish bibs …` as an organiser runs it: real processes, a temp DATA_DIR, the real OCR models.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BibOverview, IssuedReport, RerunReport } from '../../../core/api/bibtrack.ts';
import { runCli } from '../helpers/cli.ts';
import { generatePhotos, type GeneratedPhoto } from '../ocr/bib-images.ts';

describe('photo-finish bibs', () => {
  let dataDir: string;
  let photos: GeneratedPhoto[];
  let eventId: string;
  const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { DATA_DIR: dataDir, ...env });

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'pf-bibs-cli-'));
    photos = await generatePhotos(2, 61_000, { longSide: [700, 800], runners: [1, 1], bibWidth: [160, 260], blurChance: 0 });
    const folder = join(dataDir, 'photos');
    mkdirSync(folder);
    photos.forEach((p, i) => writeFileSync(join(folder, `runner-${i}.jpg`), p.image));
    assert.equal((await cli(['org', 'create', '--name', 'CLI club'])).code, 0);
    const ev = await cli(['event', 'create', '--org', '1', '--name', 'CLI 10K', '--json']);
    eventId = String((JSON.parse(ev.stdout) as { id: number }).id);
    const ingest = await cli(['ingest', folder, '--event', eventId]);
    assert.equal(ingest.code, 0, ingest.stderr);
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('ingest reads the bibs; issued list, status and re-run', async () => {
    const status = await cli(['bibs', 'status', '--event', eventId, '--json']);
    assert.equal(status.code, 0, status.stderr);
    const s = JSON.parse(status.stdout) as BibOverview;
    assert.deepEqual([s.images, s.read, s.tagged, s.ocr_accepted], [2, 2, 2, 2]);

    const csv = join(dataDir, 'issued.csv');
    writeFileSync(csv, `Name,Bib\nAnna,${photos[0]!.bibs[0]!.bib}\nBen,not a bib!\n`);
    const issued = await cli(['bibs', 'issued', csv, '--event', eventId]);
    assert.equal(issued.code, 0, issued.stderr);
    assert.match(issued.stdout, /1 issued bibs \(1 read from 2 rows, 1 rows skipped\).*1 now candidates/);
    assert.match(issued.stderr, /issued\.csv:3: bib "not a bib!"/);

    const rerun = await cli(['bibs', 'rerun', '--event', eventId, '--json']);
    assert.equal(rerun.code, 0, rerun.stderr);
    const r = JSON.parse(rerun.stdout) as RerunReport;
    assert.deepEqual([r.photos, r.read, r.accepted, r.candidates, r.failed.length], [2, 2, 1, 1, 0]);

    const cleared = await cli(['bibs', 'issued', '--clear', '--event', eventId, '--json']);
    assert.equal((JSON.parse(cleared.stdout) as IssuedReport).now_accepted, 1);
  });

  test('bad arguments are exit 2; missing models are exit 1 with the fix', async () => {
    const [noFile, unknown, noEvent] = await Promise.all([
      cli(['bibs', 'issued', '--event', eventId]),
      cli(['bibs', 'frob']),
      cli(['bibs', 'rerun', '--event', '99']),
    ]);
    assert.equal(noFile.code, 2);
    assert.match(noFile.stderr, /the file is required/);
    assert.equal(unknown.code, 2);
    assert.equal(noEvent.code, 1);
    assert.match(noEvent.stderr, /event 99 not found/);
    const empty = mkdtempSync(join(tmpdir(), 'pf-bibs-nomodels-'));
    try {
      const res = await cli(['bibs', 'rerun', '--event', eventId], { MODELS_DIR: empty });
      assert.equal(res.code, 1);
      assert.match(res.stderr, /^photo-finish: bibs not read: OCR models unavailable .*npm run fetch-models/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
