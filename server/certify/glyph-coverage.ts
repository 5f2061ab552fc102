import { type FontRegistry, type LoadedFace, defaultFontRegistry } from './fonts/index.ts';

/** Joiners and variation selectors: drawn by no font, needed by none. */
const isIgnorable = (cp: number) =>
  cp === 0x200b ||
  cp === 0x200c ||
  cp === 0x200d ||
  cp === 0xfeff ||
  (cp >= 0xfe00 && cp <= 0xfe0f) ||
  (cp >= 0xe0100 && cp <= 0xe01ef);

/** The code points of a grapheme a font must have to draw it. */
export function codePoints(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (!isIgnorable(cp)) out.push(cp);
  }
  return out;
}

export const covers = (face: LoadedFace, cps: number[]) => cps.every((cp) => face.font.hasGlyphForCodePoint(cp));

export const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The characters (graphemes, in order of first appearance) that no family of the registry can draw: whatever
 * the template's font, a certificate shows them as the font's empty box and its PDF text layer loses them.
 * A grapheme only some family has (`ŉ` is in PT Sans, not in Playfair Display) is not listed.
 */
export function undrawableCharacters(text: string, fonts: FontRegistry = defaultFontRegistry()): string[] {
  const faces = fonts.families().map((f) => fonts.resolve(f.family, 400, false));
  const missing = new Set<string>();
  for (const { segment } of graphemes.segment(text.normalize('NFC'))) {
    if (/^\s+$/u.test(segment) || missing.has(segment)) continue;
    const cps = codePoints(segment);
    if (cps.length > 0 && !faces.some((face) => covers(face, cps))) missing.add(segment);
  }
  return [...missing];
}
