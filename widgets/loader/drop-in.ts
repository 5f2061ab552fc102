/**
 * The drop-in script, `dist/photo-finish.js`: a tiny classic script that defines each kit element when it first
 * appears in the page, by importing the ES modules that define it (its chunks) from `esm/` next to the script
 * itself (resolved from the script's own URL, so it works from another origin — the kit's files are served with
 * CORS — and under a strict `script-src` that allows the kit's origin). A page with only a gallery loads only the
 * gallery.
 *
 * Global `PhotoFinish`: `load(tag)` defines one element now (resolves with its class), `load()` loads the whole
 * kit and resolves with its exports (`ApiClient`, …), `observe(shadowRoot)` watches a host framework's shadow
 * root, `registerTranslations(locale, strings)` adds a language, `version`.
 */
import type { TemplateMap } from '../i18n/localize.ts';
import { KIT_VERSION } from '../shared/version.ts';
import { createRegistry } from './registry.ts';
import { TRANSLATIONS_QUEUE, type TranslationsQueue } from './translations-queue.ts';

/** Every element's tag (its folder name), filled in by the build (vite.config.ts). */
declare const __PF_ELEMENTS__: string[];
/**
 * The files each element's module needs, filled in by the build and fetched at once: its static chunks
 * (`chunks/kit-….js`), and its entry unless that only re-exports them (the element is defined in its chunk).
 */
declare const __PF_CHUNKS__: Record<string, string[]>;

export interface PhotoFinishGlobal {
  version: string;
  load(tag?: string): Promise<unknown>;
  observe(root: Node): void;
  registerTranslations(locale: string, templates: TemplateMap): void;
}

const g = globalThis as typeof globalThis & { PhotoFinish?: PhotoFinishGlobal } & Partial<
    Record<typeof TRANSLATIONS_QUEUE, TranslationsQueue>
  >;

if (g.PhotoFinish?.load) {
  console.warn(
    `photo-finish: a second copy of the kit (${KIT_VERSION}) was loaded; keeping the first one (${g.PhotoFinish.version}). ` +
      `Load the kit once per page.`,
  );
} else {
  const script =
    (document.currentScript as HTMLScriptElement | null) ??
    document.querySelector<HTMLScriptElement>('script[src*="photo-finish"][src$=".js"]');
  const base = new URL('esm/', script?.src || location.href).href;
  const load = (name: string) =>
    Promise.all((__PF_CHUNKS__[name] ?? [name]).map((file) => import(/* @vite-ignore */ `${base}${file}.js`))).then(
      ([entry]) => entry as unknown,
    );
  const registry = createRegistry({ tags: __PF_ELEMENTS__, importTag: load });
  g.PhotoFinish = {
    version: KIT_VERSION,
    load: (tag) => (tag ? registry.load(tag) : load('index')),
    observe: registry.observe,
    registerTranslations(locale, templates) {
      const q = (g[TRANSLATIONS_QUEUE] ??= { items: [] });
      q.items.push([locale, templates]);
      q.drain?.();
    },
  };
  registry.observe(document);
}
