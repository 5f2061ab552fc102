import { createHash } from 'node:crypto';
import type { BuiltinTemplateItem, EventTemplate, PutTemplateRequest } from '../../core/api/certificates.ts';
import type { CertificateTemplate } from '../../core/certify.ts';
import { ApiError, notFound, unprocessable } from '../http/errors.ts';
import type { CertificateTemplateRow } from '../store/certify-types.ts';
import type { EventRow } from '../store/types.ts';
import type { CertificateFormat } from './cache-key.ts';
import type { CertifyDeps } from './deps.ts';
import { backgroundPrefix } from './paths.ts';
import { SAMPLE_RECORD, bibKey } from './records.ts';
import type { RenderCache } from './render-cache.ts';
import { type CertificateRenderer, eventContext } from './renderer.ts';
import { BUILTIN_BACKGROUND_NAMES, getBuiltinTemplate, listBuiltinTemplates } from './templates/index.ts';

export const BACKGROUND_MAX_BYTES = 15 * 1024 * 1024;
const BACKGROUND_MAX_SIDE = 8000;

/** The event's template: built-in designs, a custom JSON, an uploaded background, and previews of it. */
export class CertificateTemplates {
  constructor(
    private readonly deps: CertifyDeps,
    private readonly renderer: CertificateRenderer,
    private readonly cache: RenderCache,
  ) {}

  private get db() {
    return this.deps.store.certificates;
  }

  builtins(): BuiltinTemplateItem[] {
    return listBuiltinTemplates().map(({ id, name, description, accent, template }) => ({
      id,
      name,
      description,
      accent,
      template,
    }));
  }

  private toEventTemplate(row: CertificateTemplateRow): EventTemplate {
    return {
      version: row.version,
      source: row.source,
      background_image: row.template.background.kind === 'blob',
      template: row.template,
      updated_at: row.updated_at,
    };
  }

  async template(event: EventRow): Promise<EventTemplate> {
    const row = await this.db.getTemplate(event.id);
    if (!row) throw notFound('This event has no certificate template yet: PUT one to …/certificates/template');
    return this.toEventTemplate(row);
  }

  /** A template from a request (built-in + accent, or a whole JSON), checked against what this event may use. */
  async resolveTemplate(event: EventRow, req: PutTemplateRequest): Promise<{ template: CertificateTemplate; source: string }> {
    if (req.builtin !== undefined) {
      const template = getBuiltinTemplate(req.builtin, { accent: req.accent });
      if (!template) {
        const ids = this.builtins().map((b) => b.id.replace(/^builtin:/, ''));
        throw unprocessable(`builtin: unknown built-in template "${req.builtin}"; use one of ${ids.join(', ')}`);
      }
      return { template, source: `builtin:${req.builtin.replace(/^builtin:/, '')}` };
    }
    const template = req.template!;
    const bg = template.background;
    if (bg.kind === 'builtin' && !BUILTIN_BACKGROUND_NAMES.includes(bg.name)) {
      throw unprocessable(
        `template.background.name: unknown built-in background "${bg.name}"; use one of ${BUILTIN_BACKGROUND_NAMES.join(', ')}`,
      );
    }
    if (bg.kind === 'blob') {
      if (!bg.key.startsWith(backgroundPrefix(event.id)) || !(await this.deps.blobs.stat(bg.key))) {
        throw unprocessable(
          'template.background.key: not a background of this event; upload the image with PUT …/certificates/template/background',
        );
      }
    }
    return { template, source: 'custom' };
  }

  async putTemplate(event: EventRow, req: PutTemplateRequest): Promise<{ template: EventTemplate; changed: boolean }> {
    const { template, source } = await this.resolveTemplate(event, req);
    const { row, changed } = await this.db.putTemplate(event.id, template, source);
    if (changed) this.cache.scheduleSweep(event.id);
    return { template: this.toEventTemplate(row), changed };
  }

  /** Sets an uploaded PNG or JPEG as the template's background (scaled to the page with `fit`). */
  async setBackground(event: EventRow, data: Buffer, fit: 'cover' | 'contain' | 'fill' = 'cover'): Promise<EventTemplate> {
    const current = await this.db.getTemplate(event.id);
    if (!current)
      throw new ApiError(
        409,
        'This event has no certificate template yet: PUT …/certificates/template first, then its background',
      );
    if (data.length === 0) throw unprocessable('file: the background file is empty');
    if (data.length > BACKGROUND_MAX_BYTES)
      throw unprocessable(`file: the background must be at most ${BACKGROUND_MAX_BYTES / 1024 / 1024} MiB`);
    let format: string | undefined;
    const { default: sharp } = await import('sharp'); // on first use, not at start (issue 20, restart)
    try {
      const meta = await sharp(data, { failOn: 'error' }).metadata();
      format = meta.format;
      if ((meta.width ?? 0) > BACKGROUND_MAX_SIDE || (meta.height ?? 0) > BACKGROUND_MAX_SIDE)
        throw unprocessable(`file: the background must be at most ${BACKGROUND_MAX_SIDE}×${BACKGROUND_MAX_SIDE} pixels`);
      if (format === 'png' || format === 'jpeg') await sharp(data, { failOn: 'error' }).resize(16, 16).raw().toBuffer();
    } catch (e) {
      if (e instanceof ApiError) throw e;
      throw unprocessable('file: the background is not a readable PNG or JPEG image');
    }
    if (format !== 'png' && format !== 'jpeg')
      throw unprocessable(`file: the background must be a PNG or JPEG image, not ${format ?? 'this format'}`);
    const key = `${backgroundPrefix(event.id)}${createHash('sha256').update(data).digest('hex').slice(0, 20)}.${format === 'png' ? 'png' : 'jpg'}`;
    await this.deps.blobs.put(key, data);
    const template: CertificateTemplate = { ...current.template, background: { kind: 'blob', key, fit } };
    const { row, changed } = await this.db.putTemplate(event.id, template, current.source);
    if (changed) {
      this.cache.scheduleSweep(event.id);
      await this.dropOldBackground(current.template, key);
    }
    return this.toEventTemplate(row);
  }

  /** Goes back to the built-in background of the template's design (`plain` for a custom one). */
  async clearBackground(event: EventRow): Promise<EventTemplate> {
    const current = await this.db.getTemplate(event.id);
    if (!current) throw notFound('This event has no certificate template yet');
    if (current.template.background.kind !== 'blob') return this.toEventTemplate(current);
    const base = current.source.startsWith('builtin:') ? current.source.slice(8) : 'plain';
    const builtin = getBuiltinTemplate(base);
    const background: CertificateTemplate['background'] =
      builtin?.background.kind === 'builtin' ? builtin.background : { kind: 'builtin', name: 'plain' };
    const { row } = await this.db.putTemplate(event.id, { ...current.template, background }, current.source);
    this.cache.scheduleSweep(event.id);
    await this.dropOldBackground(current.template, null);
    return this.toEventTemplate(row);
  }

  private async dropOldBackground(old: CertificateTemplate, keep: string | null) {
    if (old.background.kind !== 'blob' || old.background.key === keep) return;
    try {
      await this.deps.blobs.delete(old.background.key);
    } catch (e) {
      this.deps.log.warn('certificate background delete failed', { key: old.background.key, error: String(e) });
    }
  }

  /**
   * A certificate of the saved template (or of `request`, an unsaved one) for the sample record or a
   * record of the event; nothing is cached.
   */
  async preview(
    event: EventRow,
    opts: { bib?: string; format: CertificateFormat; scale?: number; request?: PutTemplateRequest },
  ): Promise<Buffer> {
    const template = opts.request
      ? (await this.resolveTemplate(event, opts.request)).template
      : (await this.db.getTemplate(event.id))?.template;
    if (!template) throw notFound('This event has no certificate template yet: PUT one to …/certificates/template');
    let record = SAMPLE_RECORD;
    if (opts.bib !== undefined) {
      const row = await this.db.findRecord(event.id, bibKey(opts.bib));
      if (!row) throw notFound(`No certificate record for BIB ${opts.bib} in this event`);
      record = row.record;
    }
    return this.renderer.render(template, record, eventContext(event), opts.format, opts.scale);
  }
}
