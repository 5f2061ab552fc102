// BIB search semantics over stored tags, the issued-bib list (CSV, certificate records) and its re-application to
// OCR reads, and the review routes. No OCR here: tags are stored as the OCR stage stores them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BibOverview, BibPhoto, BibPhotoPage, IssuedList, IssuedReport } from '../../../core/api/bibtrack.ts';
import { normaliseBib, type ImagePage } from '../../../core/index.ts';
import { ingestPhoto } from '../../../server/ingest/pipeline.ts';
import { parseIssuedCsv } from '../../../server/services/bibtrack.ts';
import { createApiKey } from '../../../server/services/keys.ts';
import type { EventRow, NewBibTag } from '../../../server/store/types.ts';
import { createHarness, json, type Harness } from '../../support/harness.ts';
import { makeJpeg } from '../helpers/photos.ts';

const ocr = (bib: string, status: 'accepted' | 'candidate' = 'accepted', confidence = 0.9): NewBibTag => ({
  bib,
  bib_norm: normaliseBib(bib),
  source: 'ocr',
  status,
  confidence,
  box: [10, 20, 110, 80],
});

describe('BIB search and the issued-bib list', () => {
  let h: Harness;
  let event: EventRow;
  let secret: string;
  let pub: string;
  const ids: Record<string, string> = {};

  before(async () => {
    // The service for the admin routes; nothing here reads photos.
    h = createHarness({ bibtrack: { reader: () => assert.fail('no OCR in this test') } });
    const org = await h.deps.store.orgs.create('Search club');
    event = await h.deps.store.events.create(org.id, { name: 'Search 10K' });
    secret = (await createApiKey(h.deps.store, org.id, { kind: 'secret' })).key;
    pub = (await createApiKey(h.deps.store, org.id, { kind: 'publishable' })).key;
    // Photos tagged as the ingest stores them: OCR reads (box, confidence), a sidecar tag, a manual tag.
    const plan: [string, NewBibTag[], string[]][] = [
      ['read427', [ocr('427')], []],
      ['manual0427', [], []],
      ['sidecarA12', [], ['a-12']],
      ['read4270', [ocr('4270')], []],
      ['read42', [ocr('42')], []],
      ['candidate555', [ocr('555', 'candidate', 0.45)], []],
      ['untagged', [], []],
    ];
    for (const [i, [name, tags, sidecar]] of plan.entries()) {
      // Ingest without the OCR stage: the reads are added below.
      const ingest = { store: h.deps.store, blobs: h.deps.blobs };
      const res = await ingestPhoto(ingest, event, { name, data: await makeJpeg({ seed: 500 + i }), bibs: sidecar });
      assert.equal(res.status, 'added');
      ids[name] = res.image_id;
      for (const t of tags) await h.deps.store.bibs.add(res.image_id, t);
    }
    await h.deps.store.bibs.add(ids.manual0427!, { ...ocr('0427'), source: 'manual', confidence: null, box: null });
  });
  after(() => h.close());

  const search = async (bib: string) => {
    const res = await h.call(`/api/v1/ext/${event.org_id}/event/${event.id}/bibs/${encodeURIComponent(bib)}`, { key: pub });
    assert.equal(res.status, 200, bib);
    return (await json<ImagePage>(res)).data.images.map((i) => i.image_id).sort();
  };
  const admin = (path: string, o: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    h.call(`/api/v1/admin/${event.org_id}/events/${event.id}${path}`, { key: secret, ...o });

  test('exact normalised match; leading zeros match both ways; case, spaces and dashes ignored; no fuzzy match', async () => {
    const both = [ids.read427!, ids.manual0427!].sort();
    assert.deepEqual(await search('427'), both, 'a read "427" and a tag "0427" are found by "427"');
    assert.deepEqual(await search('0427'), both, '…and by "0427"');
    assert.deepEqual(await search('00427'), both);
    assert.deepEqual(await search('4 27'), both);
    assert.deepEqual(await search('A12'), [ids.sidecarA12]);
    assert.deepEqual(await search('a 12'), [ids.sidecarA12]);
    assert.deepEqual(await search('4270'), [ids.read4270], 'no prefix or fuzzy match');
    assert.deepEqual(await search('42'), [ids.read42]);
    assert.deepEqual(await search('27'), []);
    assert.deepEqual(await search('428'), []);
  });

  test('candidates and rejected tags are not returned by search; accepting a candidate makes it searchable', async () => {
    assert.deepEqual(await search('555'), []);
    const photo = (await json<BibPhoto>(await admin(`/photos/${ids.candidate555}/bibs`))).data;
    const tag = photo.bibs.find((b) => b.bib === '555')!;
    assert.deepEqual(
      [tag.source, tag.status, tag.confidence, tag.box, tag.reviewed_at],
      ['ocr', 'candidate', 0.45, [10, 20, 110, 80], null],
    );
    const accepted = await admin(`/photos/${ids.candidate555}/bibs/${tag.tag_id}`, {
      method: 'PATCH',
      body: { status: 'accepted' },
    });
    assert.equal(accepted.status, 200);
    const after = (await json<BibPhoto>(accepted)).data.bibs.find((b) => b.tag_id === tag.tag_id)!;
    assert.equal(after.status, 'accepted');
    assert.ok(after.reviewed_at);
    assert.deepEqual(await search('555'), [ids.candidate555]);
    const rejected = await admin(`/photos/${ids.candidate555}/bibs/${tag.tag_id}`, {
      method: 'PATCH',
      body: { status: 'rejected' },
    });
    assert.equal(rejected.status, 200);
    assert.deepEqual(await search('555'), []);
    // Bad review requests.
    assert.equal(
      (await admin(`/photos/${ids.candidate555}/bibs/${tag.tag_id}`, { method: 'PATCH', body: { status: 'candidate' } })).status,
      422,
    );
    assert.equal(
      (await admin(`/photos/${ids.candidate555}/bibs/999999`, { method: 'PATCH', body: { status: 'accepted' } })).status,
      404,
    );
    assert.equal(
      (await admin(`/photos/${ids.read42}/bibs/${tag.tag_id}`, { method: 'PATCH', body: { status: 'accepted' } })).status,
      404,
    );
    const notUuid = await admin(`/photos/not-a-uuid/bibs`);
    assert.equal(notUuid.status, 422);
    assert.match((await json(notUuid)).message, /^image_id: must be a UUID/);
    const badTag = await admin(`/photos/${ids.candidate555}/bibs/x`, { method: 'PATCH', body: { status: 'accepted' } });
    assert.equal(badTag.status, 422);
    assert.match((await json(badTag)).message, /^tag_id: /);
  });

  test('photos without a bib, paginated: the manual tagging queue; a manual tag takes a photo off it', async () => {
    const page = async (n: number, size: number) => {
      const res = await admin(`/bibs/untagged?page=${n}&page_size=${size}`);
      assert.equal(res.status, 200);
      return (await json<BibPhotoPage>(res)).data;
    };
    const first = await page(1, 1);
    assert.equal(first.pagination.total, 2, 'the untagged photo and the one with a rejected candidate');
    assert.equal(first.pagination.totalPages, 2);
    const all = [...first.photos, ...(await page(2, 1)).photos].map((p) => p.image_id).sort();
    assert.deepEqual(all, [ids.untagged, ids.candidate555].sort());
    assert.match(first.photos[0]!.thumbnail_url, /\/files\/r\/renditions\/.*thumb-320\.webp$/);
    const added = await admin(`/photos/${ids.untagged}/bibs`, { method: 'POST', body: { bib: '0815' } });
    assert.equal(added.status, 200);
    const tag = (await json<BibPhoto>(added)).data.bibs[0]!;
    assert.deepEqual([tag.bib, tag.source, tag.status], ['0815', 'manual', 'accepted']);
    assert.deepEqual(await search('815'), [ids.untagged]);
    assert.equal((await page(1, 10)).pagination.total, 1);
    const zero = await admin('/bibs/untagged?page_size=0');
    assert.equal(zero.status, 422);
    assert.equal((await json(zero)).message, 'page_size: must be 1 or more');
    const big = await admin('/bibs/untagged?page_size=201');
    assert.equal(big.status, 422);
    assert.equal((await json(big)).message, 'page_size: must be at most 200');
    const issued = await admin('/bibs/issued?page_size=5001');
    assert.equal((await json(issued)).message, 'page_size: must be at most 5000');
  });

  test('issued CSV: a bib column by name or the first column, bad rows reported by line', () => {
    const named = parseIssuedCsv(
      '\uFEFFName;Dossard;Category\r\nAnna;0427;F\r\nBen;;M\r\nCarl;12-34;M\r\nDina;x!;F\r\nEve;0427;F\n',
    );
    assert.deepEqual(named.bibs, [
      { bib: '0427', bib_norm: '0427' },
      { bib: '12-34', bib_norm: '1234' },
    ]);
    assert.equal(named.rows, 5);
    assert.deepEqual(
      named.problems.map((p) => p.line),
      [3, 5],
    );
    const bare = parseIssuedCsv('101\n102\n\n103\n');
    assert.deepEqual(
      bare.bibs.map((b) => b.bib),
      ['101', '102', '103'],
    );
    const wrongHeader = parseIssuedCsv('runner,club\n');
    assert.equal(wrongHeader.bibs.length, 0);
    assert.match(wrongHeader.problems[0]!.error, /header must name a bib column/);
  });

  test('an issued list turns OCR reads outside it into candidates (not searchable), and back when it is removed', async () => {
    const put = await admin('/bibs/issued', {
      method: 'PUT',
      body: 'bib\n0427\n4270\n',
      headers: { 'Content-Type': 'text/csv' },
    });
    assert.equal(put.status, 200, (await put.clone().text()).slice(0, 300));
    const report = (await json<IssuedReport>(put)).data;
    assert.deepEqual([report.issued, report.bibs, report.rows], [2, 2, 2]);
    assert.equal(report.now_candidates, 1, 'the read "42" (the reviewed "555" keeps its status)');
    assert.equal(report.now_accepted, 0);
    assert.deepEqual(await search('42'), [], 'a read outside the list is not returned');
    assert.deepEqual(await search('427'), [ids.read427, ids.manual0427].sort(), '"427" matches the issued "0427"');
    const tag = (await json<BibPhoto>(await admin(`/photos/${ids.read42}/bibs`))).data.bibs[0]!;
    assert.deepEqual([tag.status, tag.confidence], ['candidate', 0.45]);
    // Manual and sidecar tags are never touched by the list.
    assert.deepEqual(await search('A12'), [ids.sidecarA12]);

    const list = (await json<IssuedList>(await admin('/bibs/issued'))).data;
    assert.deepEqual(list.bibs, ['0427', '4270']);
    const appended = await admin('/bibs/issued?mode=append', {
      method: 'PUT',
      body: '42\n',
      headers: { 'Content-Type': 'text/csv' },
    });
    assert.equal((await json<IssuedReport>(appended)).data.now_accepted, 1);
    assert.deepEqual(await search('42'), [ids.read42]);
    assert.deepEqual((await json<IssuedList>(await admin('/bibs/issued'))).data.bibs, ['42', '0427', '4270']);

    const multipart = new FormData();
    multipart.append('file', new Blob(['number\n4270\n']), 'issued.csv');
    const replaced = await admin('/bibs/issued', { method: 'PUT', body: multipart });
    assert.equal(replaced.status, 200);
    assert.equal((await json<IssuedReport>(replaced)).data.issued, 1);
    assert.deepEqual(await search('427'), [ids.manual0427], 'the read "427" is a candidate now');

    const cleared = await admin('/bibs/issued', { method: 'DELETE' });
    assert.equal((await json<IssuedReport>(cleared)).data.now_accepted, 2);
    assert.deepEqual(await search('427'), [ids.read427, ids.manual0427].sort());
    assert.deepEqual((await json<BibPhoto>(await admin(`/photos/${ids.read42}/bibs`))).data.bibs[0]!.confidence, 0.9);

    assert.equal(
      (await admin('/bibs/issued', { method: 'PUT', body: 'runner\nAnna\n', headers: { 'Content-Type': 'text/csv' } })).status,
      422,
    );
    assert.equal((await admin('/bibs/issued', { method: 'PUT', body: { bibs: ['1'] } })).status, 415);
    assert.equal(
      (await admin('/bibs/issued?mode=merge', { method: 'PUT', body: '1\n', headers: { 'Content-Type': 'text/csv' } })).status,
      422,
    );
  });

  test('certificate records count as issued bibs', async () => {
    await h.deps.store.certificates.upsertRecords(event.id, [
      { bib: '42', name: 'Forty Two', extra: {} },
      { bib: '4270', name: 'Other', extra: {} },
    ]);
    const report = (await json<IssuedReport>(await admin('/bibs/issued', { method: 'DELETE' }))).data;
    assert.equal(report.certificate_bibs, 2);
    assert.equal(report.now_candidates, 1, 'the read "427" is in neither list');
    assert.deepEqual(await search('427'), [ids.manual0427]);
    assert.deepEqual(await search('42'), [ids.read42]);
    const overview = (await json<BibOverview>(await admin('/bibs'))).data;
    assert.equal(overview.certificate_bibs, 2);
    assert.equal(overview.images, 7);
    assert.equal(overview.ocr_candidates, 1);
    assert.equal(overview.manual, 2);
    assert.equal(overview.rejected, 1);
  });

  test('removing a bib by hand matches it as search does: "427" removes the manual tag "0427"', async () => {
    const res = await admin(`/photos/${ids.manual0427}/bibs/427`, { method: 'DELETE' });
    assert.equal(res.status, 200);
    assert.deepEqual((await json<BibPhoto>(res)).data.bibs, [], 'the answer is the photo with its bibs, as GET reads it');
    assert.deepEqual(await search('0427'), []);
  });
});
