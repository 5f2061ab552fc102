import type { z } from 'zod';

// Text an organiser types that the server later draws (watermarks through librsvg, certificates through
// sharp/librsvg and pdf-lib): what those renderers can draw is checked up front, so a bad character is a 422 when
// the text is saved, never a failed render later.

/**
 * Characters no renderer can draw and XML 1.0 forbids: control characters (C0 and C1, DEL), lone surrogates and
 * the non-characters U+FFFE and U+FFFF. (In a single-line text, tab and line breaks are control characters too.)
 */
// In a `u` regular expression a surrogate pair is one code point: \p{Cs} matches lone surrogates only.
const UNDRAWABLE = /[\p{Cc}\p{Cs}\ufffe\uffff]/u;
const UNDRAWABLE_ALL = /[\p{Cc}\p{Cs}\ufffe\uffff]/gu;

const hex = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** Why `text` cannot be drawn ("contains the control character U+0007 at position 4"), or null when it can. */
export function undrawableText(text: string, o: { breaks?: boolean } = {}): string | null {
  const m = UNDRAWABLE.exec(o.breaks ? text.replace(/[\t\r\n]/g, ' ') : text);
  if (!m) return null;
  const what = /[\ud800-\udfff]/.test(m[0])
    ? 'a lone surrogate'
    : /[\ufffe\uffff]/.test(m[0])
      ? 'the non-character'
      : 'the control character';
  return `contains ${what} ${hex(m[0])} at position ${m.index + 1}: use printable characters only`;
}

/** `text` without the characters no renderer can draw (for text stored before the check existed). */
export const drawableText = (text: string) => text.replace(UNDRAWABLE_ALL, '');

/** A zod `superRefine` check: the text can be drawn (see `undrawableText`). */
export function checkDrawable(text: string, ctx: z.RefinementCtx): void {
  const why = undrawableText(text);
  if (why) ctx.addIssue({ code: 'custom', message: why });
}

/** The same check for a text whose tabs and line breaks the renderer turns into spaces (certificate texts). */
export function checkDrawableBreaks(text: string, ctx: z.RefinementCtx): void {
  const why = undrawableText(text, { breaks: true });
  if (why) ctx.addIssue({ code: 'custom', message: why });
}
