/**
 * The console's strings go through the kit's localisation layer (widgets/i18n/localize.ts): English in the code as
 * `msg('Sign in', { id: 'console.sign-in' })`, French in `console/i18n/fr.ts`, registered here at start. The
 * language follows `<html lang>`, which the console's language menu sets (and remembers).
 */
import { msg, registerTranslations, str } from '../../widgets/i18n/localize.ts';
import { consoleFr } from './fr.ts';

registerTranslations('fr', consoleFr);

export { msg, str };

export const LANGUAGES = [
  { tag: 'en', name: 'English' },
  { tag: 'fr', name: 'Français' },
] as const;

const KEY = 'pfc.lang';

/** The language the console starts in: the remembered choice, else the browser's when it is French, else English. */
export function initialLanguage(): string {
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(KEY);
  } catch {
    /* storage blocked */
  }
  if (saved && LANGUAGES.some((l) => l.tag === saved)) return saved;
  return (navigator.language || 'en').toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

export function setLanguage(tag: string): void {
  document.documentElement.lang = tag;
  try {
    localStorage.setItem(KEY, tag);
  } catch {
    /* storage blocked */
  }
}
