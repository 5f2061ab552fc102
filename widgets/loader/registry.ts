/**
 * The drop-in script's element registry: defines each kit element when it first appears in the page, by loading
 * that element's module (and only that one). DOM-level, no Lit: this file is the whole drop-in script with
 * drop-in.ts, so it stays a few hundred bytes.
 *
 * - `scan()` looks for every tag not yet requested (`getElementsByTagName`, a live collection, so a scan costs
 *   next to nothing) and loads the ones present; a MutationObserver on the document scans again whenever nodes
 *   are added, and stops once every tag was requested.
 * - `load(tag)` asks for a tag explicitly (an element made inside a host framework's own shadow root, which the
 *   observer cannot see, or a page that wants everything ready up front).
 * - `observe(root)` watches another root (a host framework's shadow root) the same way.
 */
export interface RegistryOptions {
  /** Every tag the kit can define. */
  tags: readonly string[];
  /** Loads (imports) the module that defines `tag`. */
  importTag(tag: string): Promise<unknown>;
  /** Reports a module that failed to load (default: console.error). */
  onError?(tag: string, error: unknown): void;
}

export interface ElementRegistry {
  /** Loads the module of `tag` (once); resolves when the element is defined. */
  load(tag: string): Promise<CustomElementConstructor | undefined>;
  /** Loads every tag present in `root` (default: the document). */
  scan(root?: ParentNode): void;
  /** Watches `root` (a shadow root) for kit elements too. */
  observe(root: Node): void;
  /** Tags requested so far. */
  readonly requested: ReadonlySet<string>;
}

export function createRegistry(o: RegistryOptions): ElementRegistry {
  const known = new Set(o.tags);
  const requested = new Set<string>();
  const pending = new Map<string, Promise<CustomElementConstructor | undefined>>();
  const observers: MutationObserver[] = [];

  const load = (tag: string) => {
    tag = tag.toLowerCase();
    let p = pending.get(tag);
    if (!p) {
      requested.add(tag);
      if (requested.size === known.size) for (const ob of observers.splice(0)) ob.disconnect();
      p = customElements.get(tag)
        ? Promise.resolve(customElements.get(tag))
        : !known.has(tag)
          ? Promise.resolve(undefined)
          : o.importTag(tag).then(
              () => customElements.whenDefined(tag),
              (e: unknown) => {
                pending.delete(tag);
                requested.delete(tag);
                (o.onError ?? ((t, err) => console.error(`photo-finish: could not load <${t}>`, err)))(tag, e);
                return undefined;
              },
            );
      pending.set(tag, p);
    }
    return p;
  };

  const scan = (root: ParentNode = document) => {
    for (const tag of known) {
      if (requested.has(tag)) continue;
      const found =
        'getElementsByTagName' in root
          ? (root as Document | Element).getElementsByTagName(tag).length > 0
          : !!root.querySelector(tag);
      if (found) void load(tag);
    }
  };

  const observe = (root: Node) => {
    if (requested.size === known.size) return;
    const ob = new MutationObserver((records) => {
      if (records.some((r) => r.addedNodes.length)) scan(root as ParentNode);
    });
    ob.observe(root, { childList: true, subtree: true });
    observers.push(ob);
    scan(root as ParentNode);
  };

  return { load, scan, observe, requested };
}
