/**
 * BIB normalisation shared by the server (indexing, search) and the widgets (validation).
 * Case-insensitive; spaces, dashes, dots and underscores ignored. Leading zeros are kept as typed;
 * `bibSearchKeys` adds the form without them so "007" also finds a photo tagged "7".
 */
export const BIB_MAX_LENGTH = 16;
const IGNORED = /[\s\-_.]+/g;
const VALID = /^[\p{L}\p{N}]+$/u;

export function normaliseBib(raw: string): string {
  return raw.normalize('NFKC').replace(IGNORED, '').toUpperCase();
}

/** Why a typed bib is not acceptable, or null when it is. */
export function bibProblem(raw: string): string | null {
  const n = normaliseBib(raw);
  if (n.length === 0) return 'enter a bib number';
  if (n.length > BIB_MAX_LENGTH) return `a bib has at most ${BIB_MAX_LENGTH} characters`;
  if (!VALID.test(n)) return 'a bib has only letters and digits';
  return null;
}

/** Normalised forms a search for `raw` matches: as typed, and without leading zeros. */
export function bibSearchKeys(raw: string): string[] {
  const n = normaliseBib(raw);
  const stripped = n.replace(/^0+(?=.)/, '');
  return stripped === n ? [n] : [n, stripped];
}
