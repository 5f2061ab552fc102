import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CANDIDATE_CONFIDENCE_FACTOR,
  applyIssued,
  besideWords,
  dedupeReads,
  isClockText,
  issuedIndex,
  matchIssued,
  rejectReason,
  type StatusRead,
} from '../../../server/vision/ocr/bib-filter.ts';

const run = (digits: string, o: { confidence?: number; before?: string; after?: string } = {}) => ({
  digits,
  confidence: o.confidence ?? 0.95,
  before: o.before ?? '',
  after: o.after ?? '',
});

describe('ocr bib rules', () => {
  test('2–6 digits by default, configurable', () => {
    assert.equal(rejectReason(run('7'), '7'), 'length');
    assert.equal(rejectReason(run('42'), '42'), null);
    assert.equal(rejectReason(run('123456'), '123456'), null);
    assert.equal(rejectReason(run('1234567'), '1234567'), 'length');
    assert.equal(rejectReason(run('7'), '7', { minDigits: 1 }), null);
    assert.equal(rejectReason(run('42'), '42', { minDigits: 3 }), 'length');
  });

  test('mean confidence at least 0.8 by default', () => {
    assert.equal(rejectReason(run('123', { confidence: 0.79 }), '123'), 'confidence');
    assert.equal(rejectReason(run('123', { confidence: 0.8 }), '123'), null);
    assert.equal(rejectReason(run('123', { confidence: 0.7 }), '123', { minConfidence: 0.6 }), null);
    assert.equal(rejectReason(run('123', { confidence: NaN }), '123'), 'confidence');
  });

  test('clock and time patterns are rejected', () => {
    assert.equal(rejectReason(run('14', { after: ':' }), '14:57'), 'clock');
    assert.equal(rejectReason(run('57', { before: ':' }), '14:57'), 'clock');
    assert.equal(rejectReason(run('02', { before: '：', after: ':' }), '1:02:33'), 'clock');
    // Colon not recognised, but the line reads as a time.
    assert.equal(rejectReason(run('1457'), '1457'), null);
    assert.equal(rejectReason(run('1457'), '14.57'), 'clock', 'the dot was not a separator, but the line reads as a time');
    assert.equal(rejectReason(run('14', { after: '.' }), '14.57'), 'clock');
    assert.equal(rejectReason(run('14', { after: 'h' }), '14h57'), 'clock');
    for (const t of ['14:57', '9:05', '1:02:33', ' 14 : 57 ', '14.57']) assert.ok(isClockText(t), t);
    for (const t of ['1457', '14:5', '123:45', 'A14:57B', '2024']) assert.ok(!isClockText(t), t);
  });

  test('years next to colons, in a line of words, or beside words are rejected; a bare 2024 is not', () => {
    assert.equal(rejectReason(run('2024', { before: ':' }), 'EDITION:2024'), 'year');
    assert.equal(rejectReason(run('2024', { before: ' ' }), 'CITY MARATHON 2024'), 'year');
    assert.equal(rejectReason(run('2024', { before: 'N' }), 'RUN2024'), 'year');
    assert.equal(rejectReason(run('2024'), '2024'), null);
    assert.equal(rejectReason(run('2024'), '2024', {}, { besideWords: true }), 'year');
    // Beside words, fragments of a year and a year with a stray leading digit go too.
    for (const d of ['20', '201', '12023']) assert.equal(rejectReason(run(d), d, {}, { besideWords: true }), 'year', d);
    assert.equal(rejectReason(run('12023'), '12023'), null);
    for (const d of ['4711', '720', '31999', '22082', '12', '2']) {
      assert.equal(rejectReason(run(d), d, { minDigits: 1 }, { besideWords: true }), null, d);
    }
    // Not year-shaped: the words rule does not apply.
    assert.equal(rejectReason(run('3024', { before: ' ' }), 'CITY 3024'), null);
  });

  test('distances and decimals are rejected; a stray dot after a number is not', () => {
    assert.equal(rejectReason(run('10', { after: 'K' }), '10K'), 'distance');
    assert.equal(rejectReason(run('21', { after: '.' }), 'HALF 21.1 KM'), 'decimal');
    assert.equal(rejectReason(run('907', { after: '.' }), '907.'), null);
  });

  test('besideWords: same row, similar height, a word gap away', () => {
    const year = { box: [500, 40, 600, 90] as const, text: '2024' };
    const words = { box: [200, 42, 480, 92] as const, text: 'MARATHON' };
    assert.ok(besideWords(year, [year, words]));
    assert.ok(!besideWords(year, [year, { ...words, text: '10' }]), 'digits are not words');
    assert.ok(!besideWords(year, [year, { ...words, box: [200, 140, 480, 190] }]), 'another row');
    assert.ok(!besideWords(year, [year, { ...words, box: [200, 55, 480, 75] }]), 'much smaller text (a sponsor)');
    assert.ok(!besideWords(year, [year, { ...words, box: [100, 40, 300, 90] }]), 'too far');
  });
});

describe('ocr issued-bib list', () => {
  const idx = issuedIndex(['42', '007', ' 1-234 ', 'a12', '']);

  test('matches by normalised form and without leading zeros, returning the issued form', () => {
    assert.equal(matchIssued('42', idx), '42');
    assert.equal(matchIssued('0042', idx), '42');
    assert.equal(matchIssued('7', idx), '007');
    assert.equal(matchIssued('007', idx), '007');
    assert.equal(matchIssued('1234', idx), '1234');
    assert.equal(matchIssued('A12', idx), 'A12');
    assert.equal(matchIssued('43', idx), null);
  });

  const reads: StatusRead[] = [
    { bib: '42', bib_norm: '42', confidence: 0.9, status: 'accepted' },
    { bib: '1457', bib_norm: '1457', confidence: 0.98, status: 'accepted' },
  ];

  test('without a list everything is accepted', () => {
    assert.deepEqual(
      applyIssued(reads).map((r) => r.status),
      ['accepted', 'accepted'],
    );
  });

  test('with a list, reads outside it become low-confidence candidates', () => {
    const out = applyIssued(reads, new Set(['42', '100']));
    assert.deepEqual(
      out.map((r) => [r.bib, r.status]),
      [
        ['42', 'accepted'],
        ['1457', 'candidate'],
      ],
    );
    assert.ok(Math.abs(out[1]!.confidence - 0.98 * CANDIDATE_CONFIDENCE_FACTOR) < 1e-9);
    assert.ok(out[1]!.confidence < 0.5);
    // A prebuilt index works too, and the accepted read takes the issued form.
    assert.equal(applyIssued([{ ...reads[0]!, bib: '0042', bib_norm: '0042' }], issuedIndex(['42']))[0]!.bib_norm, '42');
  });

  test('dedupe keeps one read per bib: accepted first, then the most confident', () => {
    const out = dedupeReads([
      { bib: '12', bib_norm: '12', confidence: 0.9, status: 'candidate' },
      { bib: '12', bib_norm: '12', confidence: 0.85, status: 'accepted' },
      { bib: '34', bib_norm: '34', confidence: 0.95, status: 'accepted' },
      { bib: '34', bib_norm: '34', confidence: 0.99, status: 'accepted' },
    ] as StatusRead[]);
    assert.deepEqual(
      out.map((r) => [r.bib, r.confidence, r.status]),
      [
        ['34', 0.99, 'accepted'],
        ['12', 0.85, 'accepted'],
      ],
    );
  });
});
