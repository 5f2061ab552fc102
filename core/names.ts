/**
 * Names compared the way participants type them: accents, case, punctuation and spacing ignored
 * (`Émilie  D'Arcy` → `emilie d arcy`). The server stores and searches this form; widgets may use it to
 * highlight what matched.
 */
export function foldName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/ł/g, 'l')
    .replace(/đ/g, 'd')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The words of a query, folded; each must occur in a name (partial words match). */
export function nameTerms(q: string): string[] {
  return [...new Set(foldName(q).split(' ').filter(Boolean))].slice(0, 6);
}
