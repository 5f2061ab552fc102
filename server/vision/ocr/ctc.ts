/**
 * Greedy CTC decoding of the PP-OCRv4 recogniser's per-frame class probabilities
 * ([T, C] softmax, class 0 = blank, 1..C−2 = lines of ppocr_keys_v1.txt, C−1 = space).
 *
 * Two decodes run over the same frames:
 *  - full: argmax over every class → the line's text ("14:57", "RUN 1234"), used for context;
 *  - digits-only: argmax over blank + the ten digits → the digits, each with its probability,
 *    which reads bibs better (a 0 the full decode calls "O" is still a 0 here).
 * Frames where the full decode is sure of a non-digit (a colon, a letter) split the digits into runs,
 * so "RUN 1234" gives the run "1234" and "14:57" gives "14" | ":" | "57".
 */

export const BLANK = 0;

/** Index → character: 0 = blank (""), 1..n = the key file's lines, n+1 = " ". */
export function loadCharset(keysText: string): string[] {
  const lines = keysText.replace(/\r/g, '').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return ['', ...lines, ' '];
}

/** Class indices of '0'..'9' in a charset (throws if one is missing). */
export function digitClasses(charset: readonly string[]): Int32Array {
  const out = new Int32Array(10);
  for (let d = 0; d < 10; d++) {
    const i = charset.indexOf(String(d));
    if (i < 0) throw new Error(`charset has no '${d}'`);
    out[d] = i;
  }
  return out;
}

export interface Emission {
  cls: number;
  /** First frame of the run, and one past its last. */
  start: number;
  end: number;
  /** Highest probability of `cls` over the run. */
  prob: number;
}

/**
 * Greedy CTC over frames `probs[offset + t·C + c]`: per frame argmax (over all classes, or only over
 * blank + `classes`), merge repeats, drop blanks.
 */
export function greedyDecode(
  probs: ArrayLike<number>,
  frames: number,
  numClasses: number,
  opts: { offset?: number; classes?: ArrayLike<number> } = {},
): Emission[] {
  const offset = opts.offset ?? 0;
  const classes = opts.classes;
  const out: Emission[] = [];
  let prev = -1;
  for (let t = 0; t < frames; t++) {
    const row = offset + t * numClasses;
    let best = BLANK;
    let bestP = probs[row]!;
    if (classes) {
      for (let k = 0; k < classes.length; k++) {
        const c = classes[k]!;
        const p = probs[row + c]!;
        if (p > bestP) {
          bestP = p;
          best = c;
        }
      }
    } else {
      for (let c = 1; c < numClasses; c++) {
        const p = probs[row + c]!;
        if (p > bestP) {
          bestP = p;
          best = c;
        }
      }
    }
    if (best !== prev) {
      if (best !== BLANK) out.push({ cls: best, start: t, end: t + 1, prob: bestP });
    } else if (best !== BLANK) {
      const e = out[out.length - 1]!;
      e.end = t + 1;
      if (bestP > e.prob) e.prob = bestP;
    }
    prev = best;
  }
  return out;
}

/** Mean of the emissions' probabilities (0 for none). */
export function meanConfidence(em: readonly { prob: number }[]): number {
  if (em.length === 0) return 0;
  let s = 0;
  for (const e of em) s += e.prob;
  return s / em.length;
}

export function emissionsText(em: readonly Emission[], charset: readonly string[]): string {
  return em.map((e) => charset[e.cls] ?? '').join('');
}

export interface DigitRun {
  digits: string;
  /** Mean of the digits' probabilities. */
  confidence: number;
  /** Frame span: first frame of the first digit, one past the last frame of the last digit. */
  start: number;
  end: number;
  /** The separator character right before / after the run ('' at the ends of the line). */
  before: string;
  after: string;
}

export interface LineRead {
  /** Full-charset greedy decode. */
  text: string;
  textConfidence: number;
  runs: DigitRun[];
  frames: number;
}

export interface DecodeLineOptions {
  offset?: number;
  /** A frame whose full argmax is a non-digit at least this probable is a separator… */
  separatorProb?: number;
  /** …unless the best digit there is at least this probable. */
  digitKeepProb?: number;
}

/** Both decodes of one line, digits split into runs at confident non-digit characters. */
export function decodeLine(
  probs: ArrayLike<number>,
  frames: number,
  numClasses: number,
  charset: readonly string[],
  digits: Int32Array,
  opts: DecodeLineOptions = {},
): LineRead {
  const offset = opts.offset ?? 0;
  const sepProb = opts.separatorProb ?? 0.5;
  const keepProb = opts.digitKeepProb ?? 0.25;
  const full = greedyDecode(probs, frames, numClasses, { offset });
  const isDigit = new Uint8Array(numClasses);
  const digitOf = new Int8Array(numClasses).fill(-1);
  digits.forEach((c, d) => {
    isDigit[c] = 1;
    digitOf[c] = d;
  });

  const runs: DigitRun[] = [];
  let cur: { ds: string[]; ps: number[]; start: number; end: number; before: string } | null = null;
  let lastSep = '';
  let prevSym = -1; // -2 = separator, 0 = blank, else digit class
  const close = (after: string) => {
    if (cur && cur.ds.length) {
      runs.push({
        digits: cur.ds.join(''),
        confidence: cur.ps.reduce((a, b) => a + b, 0) / cur.ps.length,
        start: cur.start,
        end: cur.end,
        before: cur.before,
        after,
      });
    }
    cur = null;
  };
  for (let t = 0; t < frames; t++) {
    const row = offset + t * numClasses;
    // Full argmax.
    let f = BLANK;
    let pf = probs[row]!;
    for (let c = 1; c < numClasses; c++) {
      const p = probs[row + c]!;
      if (p > pf) {
        pf = p;
        f = c;
      }
    }
    // Digits-only argmax.
    let d = BLANK;
    let pd = probs[row]!;
    let bestDigitP = 0;
    for (let k = 0; k < 10; k++) {
      const p = probs[row + digits[k]!]!;
      if (p > bestDigitP) bestDigitP = p;
      if (p > pd) {
        pd = p;
        d = digits[k]!;
      }
    }
    const separator = f !== BLANK && !isDigit[f] && pf >= sepProb && bestDigitP < keepProb;
    if (separator) {
      // A run's `after` is the first separator following it; the next run's `before` the last one.
      const ch = charset[f] ?? '?';
      if (prevSym !== -2) close(ch);
      lastSep = ch;
      prevSym = -2;
      continue;
    }
    if (d === BLANK) {
      prevSym = BLANK;
      continue;
    }
    if (d === prevSym && cur) {
      // Same digit continuing: keep its best probability.
      const i = cur.ps.length - 1;
      if (pd > cur.ps[i]!) cur.ps[i] = pd;
      cur.end = t + 1;
    } else {
      if (!cur) cur = { ds: [], ps: [], start: t, end: t + 1, before: lastSep };
      cur.ds.push(String(digitOf[d]));
      cur.ps.push(pd);
      cur.end = t + 1;
    }
    prevSym = d;
  }
  close('');
  return { text: emissionsText(full, charset), textConfidence: meanConfidence(full), runs, frames };
}
