// Certificates rendered ahead of their downloads (`certificate.render` jobs, CERTIFICATE_PRERENDER), on the test
// engine (SQLite's in-process queue, or pg-boss): publishing queues a render per record and format and the queue
// renders them; a download then serves the kept file; a record changed while published is rendered again; nothing
// is queued while unpublished; a job about a record deleted meanwhile ends without failing; the setting's default.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ImportSummary, PublicCertificate } from '../../../core/api/certificates.ts';
import { loadConfig } from '../../../server/config.ts';
import { PRERENDER_FORMATS, queueCertificateRenders } from '../../../server/jobs/certificate-jobs.ts';
import { createCertWorld, fileForm, type CertWorld } from '../certify/world.ts';

describe('certificates rendered ahead of their downloads', () => {
  let w: CertWorld;
  const renders = async (bib: string) =>
    Promise.all(PRERENDER_FORMATS.map((f) => w.h.deps.store.certificates.getRender(w.event.id, bib, f)));
  const idle = () => w.h.deps.jobs.idle('certificate.render');

  before(async () => {
    w = await createCertWorld({ config: { certificatePrerender: true } });
    await w.call(w.adm('/template'), { method: 'PUT', body: { builtin: 'classic' } });
    const r = await w.call<ImportSummary>(w.adm('/records'), {
      method: 'POST',
      body: fileForm('results.csv', 'Bib,First Name,Last Name,Chip Time\n7,Ada,Lovelace,3:10:00\n8,Alan,Turing,3:20:00\n'),
    });
    assert.equal(r.res.status, 200, r.body.message);
  });
  after(() => w.h.close());

  test('nothing is queued while the certificates are not published', async () => {
    await idle();
    assert.deepEqual(await renders('7'), [null, null]);
    assert.equal(await queueCertificateRenders(w.h.deps, w.event), 0);
  });

  test('publishing renders every record in both formats; a download serves the kept file', async () => {
    assert.equal((await w.call(w.adm('/publish'), { method: 'POST' })).res.status, 200);
    await idle();
    for (const bib of ['7', '8']) {
      const rows = await renders(bib);
      assert.ok(
        rows.every((row) => row !== null),
        `${bib}: ${JSON.stringify(rows)}`,
      );
      for (const row of rows) assert.ok(await w.h.deps.blobs.stat(row!.blob_key), `${row!.blob_key} stored`);
    }
    const [png] = await renders('7');
    const links = (await w.call<PublicCertificate>(w.pub('7'), { key: w.publishable })).body.data;
    const res = await w.file(links.png_url);
    assert.equal(res.status, 200);
    assert.equal(
      Buffer.from(await res.arrayBuffer())
        .subarray(1, 4)
        .toString(),
      'PNG',
    );
    const after = (await renders('7'))[0]!;
    assert.equal(after.blob_key, png!.blob_key, 'the download served the render the job kept');
    assert.equal(after.cache_key, png!.cache_key);
  });

  test('a record changed while published is rendered again, the other kept', async () => {
    const [before7] = await renders('7');
    const [before8] = await renders('8');
    const put = await w.call(w.adm('/records/7'), { method: 'PUT', body: { finish_time: '3:09:59' } });
    assert.ok(put.res.status === 200 || put.res.status === 201, put.body.message);
    await idle();
    const [after7] = await renders('7');
    const [after8] = await renders('8');
    assert.notEqual(after7!.cache_key, before7!.cache_key, 'the new version of 7 is rendered');
    assert.equal(after8!.cache_key, before8!.cache_key, '8 did not change');
  });

  test('a job about a record deleted meanwhile ends without a render and without failing', async () => {
    assert.equal(await queueCertificateRenders(w.h.deps, w.event, ['999']), PRERENDER_FORMATS.length);
    await idle();
    assert.deepEqual(await renders('999'), [null, null]);
    assert.deepEqual(await w.h.deps.jobs.failed(), []);
  });

  test('CERTIFICATE_PRERENDER: on with DATABASE_URL, off on SQLite, either way when set', () => {
    const base = { DATA_DIR: '/tmp/pf-config', SIGNING_KEYS: 'a-signing-key-of-16+chars' };
    assert.equal(loadConfig(base).certificatePrerender, false);
    assert.equal(loadConfig({ ...base, DATABASE_URL: 'postgres://pf@127.0.0.1:5432/pf' }).certificatePrerender, true);
    assert.equal(
      loadConfig({ ...base, DATABASE_URL: 'postgres://pf@127.0.0.1:5432/pf', CERTIFICATE_PRERENDER: 'off' }).certificatePrerender,
      false,
    );
    assert.equal(loadConfig({ ...base, CERTIFICATE_PRERENDER: 'on' }).certificatePrerender, true);
  });
});
