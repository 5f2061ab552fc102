/**
 * The kit's one localisation layer, on @lit/localize's runtime format.
 *
 * - Source strings are English, written in the code as `msg('Load more', { id: 'gallery.load-more' })`, or with
 *   values as `msg(str`${n} photos`, { id: 'gallery.count' })` (`str` from @lit/localize).
 * - Translations are @lit/localize template maps (`{ 'gallery.count': str`${0} photos` }`), one file per area
 *   and locale: `widgets/i18n/<locale>/<area>.ts`, merged in `widgets/i18n/<locale>/index.ts`.
 * - The language is picked per element: the nearest `lang` attribute (the element's own, an ancestor's, across
 *   shadow roots), else the page's `<html lang>`, else English. Unlike @lit/localize's global `setLocale`, two
 *   elements on one page may show two languages, and the kit never claims @lit/localize's one global
 *   configuration (a host app using @lit/localize keeps it).
 *
 * `msg()` reads the locale of the element that is rendering (PfElement sets it around `update()`); outside a
 * render, wrap the call in `withLocale(locale, () => msg(…))`.
 */
import { isStrTagged, joinStringsAndValues, str, type Template, type TemplateMap } from './str.ts';
import { TRANSLATIONS_QUEUE, type TranslationsQueue } from '../loader/translations-queue.ts';

export { str, type Template, type TemplateMap };

export const SOURCE_LOCALE = 'en';
const catalogs = new Map<string, TemplateMap>([[SOURCE_LOCALE, {}]]);

/**
 * The kit's own translations, each a chunk of its own fetched the first time an element renders in that language:
 * an English page never downloads French. Add a language by adding `widgets/i18n/<locale>/index.ts` here.
 */
const KIT_LOCALES: Record<string, () => Promise<{ templates: TemplateMap }>> = {
  fr: () => import('./fr/index.ts'),
};
const kitLoads = new Map<string, Promise<void>>();

/** Adds (or extends) a locale's strings at run time, e.g. a host page shipping German. */
export function registerTranslations(locale: string, templates: TemplateMap): void {
  const l = locale.toLowerCase();
  catalogs.set(l, { ...catalogs.get(l), ...templates });
  notifyLocaleChange();
}

/**
 * Null when `locale`'s strings are in, else a promise for them (the kit's chunk for that language, fetched once).
 * Strings a page registered win over the kit's. A chunk that fails to load leaves the language in English.
 */
export function localeReady(locale: string): Promise<void> | null {
  const load = KIT_LOCALES[locale];
  if (!load) return null;
  let p = kitLoads.get(locale);
  if (!p) {
    p = load().then(
      ({ templates }) => {
        catalogs.set(locale, { ...templates, ...catalogs.get(locale) });
        settled.add(locale);
        notifyLocaleChange();
      },
      () => {
        settled.add(locale);
      },
    );
    kitLoads.set(locale, p);
  }
  return settled.has(locale) ? null : p;
}
const settled = new Set<string>();

// Languages the page registered through the drop-in script (PhotoFinish.registerTranslations), before or after
// this module loaded.
{
  const g = globalThis as typeof globalThis & Partial<Record<typeof TRANSLATIONS_QUEUE, TranslationsQueue>>;
  const q = (g[TRANSLATIONS_QUEUE] ??= { items: [] });
  q.drain = () => {
    for (let item = q.items.shift(); item; item = q.items.shift()) registerTranslations(item[0], item[1]);
  };
  q.drain();
}

/** Locales the kit has strings for (its own, loaded or not, and those a page registered). */
export function availableLocales(): string[] {
  return [...new Set([...catalogs.keys(), ...Object.keys(KIT_LOCALES)])];
}

let current = SOURCE_LOCALE;

/** Runs `fn` with `locale` active for `msg()`. */
export function withLocale<T>(locale: string, fn: () => T): T {
  const prev = current;
  current = locale;
  try {
    return fn();
  } finally {
    current = prev;
  }
}

/** The active locale of the current render. */
export function activeLocale(): string {
  return current;
}

/** Translates a source string (or `str` template) by its explicit id into the active locale. */
export function msg(template: Template, options: { id: string; desc?: string }): string {
  const t = catalogs.get(current)?.[options.id];
  if (typeof t === 'string') return t;
  if (t && isStrTagged(t)) {
    const values = isStrTagged(template) ? template.values : [];
    return joinStringsAndValues(t.strings, values, t.values as number[]);
  }
  return isStrTagged(template) ? joinStringsAndValues(template.strings, template.values) : template;
}

/** The nearest `lang` of `el` (its own, then ancestors, crossing shadow roots), else the page's. */
export function langOf(el: Element): string {
  let node: Element | null = el;
  while (node) {
    const found: Element | null = node.closest('[lang]');
    const lang = found?.getAttribute('lang');
    if (lang) return lang;
    const root = node.getRootNode();
    node = root instanceof ShadowRoot ? root.host : null;
  }
  return document.documentElement.lang || SOURCE_LOCALE;
}

/** The kit locale for a BCP 47 tag: exact match, then the language part, then English. */
export function pickLocale(tag: string): string {
  const l = tag.toLowerCase();
  const known = (x: string) => catalogs.has(x) || x in KIT_LOCALES;
  if (known(l)) return l;
  const base = l.split('-')[0]!;
  return known(base) ? base : SOURCE_LOCALE;
}

/**
 * Locale for numbers and dates: the viewer's own regional setting when it is in the same language as the
 * element (an en-GB viewer gets 24-hour times on an English page), else the element's `lang`.
 */
export function formatLocale(lang: string): string {
  const nav = typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]);
  const base = lang.toLowerCase().split('-')[0];
  if (!lang.includes('-')) {
    const same = nav.find((n) => n.toLowerCase().split('-')[0] === base);
    if (same) return same;
  }
  return lang;
}

type Listener = () => void;
const listeners = new Set<Listener>();

/** Calls `fn` whenever a page or element language changes; returns an unsubscribe function. */
export function onLocaleChange(fn: Listener): () => void {
  listeners.add(fn);
  watchDocumentLang();
  return () => listeners.delete(fn);
}

export function notifyLocaleChange(): void {
  for (const fn of listeners) fn();
}

let watching = false;
function watchDocumentLang() {
  if (watching || typeof MutationObserver === 'undefined' || typeof document === 'undefined') return;
  watching = true;
  // A page (or a host app) switching language: any lang attribute anywhere in the light DOM.
  new MutationObserver(notifyLocaleChange).observe(document.documentElement, {
    attributes: true,
    attributeFilter: ['lang'],
    subtree: true,
  });
}

/** "1 photo" / "2 photos": picks a template by the locale's plural rules. */
export function plural(locale: string, n: number, forms: { one: () => string; other: () => string }): string {
  return new Intl.PluralRules(locale).select(n) === 'one' ? forms.one() : forms.other();
}
