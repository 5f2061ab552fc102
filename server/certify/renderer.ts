import {
  pageSizeProblem,
  type CertificateContext,
  type CertificateRecord,
  type CertificateTemplate,
} from '../../core/certify.ts';
import { ApiError } from '../http/errors.ts';
import type { EventRow } from '../store/types.ts';
import type { CertificateFormat } from './cache-key.ts';
import type { CertifyDeps } from './deps.ts';
import { RenderPool } from './render-pool.ts';

/** Renders at once (CPU bound: one per core) and waiting before new ones are refused with 503. */
const RENDER_CONCURRENCY = 2;
const RENDER_QUEUE_MAX = 64;

/** Event values for `{event}`, `{event_date}` placeholders: the name and the date as "22 November 2026". */
export function eventContext(event: Pick<EventRow, 'name' | 'event_date'>): CertificateContext {
  const ctx: CertificateContext = { event_name: event.name };
  const m = event.event_date ? /^(\d{4})-(\d{2})-(\d{2})/.exec(event.event_date) : null;
  if (m) {
    ctx.event_date = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
      Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])),
    );
  }
  return ctx;
}

/** A small counting semaphore with a bounded wait list. */
class RenderQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(
    private readonly max: number,
    private readonly maxWaiting: number,
  ) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) {
      if (this.waiting.length >= this.maxWaiting)
        throw new ApiError(503, 'Too many certificates are being made right now: retry in a few seconds', { 'Retry-After': '5' });
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.running++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

/** Draws certificates: on the render threads, in-process when they cannot start, with a bounded queue. */
/** The largest PNG drawn (a preview at a scale): 24 megapixels. */
const PNG_MAX_PIXELS = 24_000_000;

export class CertificateRenderer {
  private readonly renders = new RenderQueue(RENDER_CONCURRENCY, RENDER_QUEUE_MAX);
  private readonly pool = new RenderPool(RENDER_CONCURRENCY);

  constructor(private readonly deps: CertifyDeps) {}

  /** Where renders run: threads started, and whether the pool fell back to the server's own thread. */
  get stats(): { threads: number; inProcess: boolean } {
    return { threads: this.pool.threads, inProcess: this.pool.unavailable !== null };
  }

  /** Starts a render thread ahead of the first render, when none runs. */
  warm(): void {
    this.pool.warm();
  }

  /**
   * Renders on the pool's threads (in-process when they cannot start), at most RENDER_CONCURRENCY at once
   * and RENDER_QUEUE_MAX waiting (then 503).
   */
  async render(
    template: CertificateTemplate,
    record: CertificateRecord,
    context: CertificateContext,
    format: CertificateFormat,
    scale?: number,
  ): Promise<Buffer> {
    // A template saved before the page-size cap, or a preview scale too large for the page: refused up front.
    const problem = pageSizeProblem(template.width, template.height);
    if (problem) throw new ApiError(422, `The certificate template is too large to render: ${problem}; save a smaller one`);
    const pixels = template.width * template.height * (scale ?? 1) ** 2;
    if (format === 'png' && pixels > PNG_MAX_PIXELS)
      throw new ApiError(
        422,
        `scale: a ${template.width} × ${template.height} px page is at most ${Math.floor(Math.sqrt(PNG_MAX_PIXELS / (template.width * template.height)) * 100) / 100} times its size`,
      );
    return this.renders
      .run(async () => this.renderNow(template, record, context, format, scale))
      .catch((e: unknown) => {
        if (e instanceof ApiError) throw e;
        // A render that fails is a clear 500 with what went wrong, logged once; never an unhandled error.
        this.deps.log.error('certificate render failed', { format, error: String(e) });
        throw new ApiError(500, `The certificate could not be rendered (${(e as Error).message ?? String(e)}): try again later`);
      });
  }

  private async renderNow(
    template: CertificateTemplate,
    record: CertificateRecord,
    context: CertificateContext,
    format: CertificateFormat,
    scale?: number,
  ): Promise<Buffer> {
    const bg = template.background;
    if (!this.pool.unavailable) {
      const bytes = bg.kind === 'blob' ? await this.deps.blobs.get(bg.key) : null;
      const background = bg.kind === 'blob' && bytes ? { key: bg.key, bytes: new Uint8Array(bytes) } : null;
      try {
        return await this.pool.render({ template, record, context, format, scale, background });
      } catch (e) {
        if (!this.pool.unavailable) throw e;
        this.deps.log.warn('certificate render threads unavailable: rendering in-process', { error: String(e) });
      }
    }
    // In-process fallback: the renderer (pdf-lib, fontkit) loads only here, never at start.
    const { renderCertificate } = await import('./render.ts');
    return renderCertificate(template, record, context, format, { scale, loadBlob: (k) => this.deps.blobs.get(k) });
  }

  /** Ends the render threads. */
  close(): Promise<void> {
    return this.pool.close();
  }
}
