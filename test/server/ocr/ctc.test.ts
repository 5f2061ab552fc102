import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  decodeLine,
  digitClasses,
  emissionsText,
  greedyDecode,
  loadCharset,
  meanConfidence,
} from '../../../server/vision/ocr/ctc.ts';

// A small charset laid out like ppocr_keys_v1: blank, the key lines, then space.
const KEYS = ['a', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ':', 'O', 'K', 'R'].join('\n');
const charset = loadCharset(KEYS);
const C = charset.length; // 17
const digits = digitClasses(charset);
const cls = (ch: string) => {
  const i = charset.indexOf(ch);
  if (i < 0) throw new Error(`no ${ch}`);
  return i;
};

type Frame = string | { top: string; p: number; also?: [string, number][] };

/**
 * Per-frame probabilities from a compact spec: "7" = '7' at 0.9, "7@0.6" = '7' at 0.6, "_" = blank
 * (at 0.9, or "_@p"), or `{ top, p, also }` for a winner plus runners-up. The rest of each frame's
 * mass goes to blank (to 'a' when blank is the winner).
 */
function logits(frames: Frame[]): Float32Array {
  const out = new Float32Array(frames.length * C);
  frames.forEach((f, t) => {
    const row = t * C;
    const spec = typeof f === 'string' ? { top: f.split('@')[0]!, p: f.includes('@') ? Number(f.split('@')[1]) : 0.9 } : f;
    let rest = 1 - spec.p;
    for (const [ch, q] of spec.also ?? []) {
      out[row + cls(ch)] = q;
      rest -= q;
    }
    if (spec.top === '_') {
      out[row] = spec.p;
      out[row + cls('a')]! += rest;
    } else {
      out[row + cls(spec.top)] = spec.p;
      out[row] = rest;
    }
  });
  return out;
}

describe('ocr ctc: charset', () => {
  test('blank first, key lines, space last; CRLF and a trailing newline tolerated', () => {
    const cs = loadCharset('x\r\ny\r\n');
    assert.deepEqual(cs, ['', 'x', 'y', ' ']);
    assert.equal(charset[0], '');
    assert.equal(charset[C - 1], ' ');
    assert.deepEqual(Array.from(digits), [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    assert.throws(() => digitClasses(loadCharset('a\nb')), /no '0'/);
  });
});

describe('ocr ctc: greedy decode', () => {
  test('merges repeats, drops blanks, keeps a doubled letter split by a blank', () => {
    const p = logits(['1', '1', '_', '2', '_', '2', '2', '_', '3@0.6', '3@0.95']);
    const em = greedyDecode(p, 10, C);
    assert.equal(emissionsText(em, charset), '1223');
    assert.deepEqual(
      em.map((e) => [e.start, e.end]),
      [
        [0, 2],
        [3, 4],
        [5, 7],
        [8, 10],
      ],
    );
    // Confidence of a character = its best frame.
    assert.ok(Math.abs(em[3]!.prob - 0.95) < 1e-6);
    assert.ok(Math.abs(meanConfidence(em) - (0.9 + 0.9 + 0.9 + 0.95) / 4) < 1e-6);
    assert.equal(meanConfidence([]), 0);
  });

  test('restricted classes: argmax over blank + the given classes only', () => {
    // Frame says 'O' (0.6) but '0' has 0.3: the digits-only decode reads 0.
    const p = logits([{ top: 'O', p: 0.6, also: [['0', 0.3]] }, '_', '7']);
    assert.equal(emissionsText(greedyDecode(p, 3, C), charset), 'O7');
    const d = greedyDecode(p, 3, C, { classes: digits });
    assert.equal(emissionsText(d, charset), '07');
    assert.ok(Math.abs(d[0]!.prob - 0.3) < 1e-6);
  });

  test('reads a batch row through offset', () => {
    const two = new Float32Array([...logits(['1', '_']), ...logits(['_', '9'])]);
    assert.equal(emissionsText(greedyDecode(two, 2, C, { offset: 2 * C }), charset), '9');
  });
});

describe('ocr ctc: decodeLine (digit runs)', () => {
  test('a plain number is one run with the mean digit probability', () => {
    const r = decodeLine(logits(['1', '_', '2@0.8', '_', '3@0.7']), 5, C, charset, digits);
    assert.equal(r.text, '123');
    assert.equal(r.runs.length, 1);
    assert.equal(r.runs[0]!.digits, '123');
    assert.ok(Math.abs(r.runs[0]!.confidence - 0.8) < 1e-6);
    assert.deepEqual([r.runs[0]!.before, r.runs[0]!.after, r.runs[0]!.start, r.runs[0]!.end], ['', '', 0, 5]);
  });

  test('a confident colon splits a clock into two runs that know their neighbour', () => {
    const r = decodeLine(logits(['1', '4', '_', ':@0.97', '_', '5', '7']), 7, C, charset, digits);
    assert.equal(r.text, '14:57');
    assert.deepEqual(
      r.runs.map((x) => [x.before, x.digits, x.after]),
      [
        ['', '14', ':'],
        [':', '57', ''],
      ],
    );
  });

  test('letters split runs; the digits after them are kept, with the letter as context', () => {
    const r = decodeLine(logits(['R', '_', 'O@0.95', '_', 'K', ' @0.9', '4', '_', '2']), 9, C, charset, digits);
    assert.equal(r.runs.length, 1);
    assert.deepEqual([r.runs[0]!.before, r.runs[0]!.digits, r.runs[0]!.after], [' ', '42', '']);
  });

  test('a letter the full decode prefers is still a digit when the digit is plausible', () => {
    // "1O5" where the O frame has 0.3 on '0': one run "105".
    const r = decodeLine(logits(['1', '_', { top: 'O', p: 0.6, also: [['0', 0.3]] }, '_', '5']), 5, C, charset, digits);
    assert.equal(r.text, '1O5');
    assert.equal(r.runs.length, 1);
    assert.equal(r.runs[0]!.digits, '105');
    assert.ok(r.runs[0]!.confidence < 0.8, 'the doubtful 0 lowers the mean');
  });

  test('a repeated digit across a separator is two digits, not one', () => {
    const r = decodeLine(logits(['1', '1', ':@0.99', '1', '1']), 5, C, charset, digits);
    assert.deepEqual(
      r.runs.map((x) => x.digits),
      ['1', '1'],
    );
  });

  test('empty and all-blank lines give no runs', () => {
    assert.deepEqual(decodeLine(new Float32Array(0), 0, C, charset, digits).runs, []);
    const r = decodeLine(logits(['_', '_@0.99']), 2, C, charset, digits);
    assert.equal(r.text, '');
    assert.equal(r.textConfidence, 0);
    assert.deepEqual(r.runs, []);
  });
});
