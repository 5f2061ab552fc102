import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import {
  type ImportIssue,
  lookupValue,
  mapHeaders,
  normaliseHeader,
  parseFinishTime,
  parseRank,
  resolveFieldText,
} from '../../../core/certify.ts';
import { undrawableCharacters } from '../../../server/certify/glyph-coverage.ts';
import { detectDelimiter, importRecords, parseRecords, readRecordBatches } from '../../../server/certify/records-import.ts';

const issue = (errors: ImportIssue[], code: ImportIssue['code']) => errors.filter((e) => e.code === code);

describe('parseFinishTime', () => {
  test('normalises the usual forms to H:MM:SS', () => {
    assert.equal(parseFinishTime('3:41:07'), '3:41:07');
    assert.equal(parseFinishTime('03:41:07'), '3:41:07');
    assert.equal(parseFinishTime('41:07'), '0:41:07');
    assert.equal(parseFinishTime('75:30'), '1:15:30');
    assert.equal(parseFinishTime('26:15:00'), '26:15:00');
    assert.equal(parseFinishTime('1h02m03s'), '1:02:03');
    assert.equal(parseFinishTime(`2h 5' 7"`), '2:05:07');
    assert.equal(parseFinishTime('1h02'), '1:02:00');
    assert.equal(parseFinishTime(' 0:59:59 '), '0:59:59');
  });
  test('rounds fractions of a second up (road-race rule)', () => {
    assert.equal(parseFinishTime('1:02:03.1'), '1:02:04');
    assert.equal(parseFinishTime('1:02:03,00'), '1:02:03');
    assert.equal(parseFinishTime('1:02:59.5'), '1:03:00');
  });
  test('rejects what is not a time', () => {
    for (const bad of ['', 'DNF', 'banana', '1:60:00', '1:00:61', '12', '1.5', '0:00:00', '-1:00:00']) {
      assert.equal(parseFinishTime(bad), null, bad);
    }
  });
});

describe('header mapping', () => {
  test('normaliseHeader ignores case, spacing, punctuation and accents', () => {
    assert.equal(normaliseHeader('  Prénom '), 'prenom');
    assert.equal(normaliseHeader('Bib #'), 'bib');
    assert.equal(normaliseHeader('FIRST-NAME'), 'first_name');
    assert.equal(normaliseHeader('Start Nummer'), 'start_nummer');
  });
  test('maps common names and keeps the rest as extras', () => {
    const m = mapHeaders(['Dossard', 'Nom complet', 'Cat.', 'Sexe', 'Net Time', 'Gun Time', 'Place', 'Club']);
    assert.deepEqual(m.fields, { bib: 0, name: 1, category: 2, gender: 3, finish_time: 4, rank: 6 });
    assert.deepEqual(
      m.extra.map((e) => e.key),
      ['gun_time', 'club'],
    );
  });
  test('prefers the better alias when several match', () => {
    const m = mapHeaders(['Gun Time', 'Chip Time', 'Startnummer']);
    assert.equal(m.fields.finish_time, 1);
    assert.equal(m.fields.bib, 2);
  });
  test('Vorname + Name: Name is the surname', () => {
    const m = mapHeaders(['Startnr', 'Vorname', 'Name']);
    assert.equal(m.fields.first_name, 1);
    assert.equal(m.fields.last_name, 2);
    assert.equal(m.fields.name, undefined);
    assert.equal(m.nameIsSurname, true);
  });
  test('an explicit mapping wins and can switch a field off', () => {
    const m = mapHeaders(['Number', 'Runner', 'Time', 'Result'], { bib: 'number', finish_time: 'RESULT', rank: null });
    assert.equal(m.fields.bib, 0);
    assert.equal(m.fields.finish_time, 3);
    assert.equal(m.fields.rank, undefined);
  });
  test('detectDelimiter looks at the header line outside quotes', () => {
    assert.equal(detectDelimiter('bib;name;time'), ';');
    assert.equal(detectDelimiter('bib\tname\ttime'), '\t');
    assert.equal(detectDelimiter('"a;b",c,d'), ',');
    assert.equal(detectDelimiter('bib'), ',');
  });
});

describe('CSV import', () => {
  test('UTF-8 BOM, semicolons, accents in headers', async () => {
    const csv = '\uFEFFDossard;Prénom;Nom;Catégorie;Temps;Clt\n12;Zoë;Šťastná;F40;3:41:07;5\n';
    const { records, errors, stats } = await parseRecords(Buffer.from(csv));
    assert.deepEqual(errors, []);
    assert.equal(stats.delimiter, ';');
    assert.equal(stats.columns.bib, 'Dossard');
    assert.deepEqual(records, [
      {
        bib: '12',
        name: 'Zoë Šťastná',
        first_name: 'Zoë',
        last_name: 'Šťastná',
        category: 'F40',
        finish_time: '3:41:07',
        rank: 5,
        extra: {},
      },
    ]);
  });

  test('tab separated, CRLF line ends, BIB normalised', async () => {
    const csv = 'Bib Number\tFull Name\tChip Time\r\n a-07 \tAnn Lee\t0:45:10\r\n';
    const { records, errors, stats } = await parseRecords(csv);
    assert.deepEqual(errors, []);
    assert.equal(stats.delimiter, '\t');
    assert.equal(records[0]?.bib, 'A07');
    assert.equal(records[0]?.finish_time, '0:45:10');
  });

  test('quoted fields with separators, quotes and newlines; spreadsheet row numbers', async () => {
    const csv = [
      'bib,name,club,time',
      '1,"Lee, Ann","AC ""Fast"", North",1:00:00',
      '2,"Jean',
      'Pierre",Club,1:10:00',
      '3,,Club,oops',
    ].join('\n');
    const { records, errors } = await parseRecords(csv);
    assert.equal(records.length, 2);
    assert.equal(records[0]?.name, 'Lee, Ann');
    assert.equal(records[0]?.extra.club, 'AC "Fast", North');
    assert.equal(records[1]?.name, 'Jean Pierre');
    // row 4 in a spreadsheet (header is row 1), but line 5 of the file
    assert.deepEqual(issue(errors, 'invalid_time'), [
      {
        row: 4,
        line: 5,
        column: 'time',
        value: 'oops',
        code: 'invalid_time',
        problem: 'unparseable time "oops" (expected H:MM:SS)',
        severity: 'error',
      },
    ]);
  });

  test('bad rows are reported and skipped, good rows go on', async () => {
    const csv = [
      'bib,first_name,last_name,finish_time,rank',
      '10,Ann,Lee,1:00:00,1',
      '11,Bob,Ray,1:00:00,2,extra,cells', // too many columns
      '12,Cy', // too few
      ',Dee,Fox,1:00:00,3', // missing BIB
      '1#3,Eve,Gee,1:00:00,4', // invalid BIB
      '10,Ann,Again,1:00:00,5', // duplicate
      '14,Fay,Hill,DNF,6', // unparseable time
      '15,Gus,Ivy,,DQ', // no time is fine; odd rank is a warning
      '16,Hal,Joy,2:00:00,7,,', // trailing empty cells are fine
      '',
      '17,Ida,Kay,2:10:00,8',
    ].join('\n');
    const { records, errors, stats } = await parseRecords(csv);
    assert.deepEqual(
      records.map((r) => r.bib),
      ['10', '15', '16', '17'],
    );
    assert.deepEqual(
      errors.map((e) => [e.row, e.code, e.severity]),
      [
        [3, 'column_count', 'error'],
        [4, 'column_count', 'error'],
        [5, 'missing_bib', 'error'],
        [6, 'invalid_bib', 'error'],
        [7, 'duplicate_bib', 'error'],
        [8, 'invalid_time', 'error'],
        [9, 'invalid_rank', 'warning'],
      ],
    );
    assert.match(issue(errors, 'duplicate_bib')[0]?.problem ?? '', /duplicate BIB 10 \(first on row 2\)/);
    assert.equal(issue(errors, 'invalid_bib')[0]?.column, 'bib');
    assert.equal(records[1]?.rank, undefined);
    assert.equal(records[1]?.finish_time, undefined);
    assert.equal(records[3]?.name, 'Ida Kay');
    assert.equal(stats.rows, 10);
    assert.equal(stats.imported, 4);
    assert.equal(stats.skipped, 6);
    assert.equal(stats.errors, 6);
    assert.equal(stats.warnings, 1);
  });

  test('an unclosed quote reports where the readable part of the file ends', async () => {
    const csv = 'bib,name\n1,Ann\n2,"Bob\n3,Cy\n';
    const { records, errors } = await parseRecords(csv);
    assert.deepEqual(
      records.map((r) => r.bib),
      ['1'],
    );
    assert.equal(errors[0]?.code, 'malformed_row');
    assert.equal(errors[0]?.line, 3);
  });

  test('first + last name build the name; other columns go to extra by normalised header', async () => {
    const { records } = await parseRecords('Start No,First Name,Last Name,Club Name\n5,Анна,Петрова,Спартак\n');
    assert.deepEqual(records[0], {
      bib: '5',
      name: 'Анна Петрова',
      first_name: 'Анна',
      last_name: 'Петрова',
      extra: { club_name: 'Спартак' },
    });
  });

  test('no BIB column is one clear error; an explicit mapping fixes it', async () => {
    const csv = 'Runner,Nummer X,Time\nAnn,7,1:00:00\n';
    const bad = await parseRecords(csv);
    assert.equal(bad.records.length, 0);
    assert.equal(bad.errors[0]?.code, 'no_bib_column');
    const good = await parseRecords(csv, { mapping: { bib: 'nummer x' } });
    assert.equal(good.records[0]?.bib, '7');
    assert.equal(good.records[0]?.name, 'Ann');
  });

  test('a file that is not UTF-8 is read as Windows-1252, with a warning', async () => {
    const bytes = Buffer.concat([Buffer.from('bib,name\n1,Ren'), Buffer.from([0xe9]), Buffer.from('\n')]);
    const { records, errors, stats } = await parseRecords(bytes);
    assert.equal(records[0]?.name, 'René');
    assert.equal(stats.encoding, 'windows-1252');
    assert.equal(errors[0]?.code, 'encoding');
  });

  test('UTF-16 with BOM (Excel "Unicode text")', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('bib\tname\n9\tJosé\n', 'utf16le')]);
    const { records } = await parseRecords(bytes);
    assert.deepEqual(records[0], { bib: '9', name: 'José', extra: {} });
  });

  test('empty file', async () => {
    const { records, errors } = await parseRecords('');
    assert.equal(records.length, 0);
    assert.equal(errors[0]?.code, 'empty_file');
  });

  test('streams in batches with running totals; the last batch is marked done', async () => {
    const lines = ['bib,name,time'];
    for (let i = 1; i <= 2500; i++) lines.push(`${i},Runner ${i},${i % 3 === 0 ? 'bad' : '1:00:00'}`);
    // deliver in small chunks that split rows and multi-byte characters
    const bytes = Buffer.from(lines.join('\n') + '\n');
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 777) chunks.push(bytes.subarray(i, i + 777));
    const sizes: number[] = [];
    let last;
    for await (const b of readRecordBatches(Readable.from(chunks), { batchSize: 500, maxIssues: 10 })) {
      sizes.push(b.records.length);
      last = b;
    }
    assert.ok(last?.done);
    assert.ok(sizes.every((s) => s <= 500));
    assert.equal(
      sizes.reduce((a, b) => a + b, 0),
      1667,
    );
    assert.equal(last?.stats.errors, 833);
    assert.equal(last?.stats.issuesNotListed, 823);
  });

  test('undrawable characters: each value holding one is reported once, the row kept', async () => {
    const report = await importRecords(
      'bib,first name,last name,city\n1,Zoë,Ŧest,Paris\n2,Plain,Name,Ŧown\n',
      async () => undefined,
      { undrawable: (t) => [...t].filter((c) => c === 'Ŧ') },
    );
    assert.equal(report.stats.imported, 2);
    assert.deepEqual(
      report.errors.map((i) => [i.row, i.column, i.code, i.severity]),
      [
        [2, 'last name', 'undrawable_character', 'warning'],
        [3, 'city', 'undrawable_character', 'warning'],
      ],
    );
    assert.match(report.errors[0]!.problem, /"Ŧ" \(U\+0166\)/);
  });

  test('undrawableCharacters: the packaged fonts together', () => {
    assert.deepEqual(undrawableCharacters('Zoë Šťastná Жанна 中山 Ελένη'), ['έ']);
    assert.deepEqual(undrawableCharacters("O'Brien – Dvořák 🏃"), ['🏃']);
    // ŉ is in PT Sans and PT Serif, not in Playfair Display: some template can draw it.
    assert.deepEqual(undrawableCharacters('ŉ'), []);
    // A decomposed é (e + U+0301) is checked as the precomposed letter the fonts have.
    assert.deepEqual(undrawableCharacters('Rene\u0301e'), []);
  });

  test('importRecords hands batches to the caller and returns the report', async () => {
    const seen: string[] = [];
    const report = await importRecords('bib,name\n1,A\n2,B\n2,C\n', async (b) => {
      seen.push(...b.records.map((r) => r.bib));
    });
    assert.deepEqual(seen, ['1', '2']);
    assert.equal(report.stats.imported, 2);
    assert.equal(report.errors[0]?.code, 'duplicate_bib');
  });
});

describe('JSON import', () => {
  test('an array of objects, numbers as strings, bad items reported', async () => {
    const json = JSON.stringify([
      { Bib: 7, 'First Name': 'Ана', 'Last Name': 'Петрова', 'Chip Time': '2:03:04', 'Gun Time': '2:03:30', Place: 2 },
      'not an object',
      { name: 'No Bib', time: '1:00:00' },
      { bib: '8', name: 'Eight', finish_time: '45:10' },
      { bib: 9, name: 'Nine', finish_time: 'slow' },
      { bib: '7', name: 'Dup' },
    ]);
    const { records, errors, stats } = await parseRecords(json);
    assert.equal(stats.format, 'json');
    assert.deepEqual(records, [
      {
        bib: '7',
        name: 'Ана Петрова',
        first_name: 'Ана',
        last_name: 'Петрова',
        finish_time: '2:03:04',
        rank: 2,
        extra: { gun_time: '2:03:30' },
      },
      { bib: '8', name: 'Eight', finish_time: '0:45:10', extra: {} },
    ]);
    assert.deepEqual(
      errors.map((e) => [e.row, e.code]),
      [
        [2, 'invalid_row'],
        [3, 'missing_bib'],
        [5, 'invalid_time'],
        [6, 'duplicate_bib'],
      ],
    );
  });

  test('truncated JSON keeps the items before the break', async () => {
    const { records, errors } = await parseRecords('[{"bib":1,"name":"A"},{"bib":2,');
    assert.equal(records.length, 1);
    assert.equal(errors.at(-1)?.code, 'invalid_file');
  });

  test('an object instead of an array is refused', async () => {
    const { records, errors } = await parseRecords('{"bib": 1}', { format: 'json' });
    assert.equal(records.length, 0);
    assert.equal(errors[0]?.code, 'invalid_file');
  });
});

describe('field text', () => {
  const record = {
    bib: '42',
    name: 'Ann Lee',
    finish_time: '3:01:02',
    rank: 7,
    extra: { club: 'Harriers', gun_time: '3:01:30' },
  };
  const ctx = { event_name: 'City 10K', event_date: '1 May 2025' };
  test('placeholders from the record, extras, context and aliases', () => {
    const f = {
      source: { text: '{name} ran {event} in {finish_time} ({gun_time}) for {club}, bib {dossard}, {{x}}' },
      uppercase: false,
      hideIfEmpty: false,
    };
    assert.equal(resolveFieldText(f, record, ctx), 'Ann Lee ran City 10K in 3:01:02 (3:01:30) for Harriers, bib 42, {x}');
    assert.equal(lookupValue('Chip Time', record, ctx), '3:01:02');
    assert.equal(lookupValue('extra.club', record, ctx), 'Harriers');
    assert.equal(lookupValue('nothing', record, ctx), '');
  });
  test('hideIfEmpty and uppercase', () => {
    assert.equal(resolveFieldText({ source: { text: 'Cat. {category}' }, uppercase: false, hideIfEmpty: true }, record, ctx), '');
    assert.equal(
      resolveFieldText({ source: { text: 'Cat. {category}' }, uppercase: false, hideIfEmpty: false }, record, ctx),
      'Cat. ',
    );
    assert.equal(resolveFieldText({ source: { column: 'name' }, uppercase: true, hideIfEmpty: false }, record, ctx), 'ANN LEE');
  });
  test('parseRank', () => {
    assert.equal(parseRank('12'), 12);
    assert.equal(parseRank('12.'), 12);
    assert.equal(parseRank('#3'), 3);
    assert.equal(parseRank('1st'), 1);
    assert.equal(parseRank('2e'), 2);
    assert.equal(parseRank('DQ'), null);
    assert.equal(parseRank('0'), null);
  });
});
