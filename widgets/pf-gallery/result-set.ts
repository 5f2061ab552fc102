/**
 * A paged result set (all photos of an event, a BIB's photos, a timeline window, selfie matches) held as a
 * sparse array: which pages are loaded, loading or failed, the total once the first page told it, and page
 * fetching through a loader function, with one request per page however many callers ask for it. No DOM:
 * unit-tested on its own (test/widgets/unit/result-set.test.ts); pf-gallery draws it.
 */
import type { PaginationInfo } from '../../core/api/pagination.ts';

/** One page of a result set, as the API answers it. */
export interface ResultPage<T> {
  images: T[];
  pagination: Pick<PaginationInfo, 'total'>;
}

/** Loads one page (1-based) of `pageSize` items; `signal` aborts when the set is reset. */
export type PageFetcher<T> = (page: number, pageSize: number, signal: AbortSignal) => Promise<ResultPage<T>>;

/** What the owner hears about (each call belongs to the current generation; stale answers are dropped). */
export interface ResultSetHooks<T> {
  /** A request for `page` started. */
  started?(page: number): void;
  /**
   * `page` arrived and is stored: its items are at [start, start + count). `totalChanged` when the total is
   * new or differs from the one known before (the array was resized). Called while the page still counts as
   * loading.
   */
  loaded?(page: number, info: { start: number; count: number; total: number; totalChanged: boolean; items: T[] }): void;
  /** `page` failed (not an abort); it is not asked again until `retry()` or `load()` names it. */
  failed?(page: number, error: unknown): void;
  /** `page` is no longer loading (after loaded/failed). */
  settled?(page: number): void;
}

export class ResultSet<T> {
  /** Items by position (sparse: `undefined` where the page is not loaded). */
  #list: (T | undefined)[] = [];
  #count: number | null = null;
  readonly #loaded = new Set<number>();
  readonly #loading = new Map<number, { abort: AbortController; done: Promise<void> }>();
  readonly #failed = new Set<number>();
  #generation = 0;
  #size: number;
  readonly #fetcher: PageFetcher<T>;
  readonly #hooks: ResultSetHooks<T>;

  constructor(pageSize: number, fetcher: PageFetcher<T>, hooks: ResultSetHooks<T> = {}) {
    this.#fetcher = fetcher;
    this.#hooks = hooks;
    this.#size = Math.max(1, Math.floor(pageSize) || 1);
  }

  /** Items per page. */
  get pageSize(): number {
    return this.#size;
  }

  /** Size of the whole set, or null before the first page arrived. */
  get total(): number | null {
    return this.#count;
  }

  /** The sparse array of items (read-only view; its length is the total once known). */
  get items(): readonly (T | undefined)[] {
    return this.#list;
  }

  /** The item at `index`, or undefined while its page is not loaded. */
  at(index: number): T | undefined {
    return this.#list[index];
  }

  /** Pages whose requests are in flight. */
  get loadingCount(): number {
    return this.#loading.size;
  }

  /** The 1-based page that holds `index`. */
  pageOf(index: number): number {
    return Math.floor(index / this.#size) + 1;
  }

  isLoaded(page: number): boolean {
    return this.#loaded.has(page);
  }

  isLoading(page: number): boolean {
    return this.#loading.has(page);
  }

  hasFailed(page: number): boolean {
    return this.#failed.has(page);
  }

  /** Pages that failed, ascending. */
  failedPages(): number[] {
    return [...this.#failed].sort((a, b) => a - b);
  }

  /** Whether `page` exists in the set (any page before the total is known). */
  exists(page: number): boolean {
    return page >= 1 && (this.#count === null || (page - 1) * this.#size < this.#count);
  }

  /** The first page not loaded yet (the one "Load more" asks for), or null when every page is. */
  nextPage(): number | null {
    let p = 1;
    while (this.#loaded.has(p)) p++;
    return this.exists(p) ? p : null;
  }

  /** How many items from the start are loaded without a gap (what a "Load more" list shows). */
  loadedPrefix(): number {
    let n = 0;
    while (this.#count !== null && n < this.#count && this.#loaded.has(n / this.#size + 1)) n += this.#size;
    return Math.min(n, this.#count ?? 0);
  }

  /**
   * Loads `page` unless it is loaded already. A page already in flight is not asked twice: the call waits for
   * the same request. Resolves once the page is settled (loaded or failed), or at once when the set was reset
   * meanwhile; never rejects (failures go to `hooks.failed`).
   */
  load(page: number): Promise<void> {
    if (this.#loaded.has(page) || !this.exists(page)) return Promise.resolve();
    const pending = this.#loading.get(page);
    if (pending) return pending.done;
    const entry = { abort: new AbortController(), done: Promise.resolve() };
    this.#loading.set(page, entry);
    this.#failed.delete(page);
    this.#hooks.started?.(page);
    entry.done = this.#fetch(page, entry.abort, this.#generation);
    return entry.done;
  }

  async #fetch(page: number, abort: AbortController, gen: number): Promise<void> {
    try {
      const res = await this.#fetcher(page, this.#size, abort.signal);
      if (gen !== this.#generation) return;
      this.#store(page, res);
    } catch (e) {
      if (gen !== this.#generation || abort.signal.aborted) return;
      this.#failed.add(page);
      this.#hooks.failed?.(page, e);
    } finally {
      if (gen === this.#generation) {
        this.#loading.delete(page);
        this.#hooks.settled?.(page);
      }
    }
  }

  #store(page: number, res: ResultPage<T>) {
    const start = (page - 1) * this.#size;
    const total = res.pagination.total;
    const totalChanged = total !== this.#count;
    if (totalChanged) {
      this.#list.length = total;
      this.#count = total;
    }
    res.images.forEach((item, k) => {
      if (start + k < total) this.#list[start + k] = item;
    });
    this.#loaded.add(page);
    this.#hooks.loaded?.(page, { start, count: res.images.length, total, totalChanged, items: res.images });
  }

  /** Asks again for the pages that failed (and page 1 when nothing is known yet). */
  retry(): void {
    const pages = this.failedPages();
    this.#failed.clear();
    if (this.#count === null && !pages.includes(1)) void this.load(1);
    for (const p of pages) void this.load(p);
  }

  /**
   * Forgets everything (a new query, a new loader or page size): aborts the requests in flight, whose answers
   * are then dropped, and starts a new generation.
   */
  reset(pageSize = this.#size): void {
    this.#generation++;
    this.abortAll();
    this.#loaded.clear();
    this.#failed.clear();
    this.#list = [];
    this.#count = null;
    this.#size = Math.max(1, Math.floor(pageSize) || 1);
  }

  /** Aborts the requests in flight (the element left the page); their answers are dropped. */
  abortAll(): void {
    const pending = [...this.#loading.values()];
    this.#loading.clear();
    this.#generation++;
    for (const p of pending) p.abort.abort();
  }
}
