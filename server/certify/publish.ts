import type { CertificateStatus, PublicCertificate, SetupStep } from '../../core/api/certificates.ts';
import { ApiError, forbidden, notFound } from '../http/errors.ts';
import { DEFAULT_URL_TTL_SECONDS } from '../services/signing.ts';
import type { CertificateFormatName, CertificateStore, CertificateTemplateRow } from '../store/certify-types.ts';
import type { EventRow } from '../store/types.ts';
import type { CertifyDeps } from './deps.ts';
import { certificateFilename, certificatePath } from './paths.ts';
import { bibKey } from './records.ts';
import type { CertificateRenderer } from './renderer.ts';

/** The template of an event whose certificates are published (403 when they are not). */
export async function publishedTemplate(store: CertificateStore, event: EventRow): Promise<CertificateTemplateRow> {
  const state = await store.getState(event.id);
  const template = state.published ? await store.getTemplate(event.id) : null;
  if (!template) throw forbidden('Certificates are not published for this event yet');
  return template;
}

/** Setup and publishing (admin), and what a participant looks up by BIB: the record and signed download links. */
export class CertificatePublishing {
  constructor(
    private readonly deps: CertifyDeps,
    private readonly renderer: CertificateRenderer,
  ) {}

  private get db() {
    return this.deps.store.certificates;
  }

  async status(event: EventRow): Promise<CertificateStatus> {
    const [template, state, records] = await Promise.all([
      this.db.getTemplate(event.id),
      this.db.getState(event.id),
      this.db.countRecords(event.id),
    ]);
    const last = state.last_import;
    const missing: SetupStep[] = [];
    // Records typed by hand count as a data source too (the "self-managed" source).
    if (!last && records === 0) missing.push('data_source');
    if (!template) missing.push('template');
    if (records === 0) missing.push('records');
    return {
      event_id: event.id,
      published: state.published,
      published_at: state.published_at,
      setup_complete: missing.length === 0,
      missing,
      template: template
        ? { version: template.version, name: template.template.name, source: template.source, updated_at: template.updated_at }
        : null,
      records,
      data_source: last
        ? { kind: 'upload', last_import_at: last.at, format: last.format, rows: last.rows, errors: last.errors }
        : null,
    };
  }

  async setPublished(event: EventRow, published: boolean): Promise<CertificateStatus> {
    if (published) {
      const status = await this.status(event);
      if (!status.setup_complete) {
        const what: Record<SetupStep, string> = {
          data_source: 'upload the results file (POST …/certificates/records)',
          template: 'choose a template (PUT …/certificates/template)',
          records: 'import at least one participant record',
        };
        throw new ApiError(409, `Certificates cannot be published yet: ${status.missing.map((m) => what[m]).join('; ')}`);
      }
    }
    await this.db.setPublished(event.id, published);
    return this.status(event);
  }

  /** What a participant sees for their BIB: the record summary and signed PNG/PDF links (about an hour). */
  async publicCertificate(event: EventRow, rawBib: string, base: string): Promise<PublicCertificate> {
    const bib = bibKey(rawBib);
    const template = await publishedTemplate(this.db, event);
    const row = await this.db.findRecord(event.id, bib);
    if (!row) throw notFound(`No certificate for BIB ${rawBib.trim()} in this event: check the number on your bib`);
    this.renderer.warm(); // the image download usually follows
    const r = row.record;
    const link = (format: CertificateFormatName) => {
      const path = certificatePath(event.id, r.bib, format);
      const q = this.deps.signer.sign(path, DEFAULT_URL_TTL_SECONDS);
      return { url: `${base}${path}?${q}`, exp: Number(new URLSearchParams(q).get('exp')) };
    };
    const png = link('png');
    const pdf = link('pdf');
    return {
      bib: r.bib,
      name: r.name,
      first_name: r.first_name ?? null,
      last_name: r.last_name ?? null,
      category: r.category ?? null,
      gender: r.gender ?? null,
      finish_time: r.finish_time ?? null,
      rank: r.rank ?? null,
      event_name: event.name,
      width: Math.round(template.template.width),
      height: Math.round(template.template.height),
      png_url: png.url,
      pdf_url: pdf.url,
      png_filename: certificateFilename(event, r.bib, 'png'),
      pdf_filename: certificateFilename(event, r.bib, 'pdf'),
      expires_at: new Date(Math.min(png.exp, pdf.exp) * 1000).toISOString(),
    };
  }
}
