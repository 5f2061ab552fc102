// Certificates API against a real app (SQLite file, blob folder): access, templates, records uploads
// with CSV edge cases, status and publishing, and the participant look-up.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type {
  BuiltinTemplateItem,
  CertificateRecordItem,
  CertificateRecordPage,
  CertificateStatus,
  EventTemplate,
  ImportSummary,
  PublicCertificate,
} from '../../../core/api/certificates.ts';
import type { EventDetails } from '../../../core/api/models.ts';
import type { ImportIssue } from '../../../core/certify.ts';
import { createCertWorld, fileForm, type CertWorld } from './world.ts';

const issuesOf = (s: ImportSummary, code: ImportIssue['code']) => s.issues.filter((i) => i.code === code);

/** The results file of the test event: a BOM, `;`, quoted fields, one broken row, duplicate/missing BIBs, a bad time. */
const RESULTS_CSV = [
  '\uFEFFDossard;Prénom;Nom;Catégorie;Temps;Clt;Club',
  '101;Zoë;Šťastná;F40;3:41:07;12;"Lauf; Treff ""Süd"""',
  '102;Ann;"Lee-\nSmith";F35;03:12:44;3;',
  '103;Bob;Ray;M40;DNF;;',
  ';No;Bib;M40;4:00:00;40;',
  '101;Zoë;Again;F40;3:41:07;12;',
  '104;Carl;"Broken;row";M50;4:10:00;50;x;y',
  '0427;Dana;Zero;F20;2:59:59;1;',
  '105;Eve;Stone;F45;1:05:00.2;7;',
  '',
].join('\r\n');

describe('certificates API', () => {
  let w: CertWorld;
  /** `certificates` of the public event details (publishable key). */
  const certificatesInDetails = async (eventId = w.event.id) => {
    const d = await w.call<EventDetails>(`/api/v1/ext/${w.orgId}/event/${eventId}/details`, { key: w.publishable });
    assert.equal(d.res.status, 200);
    return d.body.data.certificates;
  };
  before(async () => {
    w = await createCertWorld();
  });
  after(() => w.h.close());

  describe('access', () => {
    test('admin routes: no key 401, publishable key 403, other organisation 403, unknown event 404', async () => {
      const routes: [string, string, unknown?][] = [
        ['GET', ''],
        ['GET', '/templates'],
        ['PUT', '/template', { builtin: 'classic' }],
        ['GET', '/records'],
        ['POST', '/publish'],
        ['GET', '/preview'],
      ];
      for (const [method, path, body] of routes) {
        const none = await w.call(w.adm(path), { key: null, method, body });
        assert.equal(none.res.status, 401, `${method} ${path}`);
        const pk = await w.call(w.adm(path), { key: w.publishable, method, body });
        assert.equal(pk.res.status, 403, `${method} ${path}`);
        assert.match(pk.body.message, /secret key/);
        assert.equal(pk.body.responseType, 'error');
        assert.equal(pk.body.data, null);
        const other = await w.call(w.adm(path), { key: w.otherOrg.secret, method, body });
        assert.equal(other.res.status, 403, `${method} ${path}`);
      }
      const unknown = await w.call(w.adm('', 99999));
      assert.equal(unknown.res.status, 404);
      const notMine = await w.call(`/api/v1/admin/${w.orgId}/events/${w.otherOrg.eventId}/certificates`);
      assert.equal(notMine.res.status, 403);
    });

    test('the deprecated /event/{id}/certificates alias answers as before, marked deprecated', async () => {
      const old = await w.call<{ templates: BuiltinTemplateItem[] }>(w.adm('/templates').replace('/events/', '/event/'));
      assert.equal(old.res.status, 200);
      assert.equal(old.res.headers.get('deprecation'), 'true');
      assert.match(old.res.headers.get('link')!, /\/events\/\d+\/certificates\/templates>; rel="successor-version"$/);
      assert.deepEqual(old.body, (await w.call(w.adm('/templates'))).body);
      const pk = await w.call(w.adm('').replace('/events/', '/event/'), { key: w.publishable });
      assert.equal(pk.res.status, 403);
    });

    test('public look-up: no key 401, other organisation key 403', async () => {
      assert.equal((await w.call(w.pub('101'), { key: null })).res.status, 401);
      assert.equal((await w.call(w.pub('101'), { key: w.otherOrg.secret })).res.status, 403);
    });
  });

  describe('setup', () => {
    test('a new event: nothing set up, publishing is refused with what is missing', async () => {
      const { res, body } = await w.call<CertificateStatus>(w.adm());
      assert.equal(res.status, 200);
      assert.deepEqual(body.data.missing, ['data_source', 'template', 'records']);
      assert.equal(body.data.setup_complete, false);
      assert.equal(body.data.published, false);
      const pub = await w.call(w.adm('/publish'), { method: 'POST' });
      assert.equal(pub.res.status, 409);
      assert.match(pub.body.message, /template/);
      assert.match(pub.body.message, /results file/);
      const look = await w.call(w.pub('101'), { key: w.publishable });
      assert.equal(look.res.status, 403);
      assert.match(look.body.message, /not published/);
    });

    test('built-in templates are listed', async () => {
      const { body } = await w.call<{ templates: BuiltinTemplateItem[] }>(w.adm('/templates'));
      assert.deepEqual(
        body.data.templates.map((t) => t.id),
        ['builtin:classic', 'builtin:modern'],
      );
      assert.ok(body.data.templates.every((t) => t.template.fields.some((f) => f.id === 'name')));
    });

    test('the template: from a built-in with an accent; the same again keeps the version; bad input is 422', async () => {
      assert.equal((await w.call(w.adm('/template'))).res.status, 404);
      const put = await w.call<EventTemplate>(w.adm('/template'), {
        method: 'PUT',
        body: { builtin: 'classic', accent: '#2e7d32' },
      });
      assert.equal(put.res.status, 200);
      assert.equal(put.body.data.version, 1);
      assert.equal(put.body.data.source, 'builtin:classic');
      assert.deepEqual(put.body.data.template.background, { kind: 'builtin', name: 'classic', accent: '#2e7d32' });
      const again = await w.call<EventTemplate>(w.adm('/template'), {
        method: 'PUT',
        body: { builtin: 'classic', accent: '#2e7d32' },
      });
      assert.equal(again.body.data.version, 1);
      assert.equal(again.body.message, 'Template unchanged');

      const bad: [unknown, RegExp][] = [
        [{}, /either `builtin`/],
        [{ builtin: 'gothic' }, /unknown built-in template "gothic"; use one of classic, modern/],
        [{ builtin: 'classic', accent: 'green' }, /accent: a colour is #rrggbb/],
        [{ builtin: 'classic', template: {} }, /template\.name: /],
        [
          {
            template: {
              name: 'x',
              width: 100,
              height: 100,
              background: { kind: 'builtin', name: 'plain' },
              fields: [{ id: 'a' }],
            },
          },
          /template\.fields\.0\./,
        ],
        [
          { template: { name: 'x', width: -1, height: 100, background: { kind: 'builtin', name: 'plain' }, fields: [] } },
          /template\.width/,
        ],
        [
          { template: { name: 'x', width: 100, height: 100, background: { kind: 'builtin', name: 'wood' }, fields: [] } },
          /unknown built-in background "wood"/,
        ],
        [
          {
            template: {
              name: 'x',
              width: 100,
              height: 100,
              background: { kind: 'blob', key: `originals/${w.event.id}/x.jpg` },
              fields: [],
            },
          },
          /template\.background\.key: not a background of this event/,
        ],
        [{ builtin: 'classic', colour: 'red' }, /colour/],
      ];
      for (const [body, re] of bad) {
        const r = await w.call(w.adm('/template'), { method: 'PUT', body });
        assert.equal(r.res.status, 422, JSON.stringify(body));
        assert.match(r.body.message, re);
      }
      const notJson = await w.call(w.adm('/template'), {
        method: 'PUT',
        body: '{oops',
        headers: { 'Content-Type': 'application/json' },
      });
      assert.equal(notJson.res.status, 400);
      assert.equal((await w.call<EventTemplate>(w.adm('/template'))).body.data.version, 1);
    });
  });

  describe('records upload', () => {
    let first: ImportSummary;

    test('CSV with BOM, `;`, quoted fields and bad rows: every problem reported by row and column, good rows kept', async () => {
      const { res, body } = await w.call<ImportSummary>(w.adm('/records'), {
        method: 'POST',
        body: fileForm('results.csv', RESULTS_CSV),
      });
      assert.equal(res.status, 200, body.message);
      first = body.data;
      assert.equal(first.format, 'csv');
      assert.equal(first.delimiter, ';');
      assert.equal(first.encoding, 'utf-8');
      assert.equal(first.rows, 8);
      assert.equal(first.imported, 4);
      assert.equal(first.inserted, 4);
      assert.equal(first.skipped, 4);
      assert.deepEqual(first.columns, {
        bib: 'Dossard',
        first_name: 'Prénom',
        last_name: 'Nom',
        category: 'Catégorie',
        finish_time: 'Temps',
        rank: 'Clt',
      });
      assert.match(body.message, /^4 records imported \(4 new, 0 updated, 0 unchanged\), 4 rows skipped$/);
      // spreadsheet rows: header = 1; the quoted newline makes row 3 span two lines
      const time = issuesOf(first, 'invalid_time');
      assert.deepEqual(
        time.map((i) => [i.row, i.column, i.value, i.severity]),
        [[4, 'Temps', 'DNF', 'error']],
      );
      assert.match(time[0]!.problem, /unparseable time "DNF"/);
      assert.deepEqual(
        issuesOf(first, 'missing_bib').map((i) => [i.row, i.column]),
        [[5, 'Dossard']],
      );
      const dup = issuesOf(first, 'duplicate_bib');
      assert.deepEqual(
        dup.map((i) => [i.row, i.column, i.value]),
        [[6, 'Dossard', '101']],
      );
      assert.match(dup[0]!.problem, /duplicate BIB 101 \(first on row 2\)/);
      const broken = issuesOf(first, 'column_count');
      assert.deepEqual(
        broken.map((i) => [i.row, i.column]),
        [[7, null]],
      );
      assert.match(broken[0]!.problem, /row has 8 fields, the header 7: an unquoted ";" inside a value\?/);

      const one = await w.call<CertificateRecordItem>(w.adm('/records/101'));
      assert.equal(one.body.data.name, 'Zoë Šťastná');
      assert.equal(one.body.data.extra.club, 'Lauf; Treff "Süd"');
      assert.equal(one.body.data.version, 1);
      const two = await w.call<CertificateRecordItem>(w.adm('/records/102'));
      assert.equal(two.body.data.name, 'Ann Lee- Smith');
      assert.equal(two.body.data.finish_time, '3:12:44');
      assert.equal((await w.call<CertificateRecordItem>(w.adm('/records/105'))).body.data.finish_time, '1:05:01');
    });

    test('the list is paginated, in BIB order, with the last import and its errors', async () => {
      const p1 = await w.call<CertificateRecordPage>(w.adm('/records?page_size=3'));
      assert.equal(p1.res.status, 200);
      assert.deepEqual(
        p1.body.data.records.map((r) => r.bib),
        ['101', '102', '105'],
      );
      assert.deepEqual(p1.body.data.pagination, {
        total: 4,
        currentPage: 1,
        totalPages: 2,
        hasNextPage: true,
        hasPreviousPage: false,
        page_size: 3,
      });
      assert.equal(p1.body.data.last_import?.errors, 4);
      assert.deepEqual(
        p1.body.data.last_import?.issues.map((i) => i.code),
        first.issues.map((i) => i.code),
      );
      const p2 = await w.call<CertificateRecordPage>(w.adm('/records?page_size=3&page=2'));
      assert.deepEqual(
        p2.body.data.records.map((r) => r.bib),
        ['0427'],
      );
      const q = await w.call<CertificateRecordPage>(w.adm('/records?q=stone'));
      assert.deepEqual(
        q.body.data.records.map((r) => r.bib),
        ['105'],
      );
      for (const [bad, message] of [
        ['page=0', /^page: must be 1 or more$/],
        ['page_size=501', /^page_size: must be at most 500$/],
        ['page_size=x', /^page_size: /],
        [`q=${'x'.repeat(101)}`, /^q: must be at most 100 characters$/],
      ] as const) {
        const r = await w.call(w.adm(`/records?${bad}`));
        assert.equal(r.res.status, 422, bad);
        assert.match(r.body.message, message, bad);
      }
    });

    test('re-upload updates by BIB without duplicates; unchanged records keep their version', async () => {
      const csv =
        'bib,name,category,time,rank\n101,Zoë Šťastná-Novák,F40,3:41:07,12\n102,Ann Lee- Smith,F35,3:12:44,3\n106,Finn Wolf,M30,2:45:00,2\n';
      const { res, body } = await w.call<ImportSummary>(w.adm('/records'), { method: 'POST', body: fileForm('again.csv', csv) });
      assert.equal(res.status, 200, body.message);
      assert.equal(body.data.delimiter, ',');
      assert.deepEqual([body.data.inserted, body.data.updated, body.data.unchanged], [1, 2, 0]);
      const list = await w.call<CertificateRecordPage>(w.adm('/records?page_size=100'));
      assert.deepEqual(
        list.body.data.records.map((r) => r.bib),
        ['101', '102', '105', '106', '0427'],
      );
      const r101 = list.body.data.records.find((r) => r.bib === '101')!;
      assert.equal(r101.name, 'Zoë Šťastná-Novák');
      assert.equal(r101.version, 2);
      // Same file again: nothing changes, versions stay
      const same = await w.call<ImportSummary>(w.adm('/records'), { method: 'POST', body: fileForm('again.csv', csv) });
      assert.deepEqual([same.body.data.inserted, same.body.data.updated, same.body.data.unchanged], [0, 0, 3]);
      assert.equal((await w.call<CertificateRecordItem>(w.adm('/records/101'))).body.data.version, 2);
      assert.equal((await w.call<CertificateRecordPage>(w.adm('/records'))).body.data.pagination.total, 5);
    });

    test('a name no certificate font can draw is imported with a warning naming the character', async () => {
      // έ (Greek with tonos) is in none of the packaged fonts; Ж (Cyrillic) and 中 (Noto Sans SC) are drawn.
      const csv = 'Bib,Name,Club\n121,Ελένη Παπαδοπούλου-Βέργη,ΑΕΚ Αθλητισμός\n122,Жанна 中山,Club\n';
      const r = await w.call<ImportSummary>(w.adm('/records'), { method: 'POST', body: fileForm('greek.csv', csv) });
      assert.equal(r.res.status, 200, r.body.message);
      assert.equal(r.body.data.imported, 2);
      const issues = issuesOf(r.body.data, 'undrawable_character');
      assert.deepEqual(
        issues.map((i) => [i.row, i.column, i.severity]),
        [
          [2, 'Name', 'warning'],
          [2, 'Club', 'warning'],
        ],
      );
      assert.match(issues[0]!.problem, /"έ" \(U\+03AD\)/);
      assert.doesNotMatch(issues[0]!.problem, /"Ε"|"λ"/);
      assert.equal((await w.call<CertificateRecordItem>(w.adm('/records/121'))).body.data.name, 'Ελένη Παπαδοπούλου-Βέργη');
    });

    test('the body itself: text/csv and a JSON array, streamed', async () => {
      const csv = await w.call<ImportSummary>(w.adm('/records'), {
        method: 'POST',
        body: 'Startnr\tVorname\tName\tZeit\n107\tGreta\tHuber\t1:59:30\n',
        headers: { 'Content-Type': 'text/csv; charset=utf-8' },
      });
      assert.equal(csv.res.status, 200, csv.body.message);
      assert.equal(csv.body.data.delimiter, '\t');
      assert.equal((await w.call<CertificateRecordItem>(w.adm('/records/107'))).body.data.name, 'Greta Huber');
      const json = await w.call<ImportSummary>(w.adm('/records'), {
        method: 'POST',
        body: [{ bib: 108, name: 'Hugo Blanc', time: '2:01:02', place: '9th' }, { bib: '', name: 'Nobody' }, 'not an object'],
      });
      assert.equal(json.res.status, 200, json.body.message);
      assert.equal(json.body.data.format, 'json');
      assert.equal(json.body.data.imported, 1);
      assert.deepEqual(
        json.body.data.issues.map((i) => [i.row, i.code]),
        [
          [2, 'missing_bib'],
          [3, 'invalid_row'],
        ],
      );
      const hugo = (await w.call<CertificateRecordItem>(w.adm('/records/108'))).body.data;
      assert.equal(hugo.rank, 9);
    });

    test('an explicit column mapping and separator (multipart fields)', async () => {
      const csv = 'Nummer|Läufer|Netto\n109|Ida Berg|1:11:11\n';
      const r = await w.call<ImportSummary>(w.adm('/records'), {
        method: 'POST',
        body: fileForm('mapped.csv', csv, {
          delimiter: '|',
          mapping: JSON.stringify({ bib: 'Nummer', name: 'Läufer', finish_time: 'Netto' }),
        }),
      });
      assert.equal(r.res.status, 200, r.body.message);
      assert.equal((await w.call<CertificateRecordItem>(w.adm('/records/109'))).body.data.finish_time, '1:11:11');
      const bad = await w.call(w.adm('/records'), { method: 'POST', body: fileForm('m.csv', csv, { mapping: '{nope' }) });
      assert.equal(bad.res.status, 422);
      assert.match(bad.body.message, /^mapping: must be a JSON object/);
      const badField = await w.call(w.adm('/records'), {
        method: 'POST',
        body: fileForm('m.csv', csv, { mapping: '{"club":"x"}' }),
      });
      assert.equal(badField.res.status, 422);
      const badMode = await w.call(w.adm('/records'), { method: 'POST', body: fileForm('m.csv', csv, { mode: 'merge' }) });
      assert.equal(badMode.res.status, 422);
      assert.match(badMode.body.message, /^mode: /);
    });

    test('files that cannot be imported: clear 4xx, nothing changed, the report kept', async () => {
      const before = (await w.call<CertificateRecordPage>(w.adm('/records'))).body.data.pagination.total;
      const cases: [string | FormData, Record<string, string>, number, RegExp][] = [
        [fileForm('empty.csv', ''), {}, 422, /No record imported: row 0: the file is empty/],
        [fileForm('nobib.csv', 'name,time\nAnn,1:00:00\n'), {}, 422, /no BIB column found among: name, time/],
        [
          fileForm('bad.csv', 'bib,name,time\n1,Ann,soon\n,Bob,\n'),
          {},
          422,
          /row 2, column time: unparseable time "soon".*row 3, column bib: missing BIB/,
        ],
        [fileForm('obj.json', '{"bib": 1}'), {}, 422, /array of objects/],
        ['bib,name\n1,Ann\n', { 'Content-Type': 'application/xml' }, 415, /multipart/],
        [fileForm('x.csv', 'bib\n1\n', {}, 'files[]'), {}, 422, /field `file`/],
      ];
      for (const [body, headers, status, re] of cases) {
        const r = await w.call(w.adm('/records'), { method: 'POST', body, headers });
        assert.equal(r.res.status, status, re.source);
        assert.equal(r.body.responseType, 'error');
        assert.match(r.body.message, re);
      }
      const after = await w.call<CertificateRecordPage>(w.adm('/records'));
      assert.equal(after.body.data.pagination.total, before);
      // the last import's report is the failed one, so the organiser can see why
      assert.equal(after.body.data.last_import?.imported, 0);
    });

    test('a few thousand rows go in batches of 1,000, each in its own transaction', async () => {
      const lines = ['bib,name,time'];
      for (let i = 0; i < 3500; i++) lines.push(`${5000 + i},Runner ${i},${1 + (i % 3)}:0${i % 10}:00`);
      const ev = await w.h.deps.store.events.create(w.orgId, { name: 'Big race' });
      const r = await w.call<ImportSummary>(w.adm('/records', ev.id), {
        method: 'POST',
        body: fileForm('big.csv', lines.join('\n')),
      });
      assert.equal(r.res.status, 200, r.body.message);
      assert.equal(r.body.data.inserted, 3500);
      const page = await w.call<CertificateRecordPage>(w.adm('/records?page=7&page_size=500', ev.id));
      assert.equal(page.body.data.records[0]?.bib, '8000');
      assert.equal(page.body.data.pagination.total, 3500);
      // replace mode with a shorter file removes the rest
      const rep = await w.call<ImportSummary>(w.adm('/records', ev.id), {
        method: 'POST',
        body: fileForm('short.csv', lines.slice(0, 11).join('\n'), { mode: 'replace' }),
      });
      assert.equal(rep.body.data.removed, 3490);
      assert.equal(rep.body.data.unchanged, 10);
      assert.equal((await w.call<CertificateRecordPage>(w.adm('/records', ev.id))).body.data.pagination.total, 10);
      // replace with a broken file removes nothing
      const broken = await w.call<ImportSummary>(w.adm('/records', ev.id), {
        method: 'POST',
        body: fileForm('broken.csv', 'bib,name\n5000,A\n"5001,B\n5002,C\n', { mode: 'replace' }),
      });
      assert.equal(broken.body.data.removed, 0);
      assert.ok(broken.body.data.issues.some((i) => /replace: no record was removed/.test(i.problem)));
      assert.equal((await w.call<CertificateRecordPage>(w.adm('/records', ev.id))).body.data.pagination.total, 10);
    });

    test('records by hand: add, edit, validate, delete', async () => {
      const add = await w.call<CertificateRecordItem>(w.adm('/records/a-12'), {
        method: 'PUT',
        body: { name: 'Jo Hand', finish_time: '59:30', rank: '4.' },
      });
      assert.equal(add.res.status, 201);
      assert.deepEqual(
        [add.body.data.bib, add.body.data.finish_time, add.body.data.rank, add.body.data.version],
        ['A12', '0:59:30', 4, 1],
      );
      const edit = await w.call<CertificateRecordItem>(w.adm('/records/A12'), { method: 'PUT', body: { name: 'Jo Hand-Made' } });
      assert.equal(edit.res.status, 200);
      assert.equal(edit.body.data.version, 2);
      for (const [body, re] of [
        [{ finish_time: 'soon' }, /finish_time: unparseable time "soon"/],
        [{ rank: 'first' }, /rank: rank "first" is not a place number/],
        [{ nickname: 'x' }, /nickname/],
      ] as const) {
        const r = await w.call(w.adm('/records/A12'), { method: 'PUT', body });
        assert.equal(r.res.status, 422);
        assert.match(r.body.message, re);
      }
      assert.equal((await w.call(w.adm('/records/12!'), { method: 'PUT', body: { name: 'x' } })).res.status, 422);
      assert.equal((await w.call(w.adm('/records/A12'), { method: 'DELETE' })).res.status, 200);
      assert.equal((await w.call(w.adm('/records/A12'), { method: 'DELETE' })).res.status, 404);
      assert.equal((await w.call(w.adm('/records/A12'))).res.status, 404);
    });
  });

  describe('publishing and the participant look-up', () => {
    test('setup complete → publish; the look-up answers the record and signed links', async () => {
      const s = await w.call<CertificateStatus>(w.adm());
      assert.equal(s.body.data.setup_complete, true);
      assert.deepEqual(s.body.data.missing, []);
      assert.equal(s.body.data.template?.version, 1);
      assert.equal(s.body.data.data_source?.kind, 'upload');
      // The public event details say whether certificates exist (so a widget need not ask and get 403).
      assert.equal(await certificatesInDetails(), false, 'set up but not published');
      const pub = await w.call<CertificateStatus>(w.adm('/publish'), { method: 'POST' });
      assert.equal(pub.res.status, 200);
      assert.equal(pub.body.data.published, true);
      assert.equal(await certificatesInDetails(), true, 'published');
      assert.equal(await certificatesInDetails(w.other.id), false, 'the other event has none');
      assert.ok(pub.body.data.published_at);

      const t0 = Date.now();
      const { res, body } = await w.call<PublicCertificate>(w.pub(' 1-01 '), { key: w.publishable });
      assert.equal(res.status, 200, body.message);
      assert.equal(body.message, 'Certificate of BIB 101');
      const d = body.data;
      assert.deepEqual(
        [d.bib, d.name, d.category, d.finish_time, d.rank, d.event_name],
        ['101', 'Zoë Šťastná-Novák', 'F40', '3:41:07', 12, 'Lakeside Marathon 2026'],
      );
      assert.deepEqual([d.width, d.height], [1123, 794]);
      assert.match(
        d.png_url,
        new RegExp(`^http://127\\.0\\.0\\.1/files/c/${w.event.id}/101\\.png\\?exp=\\d+&kid=[\\w-]+&sig=[\\w-]+$`),
      );
      assert.match(d.pdf_url, /\/files\/c\/\d+\/101\.pdf\?exp=/);
      assert.equal(d.pdf_filename, 'lakeside-marathon-2026-certificate-101.pdf');
      const ttl = Date.parse(d.expires_at) - t0;
      assert.ok(ttl > 3500_000 && ttl <= 3601_000, `expires in ${ttl} ms`);
    });

    test('BIB typed without its leading zero finds 0427; unknown BIB 404; invalid BIB 422', async () => {
      const z = await w.call<PublicCertificate>(w.pub('427'), { key: w.publishable });
      assert.equal(z.res.status, 200);
      assert.equal(z.body.data.bib, '0427');
      const unknown = await w.call(w.pub('999'), { key: w.publishable });
      assert.equal(unknown.res.status, 404);
      assert.equal(unknown.body.message, 'No certificate for BIB 999 in this event: check the number on your bib');
      assert.equal(unknown.body.data, null);
      for (const bad of ['12!', 'x'.repeat(17), '  ']) {
        const r = await w.call(w.pub(bad), { key: w.publishable });
        assert.equal(r.res.status, 422, bad);
        assert.match(r.body.message, /^bib: /);
      }
    });

    test('another event of the organisation is not published: 403', async () => {
      const r = await w.call(w.pub('101', w.other.id), { key: w.publishable });
      assert.equal(r.res.status, 403);
    });

    test('unpublish → 403 for participants; publish again → 200', async () => {
      assert.equal((await w.call(w.adm('/unpublish'), { method: 'POST' })).res.status, 200);
      const r = await w.call(w.pub('101'), { key: w.publishable });
      assert.equal(r.res.status, 403);
      assert.equal(r.body.message, 'Certificates are not published for this event yet');
      assert.equal(await certificatesInDetails(), false);
      assert.equal((await w.call(w.adm('/publish'), { method: 'POST' })).res.status, 200);
      assert.equal(await certificatesInDetails(), true);
      assert.equal((await w.call(w.pub('101'), { key: w.publishable })).res.status, 200);
    });
  });
});
