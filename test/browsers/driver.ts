/// <reference lib="dom" />
// What the cross-browser flows need from a browser, implemented twice: Firefox over WebDriver BiDi
// (puppeteer-core, firefox.ts) and WebKit over classic W3C WebDriver (WebKitWebDriver, webkit.ts).

/**
 * An element inside shadow roots: each selector is looked up in the shadow root of the previous match (the
 * first in the document). `['pf-bib-search', 'input']` is the input in pf-bib-search's shadow root. A selector
 * ending in ` @N` takes the N-th match (from 0) instead of the first.
 */
export type Deep = readonly string[];

/** The keys the flows press. */
export type Key = 'Enter' | 'Escape' | 'ArrowRight' | 'ArrowLeft' | 'Tab' | 'PageDown';

export interface BrowserDriver {
  readonly name: 'firefox' | 'webkit';
  /** Product and version, for the log ("Firefox 153.8.0esr"). */
  readonly version: string;
  goto(url: string): Promise<void>;
  /**
   * Runs `fn` in the page with JSON arguments and returns its JSON result (a promise is awaited). `fn` is sent
   * as source text: it must use nothing from the test's scope.
   */
  run<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Promise<Awaited<R>>;
  /** A real pointer click in the middle of the element (waited for, scrolled into view first). */
  click(path: Deep): Promise<void>;
  /** Focuses the element (waited for) and types `text` key by key. */
  type(path: Deep, text: string): Promise<void>;
  /** Presses a key on whatever has the focus. */
  press(key: Key): Promise<void>;
  /** Sets the file of an `<input type=file>` as a user choosing it would. */
  upload(path: Deep, file: string): Promise<void>;
  /** A mouse-wheel turn of `dy` pixels with the pointer at (x, y) of the viewport. */
  wheel(x: number, y: number, dy: number): Promise<void>;
  /** A PNG of the viewport, written to `file`. */
  screenshot(file: string): Promise<void>;
  /** Page errors and console errors seen since the last call (emptied by the call). */
  takeProblems(): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * The page-side source of a call: `fn` applied to `args`, as an expression. tsx (esbuild with keepNames) may
 * wrap the function's inner functions in `__name(...)`; the page has no such helper, so it gets a no-op one.
 */
export function pageCall(fn: (...args: never[]) => unknown, args: unknown[]): string {
  return `((__name) => (${fn.toString()})(...${JSON.stringify(args)}))((f) => f)`;
}

/**
 * Polls `get` until it gives a value (an element that a lazily defined widget renders later, …): waiting on
 * state, with a deadline generous enough for a busy machine.
 */
export async function poll<T>(what: string, get: () => Promise<T | null>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (v !== null) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Page-side: the element at `path`, or null. Sent as source with every lookup. */
export function resolveDeep(path: readonly string[]): Element | null {
  let root: Document | ShadowRoot = document;
  let el: Element | null = null;
  for (const step of path) {
    const m = / @(\d+)$/.exec(step);
    el = m ? (root.querySelectorAll(step.slice(0, m.index))[Number(m[1])] ?? null) : root.querySelector(step);
    if (!el) return null;
    if (el.shadowRoot) root = el.shadowRoot;
  }
  return el;
}

/**
 * Page-side script that collects errors for takeProblems(): uncaught errors, unhandled rejections, CSP
 * violations and console.error calls. Installed on each page the flows open (after load, so it sees what
 * happens during the flow; load-time failures show up as widgets that never render).
 */
export function installProblemWatch(): void {
  const w = window as unknown as { __pfProblems?: string[] };
  if (w.__pfProblems) return;
  const list: string[] = (w.__pfProblems = []);
  addEventListener('error', (e) => list.push(`pageerror: ${e.message}`));
  addEventListener('unhandledrejection', (e) => list.push(`unhandled rejection: ${String(e.reason)}`));
  document.addEventListener('securitypolicyviolation', (e) => list.push(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  const error = console.error.bind(console);
  console.error = (...a: unknown[]) => {
    list.push(`console: ${a.map(String).join(' ')}`);
    error(...a);
  };
}

export function takeProblemsInPage(): string[] {
  const w = window as unknown as { __pfProblems?: string[] };
  return (w.__pfProblems ?? []).splice(0);
}
