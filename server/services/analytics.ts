import { SEARCH_METHODS, type AnalyticsData, type AnalyticsQuery, type SearchMethod } from '../../core/api/analytics.ts';
import { unprocessable } from '../http/errors.ts';
import type { Logger } from '../log.ts';
import type { AnalyticsRow } from '../store/event-page-types.ts';
import type { EventRow, Store } from '../store/types.ts';

/**
 * Usage counters, per event, UTC day, source and metric. Nothing about a person is kept: no cookie is set, no
 * IP or user agent is stored, only counts. Searches, downloads and checkout are counted from the API calls
 * themselves; visits and shares are reported by the page (POST …/analytics) or counted when the hosted page is
 * served. The source is the page URL's `source` parameter (the widgets send it as `X-PF-Source`, or `referrer` when the page was reached from another site; the QR code's
 * link carries `source=qr`), `referrer` for a hosted page reached from another site, else `direct`.
 */

export type Metric = 'visit' | 'share' | 'download' | 'download_photos' | `search_${SearchMethod}` | `hit_${SearchMethod}`;

const SOURCE = /^[a-z0-9][a-z0-9_.-]{0,31}$/;

/** A source as counted: lower-case letters, digits, `_.-`, at most 32; anything else is `other`. */
export function cleanSource(raw: string | null | undefined): string {
  const s = (raw ?? '').trim().toLowerCase();
  if (!s) return 'direct';
  return SOURCE.test(s) ? s : 'other';
}

export const utcDay = (ms = Date.now()) => new Date(ms).toISOString().slice(0, 10);

const MAX_DAYS = 366;

/** How long counts wait in memory before they are written (a search or download never waits for a write). */
export const ANALYTICS_FLUSH_MS = 1000;
/** Distinct counters held at most before they are written at once. */
const MAX_PENDING = 2000;

interface PendingCount {
  eventId: number;
  day: string;
  source: string;
  metric: Metric;
  n: number;
}

export class Analytics {
  /** Counts not written yet, by event, day, source and metric: one upsert per counter per flush. */
  private pending = new Map<string, PendingCount>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
  ) {}

  /**
   * Adds to a counter. The count is kept in memory and written within ANALYTICS_FLUSH_MS with the others (one
   * upsert per counter), so the request that counts never waits on the database; a report writes them first. A
   * process that dies loses at most that second of counts; another replica's report sees them a second later.
   */
  record(eventId: number, source: string, metric: Metric, n = 1): Promise<void> {
    if (n <= 0) return Promise.resolve();
    const day = utcDay();
    const key = `${eventId}|${day}|${source}|${metric}`;
    const p = this.pending.get(key);
    if (p) p.n += n;
    else this.pending.set(key, { eventId, day, source, metric, n });
    if (this.pending.size >= MAX_PENDING) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), ANALYTICS_FLUSH_MS).unref();
    return Promise.resolve();
  }

  /** Writes the counts held in memory (a failure is logged, never an error for the participant). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    // One flush after another: a report waits for the writes before it.
    this.flushing = this.flushing.then(async () => {
      for (const c of batch) {
        try {
          await this.store.eventPage.count(c.eventId, c.day, c.source, c.metric, c.n);
        } catch (e) {
          this.log.warn('analytics: count failed', { event_id: c.eventId, metric: c.metric, error: String(e) });
        }
      }
    });
    return this.flushing;
  }

  /** A search by `method` from `source`; `hit` when it found something. */
  search(eventId: number, source: string, method: SearchMethod, hit: boolean): Promise<void> {
    return Promise.all([
      this.record(eventId, source, `search_${method}`),
      hit ? this.record(eventId, source, `hit_${method}`) : undefined,
    ]).then(() => undefined);
  }

  /** A download of `photos` photos (signed links or a ZIP) from `source`. */
  download(eventId: number, source: string, photos: number): Promise<void> {
    return Promise.all([this.record(eventId, source, 'download'), this.record(eventId, source, 'download_photos', photos)]).then(
      () => undefined,
    );
  }

  async report(event: EventRow, q: AnalyticsQuery, today = utcDay()): Promise<AnalyticsData> {
    await this.flush();
    const to = q.to ?? today;
    const from = q.from ?? utcDay(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000);
    const span = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
    if (span >= MAX_DAYS) throw unprocessable(`to: at most ${MAX_DAYS} days from from`);
    const rows = await this.store.eventPage.analytics(event.id, from, to);
    const orders = await this.store.eventPage.orderDays(event.id, from, to);

    const days: AnalyticsData['days'] = [];
    for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
      const date = utcDay(t);
      const o = orders.find((x) => x.day === date);
      days.push({ date, ...counts(rows.filter((r) => r.day === date)), orders: o?.created ?? 0, paid: o?.paid ?? 0 });
    }
    const sourceNames = [...new Set(rows.map((r) => r.source))].sort();
    const sources = sourceNames.map((source) => ({ source, ...counts(rows.filter((r) => r.source === source)) }));
    const total = counts(rows);
    const paid = orders.reduce((n, o) => n + o.paid, 0);
    return {
      from,
      to,
      totals: {
        ...total,
        orders: orders.reduce((n, o) => n + o.created, 0),
        paid,
        conversion: total.visits ? round(paid / total.visits) : null,
      },
      days,
      sources,
    };
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;

function counts(rows: AnalyticsRow[]) {
  const sum = (metric: string) => rows.reduce((n, r) => n + (r.metric === metric ? r.count : 0), 0);
  const searches = Object.fromEntries(
    SEARCH_METHODS.map((m) => {
      const s = sum(`search_${m}`);
      const h = sum(`hit_${m}`);
      return [m, { searches: s, hits: h, hit_rate: s ? round(h / s) : null }];
    }),
  ) as AnalyticsData['totals']['searches'];
  return {
    visits: sum('visit'),
    searches,
    downloads: sum('download'),
    downloaded_photos: sum('download_photos'),
    shares: sum('share'),
  };
}
