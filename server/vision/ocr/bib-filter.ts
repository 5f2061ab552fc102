/**
 * Which digit reads look like bib numbers. Rules, in order:
 *  - 2–6 digits (configurable);
 *  - mean confidence ≥ 0.8 (configurable);
 *  - not part of a clock or time: a run touching a colon ("14:57", "1:02:33"), a line that is just a
 *    time ("14.57", "14h57"); years written next to a colon ("Edition: 2024") fall under the same rule;
 *  - not a year inside a line of words ("CITY MARATHON 2024"), a distance ("10K") or a decimal
 *    ("21.1 KM"): bibs stand on their own line, and never carry a unit or a decimal point;
 *  - with the event's list of issued bibs: reads on the list are `accepted`, the rest become
 *    low-confidence `candidate`s (a year on a banner, another runner's half-hidden bib, a dropped digit).
 */
import { bibSearchKeys, normaliseBib } from '../../../core/bib.ts';
import type { DigitRun } from './ctc.ts';

export type BibStatus = 'accepted' | 'candidate';

export interface BibRuleOptions {
  minDigits?: number;
  maxDigits?: number;
  minConfidence?: number;
}

export type RejectReason = 'length' | 'confidence' | 'clock' | 'year' | 'distance' | 'decimal';

/** Colon-like characters of the recogniser's charset. */
const COLONS = new Set([':', '：', '∶', '﹕', ';', '；']);
/** A whole line that reads as a time of day or a race time. */
const TIME_LINE = /^\s*\d{1,2}\s*[:：.h]\s*\d{2}(\s*[:：.]\s*\d{2})?\s*$/i;
const YEAR = /^(19|20)\d{2}$/;
/** A year, its first digits ("20", "201"), or a year after a letter stroke read as "1" ("N 2023" → "12023"). */
const YEAR_LIKE = /^(1?(19|20)\d{2}|(19|20)\d?)$/;
const WORD = /\p{L}{3,}/u;
const DECIMAL = /\d\s?[.,]\s?\d/;
const UNIT = new Set(['K', 'k']);

export function isClockText(text: string): boolean {
  return TIME_LINE.test(text);
}

export function isYear(digits: string): boolean {
  return YEAR.test(digits);
}

/** `isYear`, or a fragment of a year ("20", "201"), or a year with one stray digit in front. */
export function isYearLike(digits: string): boolean {
  return YEAR_LIKE.test(digits);
}

/** A detected text line: its axis-aligned box and what it reads. */
export interface LineGeometry {
  box: readonly [number, number, number, number];
  text: string;
}

/**
 * Whether `line` continues a line of words next to it — about the same height, centred on the same
 * row, at most ~1.5 heights away (the detector often splits "CITY MARATHON | 2024").
 */
export function besideWords(line: LineGeometry, others: readonly LineGeometry[]): boolean {
  const [x1, y1, x2, y2] = line.box;
  const h = y2 - y1;
  if (h <= 0) return false;
  const cy = (y1 + y2) / 2;
  return others.some((o) => {
    if (o === line || !WORD.test(o.text)) return false;
    const [ox1, oy1, ox2, oy2] = o.box;
    const oh = oy2 - oy1;
    const gap = Math.max(ox1 - x2, x1 - ox2);
    return oh / h > 0.6 && oh / h < 1.6 && Math.abs((oy1 + oy2) / 2 - cy) < 0.35 * h && gap < 1.5 * h;
  });
}

/**
 * Why a digit run is not a bib, or null when it may be one. `context.besideWords`: the line sits
 * next to a line of words (see `besideWords`); year-like numbers there are a banner's.
 */
export function rejectReason(
  run: Pick<DigitRun, 'digits' | 'confidence' | 'before' | 'after'>,
  lineText: string,
  opts: BibRuleOptions = {},
  context: { besideWords?: boolean } = {},
): RejectReason | null {
  const minDigits = opts.minDigits ?? 2;
  const maxDigits = opts.maxDigits ?? 6;
  const minConfidence = opts.minConfidence ?? 0.8;
  if (run.digits.length < minDigits || run.digits.length > maxDigits) return 'length';
  if (!(run.confidence >= minConfidence)) return 'confidence';
  if (COLONS.has(run.before) || COLONS.has(run.after)) return YEAR.test(run.digits) ? 'year' : 'clock';
  if (isClockText(lineText)) return 'clock';
  if (YEAR.test(run.digits) && WORD.test(lineText)) return 'year';
  if (context.besideWords && YEAR_LIKE.test(run.digits)) return 'year';
  if (UNIT.has(run.after)) return 'distance';
  if ((run.before === '.' || run.before === ',' || run.after === '.' || run.after === ',') && DECIMAL.test(lineText))
    return 'decimal';
  return null;
}

/**
 * Lookup of issued bibs by every form a read may take: normalised, and without leading zeros
 * (so a read "0042" finds the issued "42" and a read "42" finds the issued "042").
 * Maps to the issued bib's normalised form.
 */
export function issuedIndex(issued: Iterable<string>): Map<string, string> {
  const idx = new Map<string, string>();
  for (const raw of issued) {
    const norm = normaliseBib(raw);
    if (!norm) continue;
    for (const k of bibSearchKeys(norm)) if (!idx.has(k)) idx.set(k, norm);
  }
  return idx;
}

/** The issued bib a read matches (normalised), or null. */
export function matchIssued(bib: string, index: ReadonlyMap<string, string>): string | null {
  for (const k of bibSearchKeys(bib)) {
    const hit = index.get(k);
    if (hit !== undefined) return hit;
  }
  return null;
}

/** Reads outside the issued list keep at most this fraction of their confidence. */
export const CANDIDATE_CONFIDENCE_FACTOR = 0.5;

export interface StatusRead {
  bib: string;
  bib_norm: string;
  confidence: number;
  status: BibStatus;
}

/**
 * Applies an issued-bib list: matches become `accepted` (with the issued bib's normalised form),
 * the others `candidate` with their confidence halved. Without a list everything is `accepted`.
 */
export function applyIssued<T extends StatusRead>(
  reads: readonly T[],
  issued?: ReadonlySet<string> | ReadonlyMap<string, string>,
): T[] {
  if (!issued) return reads.map((r) => ({ ...r, status: 'accepted' as const }));
  const index = issued instanceof Map ? (issued as ReadonlyMap<string, string>) : issuedIndex(issued as ReadonlySet<string>);
  return reads.map((r) => {
    const hit = matchIssued(r.bib, index);
    return hit !== null
      ? { ...r, bib_norm: hit, status: 'accepted' as const }
      : { ...r, confidence: r.confidence * CANDIDATE_CONFIDENCE_FACTOR, status: 'candidate' as const };
  });
}

/** One read per normalised bib: accepted beats candidate, then the higher confidence. Sorted best first. */
export function dedupeReads<T extends StatusRead>(reads: readonly T[]): T[] {
  const rank = (r: T) => (r.status === 'accepted' ? 1 : 0);
  const best = new Map<string, T>();
  for (const r of reads) {
    const cur = best.get(r.bib_norm);
    if (!cur || rank(r) > rank(cur) || (rank(r) === rank(cur) && r.confidence > cur.confidence)) best.set(r.bib_norm, r);
  }
  return [...best.values()].sort((a, b) => rank(b) - rank(a) || b.confidence - a.confidence);
}
