// Unit tests of the gallery's paged result set (widgets/pf-gallery/result-set.ts): a fake loader, no server.
import { expect } from '@open-wc/testing';
import { ResultSet, type ResultPage, type ResultSetHooks } from '../../../widgets/pf-gallery/result-set.ts';

interface Call {
  page: number;
  size: number;
  signal: AbortSignal;
  resolve(total?: number): void;
  reject(e: Error): void;
}

/** A loader whose answers the test releases by hand; items are `p<page>-<k>`. */
function manualLoader(total: number) {
  const calls: Call[] = [];
  const load = (page: number, size: number, signal: AbortSignal) =>
    new Promise<ResultPage<string>>((resolve, reject) => {
      calls.push({
        page,
        size,
        signal,
        resolve: (t = total) => {
          const start = (page - 1) * size;
          const n = Math.max(0, Math.min(size, t - start));
          resolve({ images: Array.from({ length: n }, (_, k) => `p${page}-${k}`), pagination: { total: t } });
        },
        reject,
      });
    });
  return { calls, load };
}

/** Records the hooks in order. */
function recorder() {
  const log: string[] = [];
  const hooks: ResultSetHooks<string> = {
    started: (p) => log.push(`started ${p}`),
    loaded: (p, i) => log.push(`loaded ${p} ${i.start}+${i.count}/${i.total}${i.totalChanged ? ' new-total' : ''}`),
    failed: (p, e) => log.push(`failed ${p} ${(e as Error).message}`),
    settled: (p) => log.push(`settled ${p}`),
  };
  return { log, hooks };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('ResultSet', () => {
  it('starts empty: no total, no items, page 1 next', () => {
    const set = new ResultSet<string>(10, manualLoader(0).load);
    expect(set.total).to.equal(null);
    expect(set.items).to.have.length(0);
    expect(set.at(0)).to.equal(undefined);
    expect(set.nextPage()).to.equal(1);
    expect(set.loadedPrefix()).to.equal(0);
    expect(set.loadingCount).to.equal(0);
  });

  it('maps positions to 1-based pages', () => {
    const set = new ResultSet<string>(10, manualLoader(0).load);
    expect([0, 9, 10, 19, 20, 95].map((i) => set.pageOf(i))).to.deep.equal([1, 1, 2, 2, 3, 10]);
  });

  it('stores a page in the sparse array at its position, sized to the total', async () => {
    const { calls, load } = manualLoader(25);
    const { log, hooks } = recorder();
    const set = new ResultSet<string>(10, load, hooks);
    const done = set.load(2);
    expect(set.isLoading(2)).to.equal(true);
    expect(set.loadingCount).to.equal(1);
    expect(calls.map((c) => [c.page, c.size])).to.deep.equal([[2, 10]]);
    calls[0]!.resolve();
    await done;
    expect(set.total).to.equal(25);
    expect(set.items).to.have.length(25);
    expect(set.at(9)).to.equal(undefined);
    expect(set.at(10)).to.equal('p2-0');
    expect(set.at(19)).to.equal('p2-9');
    expect(set.at(20)).to.equal(undefined);
    expect(set.isLoaded(2)).to.equal(true);
    expect(set.isLoading(2)).to.equal(false);
    expect(log).to.deep.equal(['started 2', 'loaded 2 10+10/25 new-total', 'settled 2']);
  });

  it('asks once for a page however many callers ask while it is in flight, and never for a loaded page', async () => {
    const { calls, load } = manualLoader(30);
    const set = new ResultSet<string>(10, load);
    const a = set.load(1);
    const b = set.load(1);
    const c = set.load(1);
    expect(calls).to.have.length(1);
    let settled = 0;
    void Promise.all([a, b, c]).then(() => settled++);
    await tick();
    expect(settled).to.equal(0); // every caller waits for the one request
    calls[0]!.resolve();
    await Promise.all([a, b, c]);
    await tick();
    expect(settled).to.equal(1);
    expect(set.at(0)).to.equal('p1-0');
    await set.load(1);
    expect(calls).to.have.length(1);
  });

  it('loads pages independently and in any order; the last page may be short', async () => {
    const { calls, load } = manualLoader(25);
    const set = new ResultSet<string>(10, load);
    const p3 = set.load(3);
    const p1 = set.load(1);
    expect(set.loadingCount).to.equal(2);
    calls[1]!.resolve();
    await p1;
    expect(set.at(0)).to.equal('p1-0');
    expect(set.isLoading(3)).to.equal(true);
    calls[0]!.resolve();
    await p3;
    expect(set.at(24)).to.equal('p3-4');
    expect(set.items.filter(Boolean)).to.have.length(15);
  });

  it('knows which pages exist once the total is known', async () => {
    const { calls, load } = manualLoader(25);
    const set = new ResultSet<string>(10, load);
    expect(set.exists(7)).to.equal(true); // unknown total: any page may exist
    const p = set.load(1);
    calls[0]!.resolve();
    await p;
    expect([0, 1, 3, 4].map((n) => set.exists(n))).to.deep.equal([false, true, true, false]);
    await set.load(4); // past the end: no request
    expect(calls).to.have.length(1);
  });

  it('nextPage and loadedPrefix follow the pages loaded without a gap (paging="button")', async () => {
    const { calls, load } = manualLoader(25);
    const set = new ResultSet<string>(10, load);
    const p1 = set.load(1);
    calls[0]!.resolve();
    await p1;
    expect(set.nextPage()).to.equal(2);
    expect(set.loadedPrefix()).to.equal(10);
    const p3 = set.load(3);
    calls[1]!.resolve();
    await p3;
    // Page 2 is still missing: the prefix stops at it.
    expect(set.nextPage()).to.equal(2);
    expect(set.loadedPrefix()).to.equal(10);
    const p2 = set.load(2);
    calls[2]!.resolve();
    await p2;
    expect(set.loadedPrefix()).to.equal(25);
    expect(set.nextPage()).to.equal(null);
  });

  it('an empty result set has nothing more to load', async () => {
    const { calls, load } = manualLoader(0);
    const set = new ResultSet<string>(10, load);
    const p = set.load(1);
    calls[0]!.resolve();
    await p;
    expect(set.total).to.equal(0);
    expect(set.nextPage()).to.equal(null);
    expect(set.loadedPrefix()).to.equal(0);
  });

  it('a failed page is remembered, reported once, and asked again only by retry() or load()', async () => {
    const { calls, load } = manualLoader(30);
    const { log, hooks } = recorder();
    const set = new ResultSet<string>(10, load, hooks);
    const p1 = set.load(1);
    calls[0]!.resolve();
    await p1;
    const p2 = set.load(2);
    calls[1]!.reject(new Error('HTTP 500'));
    await p2; // never rejects
    expect(set.hasFailed(2)).to.equal(true);
    expect(set.failedPages()).to.deep.equal([2]);
    expect(set.isLoading(2)).to.equal(false);
    expect(log.slice(-2)).to.deep.equal(['failed 2 HTTP 500', 'settled 2']);
    set.retry();
    expect(calls.map((c) => c.page)).to.deep.equal([1, 2, 2]);
    expect(set.hasFailed(2)).to.equal(false);
    calls[2]!.resolve();
    await set.load(2);
    expect(set.at(19)).to.equal('p2-9');
  });

  it('retry() with nothing known asks for page 1', async () => {
    const { calls, load } = manualLoader(30);
    const set = new ResultSet<string>(10, load);
    const p = set.load(1);
    calls[0]!.reject(new Error('offline'));
    await p;
    set.retry();
    expect(calls.map((c) => c.page)).to.deep.equal([1, 1]);
  });

  it('reset() aborts the requests in flight and drops their late answers', async () => {
    const { calls, load } = manualLoader(30);
    const { log, hooks } = recorder();
    const set = new ResultSet<string>(10, load, hooks);
    const p1 = set.load(1);
    calls[0]!.resolve();
    await p1;
    const p2 = set.load(2);
    set.reset();
    expect(calls[1]!.signal.aborted).to.equal(true);
    expect(set.total).to.equal(null);
    expect(set.items).to.have.length(0);
    expect(set.isLoaded(1)).to.equal(false);
    expect(set.loadingCount).to.equal(0);
    // The old request answers anyway (a loader that ignores its signal): nothing is stored, no hook fires.
    const before = log.length;
    calls[1]!.resolve();
    await p2;
    expect(set.at(10)).to.equal(undefined);
    expect(log.length).to.equal(before);
    // The new generation loads afresh, with the new page size.
    set.reset(5);
    const again = set.load(1);
    expect(calls[2]!.size).to.equal(5);
    calls[2]!.resolve();
    await again;
    expect(set.at(4)).to.equal('p1-4');
    expect(set.pageOf(5)).to.equal(2);
  });

  it('an aborted request is not reported as a failure', async () => {
    const { calls, load } = manualLoader(30);
    const { log, hooks } = recorder();
    const set = new ResultSet<string>(10, load, hooks);
    const p = set.load(1);
    set.abortAll();
    calls[0]!.reject(new DOMException('aborted', 'AbortError'));
    await p;
    expect(set.hasFailed(1)).to.equal(false);
    expect(log).to.deep.equal(['started 1']);
    // Not loaded and not loading: asked again when needed.
    void set.load(1);
    expect(calls).to.have.length(2);
  });

  it('a total that changes resizes the array and says so; the same total is not news', async () => {
    const { calls, load } = manualLoader(30);
    const { log, hooks } = recorder();
    const set = new ResultSet<string>(10, load, hooks);
    for (const [i, total] of [30, 30, 12].entries()) {
      const p = set.load(i + 1);
      calls[i]!.resolve(total); // photos were removed before page 3 was asked for
      await p;
    }
    expect(log.filter((l) => l.startsWith('loaded'))).to.deep.equal([
      'loaded 1 0+10/30 new-total',
      'loaded 2 10+10/30',
      'loaded 3 20+0/12 new-total',
    ]);
    expect(set.total).to.equal(12);
    expect(set.items).to.have.length(12);
    expect(set.at(11)).to.equal('p2-1');
    expect(set.at(12)).to.equal(undefined);
  });
});
