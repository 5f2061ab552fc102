/**
 * Registers a custom element once. A second copy of the kit on the same page (another plugin, another
 * version) must not throw "already defined": it warns and keeps the first definition.
 */
export function defineElement(name: string, ctor: CustomElementConstructor): void {
  const existing = customElements.get(name);
  if (existing) {
    if (existing !== ctor)
      console.warn(`photo-finish: <${name}> is already defined by another copy of the kit; keeping the first one.`);
    return;
  }
  customElements.define(name, ctor);
}

/** Fires a bubbling, composed `pf-*` event. */
export function emit<T>(el: HTMLElement, type: string, detail: T): boolean {
  return el.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true, cancelable: true }));
}
