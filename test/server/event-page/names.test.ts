// Name search: runners from the results (certificate records) and a registration CSV (bib, name), accent- and
// case-insensitive, partial, several runners of one name all returned; the flag gates it; the CSV import reports
// broken rows without failing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunnersImport } from '../../../core/api/event-page.ts';
import type { NamesData } from '../../../core/index.ts';
import { json } from '../../support/harness.ts';
import { createWorld, type World } from '../helpers/world.ts';

describe('name search', () => {
  let w: World;
  before(async () => {
    w = await createWorld({}, 3);
    await w.h.deps.store.certificates.upsertRecords(w.event.id, [
      { bib: '101', name: 'Émilie Dupont', extra: {} },
      { bib: '202', name: 'Jean Martin', extra: {} },
    ]);
  });
  after(() => w.h.close());

  const names = (q: string, key = w.publishable) =>
    w.h.call(`/api/v1/ext/${w.orgId}/event/${w.event.id}/names?q=${encodeURIComponent(q)}`, { key });
  const found = async (q: string) => (await json<NamesData>(await names(q))).data.runners;
  const upload = (csv: string, mode?: string) => {
    const form = new FormData();
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'registration.csv');
    if (mode) form.append('mode', mode);
    return w.h.call(`/api/v1/admin/${w.orgId}/events/${w.event.id}/runners`, { key: w.secret, method: 'PUT', body: form });
  };

  test('403 while name_search is off', async () => {
    const res = await names('jean');
    assert.equal(res.status, 403);
    assert.match((await json(res)).message, /name_search is switched off/);
    const on = await w.h.call(`/api/v1/admin/${w.orgId}/events/${w.event.id}`, {
      key: w.secret,
      method: 'PATCH',
      body: { flags: { name_search: true } },
    });
    assert.equal(on.status, 200);
  });

  test('a registration CSV: good rows imported, broken rows reported and skipped', async () => {
    const csv = 'Bib;Nom\n0427;Jean-Luc Picard\n303;Jean Martin\n;No Bib\n12x!;Bad Bib\n404;\n303;Jean Again\n';
    const res = await upload(csv);
    assert.equal(res.status, 200);
    const r = (await json<RunnersImport>(res)).data;
    assert.equal(r.rows, 6);
    assert.equal(r.imported, 2);
    assert.equal(r.skipped, 4);
    assert.equal(r.runners, 2);
    assert.deepEqual(
      r.problems.filter((p) => p.severity === 'error').map((p) => p.row),
      [4, 5, 6, 7],
    );
    assert.match(r.problems.find((p) => p.row === 6)!.problem, /no name/);
  });

  test('accent- and case-insensitive, partial words, from results and registration', async () => {
    assert.deepEqual(await found('emilie'), [{ bib: '101', name: 'Émilie Dupont' }]);
    assert.deepEqual(await found('DUP'), [{ bib: '101', name: 'Émilie Dupont' }]);
    assert.deepEqual(await found('  picard JEAN '), [{ bib: '0427', name: 'Jean-Luc Picard' }]);
  });

  test('a name shared by several runners: every one comes back, to choose from', async () => {
    const runners = await found('jean martin');
    assert.deepEqual(runners.map((r) => r.bib).sort(), ['202', '303']);
    assert.ok(runners.every((r) => r.name === 'Jean Martin'));
    assert.equal((await found('jean')).length, 3);
  });

  test('no match is an empty list; fewer than 2 letters is 422; at most 20', async () => {
    assert.deepEqual(await found('zorro'), []);
    assert.equal((await names('j')).status, 422);
    assert.equal((await names('-- ')).status, 422);
    const many = ['bib,name', ...Array.from({ length: 30 }, (_, i) => `${1000 + i},Runner Number${i}`)].join('\n');
    assert.equal((await upload(many, 'append')).status, 200);
    assert.equal((await found('runner')).length, 20);
  });

  test('replace: the list becomes the file; a file with no usable row is 422 and changes nothing', async () => {
    const bad = await upload('bib,name\n,x\n');
    assert.equal(bad.status, 422);
    assert.match((await json(bad)).message, /no runner could be imported/);
    assert.equal((await found('picard')).length, 1);
    const res = await upload('bib,name\n777,Ada Lovelace\n');
    assert.equal((await json<RunnersImport>(res)).data.runners, 1);
    assert.deepEqual(await found('picard'), []);
    assert.deepEqual(await found('lovelace'), [{ bib: '777', name: 'Ada Lovelace' }]);
    // Results stay searchable whatever the registration list holds.
    assert.equal((await found('emilie')).length, 1);
  });

  test('the registration CSV can be sent as the body, and needs a secret key', async () => {
    const res = await w.h.call(`/api/v1/admin/${w.orgId}/events/${w.event.id}/runners?mode=append`, {
      key: w.secret,
      method: 'PUT',
      body: 'bib,first name,last name\n888,Grace,Hopper\n',
      headers: { 'Content-Type': 'text/csv' },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await found('hopper'), [{ bib: '888', name: 'Grace Hopper' }]);
    const refused = await w.h.call(`/api/v1/admin/${w.orgId}/events/${w.event.id}/runners`, {
      key: w.publishable,
      method: 'PUT',
      body: 'bib,name\n1,A\n',
      headers: { 'Content-Type': 'text/csv' },
    });
    assert.equal(refused.status, 403);
  });
});
