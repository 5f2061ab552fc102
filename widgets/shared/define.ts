import { KIT_VERSION } from './version.ts';

interface KitRegistry {
  version: string;
  warned?: boolean;
}
const KEY = '__photoFinishKit';

/**
 * Registers a custom element once. A second copy of the kit on the same page (another plugin, another
 * version) must not throw "already defined": it warns once and keeps the first definition.
 */
export function defineElement(name: string, ctor: CustomElementConstructor): void {
  if (typeof customElements === 'undefined') return; // imported in Node (SSR, tests): nothing to register
  const g = globalThis as typeof globalThis & { [KEY]?: KitRegistry };
  const existing = customElements.get(name);
  if (existing) {
    if (existing !== ctor && !g[KEY]?.warned) {
      const first = g[KEY]?.version ?? 'unknown';
      console.warn(
        `photo-finish: a second copy of the kit (${KIT_VERSION}) was loaded; keeping the first one (${first}). ` +
          `Load the kit once per page.`,
      );
      if (g[KEY]) g[KEY].warned = true;
    }
    return;
  }
  g[KEY] ??= { version: KIT_VERSION };
  customElements.define(name, ctor);
}

export { emit } from '../events.ts';
