import type { BlobStore } from '../blobs/types.ts';
import type { Logger } from '../log.ts';
import type { EventRow, Store } from '../store/types.ts';

const BATCH = 16;

/**
 * "Refresh Image Cache": when an event's watermark changes its `watermark_version` goes up, and this service
 * re-renders, in the background, the thumbnails and previews of every photo drawn with an older version. The
 * old renditions stay in the store and keep being served until a photo's new ones are written: the swap is
 * one transaction per photo, after which the old files are deleted. New keys (`-w{version}`) mean no browser
 * or CDN keeps an old copy. One event at a time per process; a change during a run starts another pass; an
 * interrupted run resumes at the next start (`resume()`).
 */
export class RenditionRefresher {
  private readonly queue = new Set<number>();
  private running: Promise<void> | null = null;
  private closed = false;
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly deps: { store: Store; blobs: BlobStore; log: Logger }) {}

  /** Queues a re-render of the event's stale renditions. */
  schedule(eventId: number): void {
    if (this.closed) return;
    this.queue.add(eventId);
    this.running ??= this.drain().finally(() => {
      this.running = null;
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** Queues every event with stale renditions (after a restart, or the migration that watermarks thumbnails). */
  async resume(): Promise<void> {
    for (const id of await this.deps.store.eventPage.eventsWithStale()) this.schedule(id);
  }

  /** Resolves when nothing is queued or running (tests, the CLI). */
  idle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Photos of the event whose renditions are not yet drawn with its current watermark. */
  async pending(event: EventRow): Promise<number> {
    return this.deps.store.eventPage.countStale(event.id, event.watermark_version);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.queue.clear();
    await this.running;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const next = this.queue.values().next();
      if (next.done || this.closed) return;
      this.queue.delete(next.value);
      try {
        await this.refreshEvent(next.value);
      } catch (e) {
        this.deps.log.error('rendition refresh failed', { event_id: next.value, error: String(e) });
      }
    }
  }

  private async refreshEvent(eventId: number): Promise<void> {
    const { store, blobs, log } = this.deps;
    let done = 0;
    let failed = 0;
    let after = '';
    for (;;) {
      if (this.closed) return;
      // Re-read the event each batch: a newer watermark makes the rest of the pass draw the newest one.
      const event = await store.events.get(eventId);
      if (!event) return;
      const stale = await store.eventPage.staleImages(eventId, event.watermark_version, after, BATCH);
      if (stale.length === 0) break;
      // sharp and the renderer load when there is something to draw, not at start (issue 20, restart).
      const [{ default: sharp }, { MAX_INPUT_PIXELS, renderRenditions }, { eventOverlay }] = await Promise.all([
        import('sharp'),
        import('../ingest/renditions.ts'),
        import('../ingest/watermark.ts'),
      ]);
      const overlay = eventOverlay(event, blobs);
      for (const img of stale) {
        after = img.id;
        if (this.closed) return;
        try {
          const data = await blobs.get(img.original_key);
          if (!data) throw new Error('original missing');
          const rotated = sharp(data, { limitInputPixels: MAX_INPUT_PIXELS }).rotate();
          const size = { width: img.width, height: img.height };
          const rendered = await renderRenditions(img.id, rotated, size, overlay, event.watermark_version);
          for (const r of rendered) await blobs.put(r.blob_key, r.data);
          const old = await store.eventPage.replaceRenditions(
            img.id,
            rendered.map(({ data: d, ...r }) => ({ ...r, bytes: d.length })),
          );
          if (old === false) {
            // Deleted meanwhile: its new files are orphans.
            await Promise.all(rendered.map((r) => blobs.delete(r.blob_key).catch(() => undefined)));
            continue;
          }
          await Promise.all(old.map((k) => blobs.delete(k).catch(() => undefined)));
          done++;
        } catch (e) {
          failed++;
          log.warn('rendition refresh: photo skipped', { event_id: eventId, image_id: img.id, error: String(e) });
        }
      }
    }
    // Photos that failed stay stale; the pass ends (a later change or restart tries them again).
    log.info('renditions refreshed', { event_id: eventId, photos: done, failed });
  }
}
