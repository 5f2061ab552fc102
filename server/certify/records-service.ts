import type {
  CertificateRecordItem,
  CertificateRecordPage,
  ImportOptionsRequest,
  ImportSummary,
  PutRecordRequest,
} from '../../core/api/certificates.ts';
import { type RecordField, buildRecord } from '../../core/certify.ts';
import { paginationInfo } from '../../core/index.ts';
import { ApiError, notFound, unprocessable } from '../http/errors.ts';
import type { EventRow } from '../store/types.ts';
import type { CertifyDeps } from './deps.ts';
import { bibKey, toItem } from './records.ts';
import { undrawableCharacters } from './glyph-coverage.ts';
import type { ImportInput } from './records-import.ts';
import type { RenderCache } from './render-cache.ts';

/** Largest records upload (CSV or JSON), bytes. A few hundred thousand rows are ~30 MB. */
export const RECORDS_MAX_BYTES = 100 * 1024 * 1024;

/** The event's participant records: imports of a results file, the list, and one record by hand. */
export class CertificateRecords {
  private readonly importing = new Set<number>();

  constructor(
    private readonly deps: CertifyDeps,
    private readonly cache: RenderCache,
  ) {}

  private get db() {
    return this.deps.store.certificates;
  }

  /**
   * Imports a results file (CSV or a JSON array), batch by batch (1,000 records, one transaction each):
   * bad rows are reported and skipped, good ones upserted by BIB. `replace` also removes the records the
   * file does not have, once it has been read to its end. The report is kept as the event's last import.
   */
  async importRecords(
    event: EventRow,
    input: ImportInput,
    opts: Partial<ImportOptionsRequest> & { format?: 'csv' | 'json' | 'auto' } = {},
  ): Promise<ImportSummary> {
    if (this.importing.has(event.id))
      throw new ApiError(409, 'Records are already being imported for this event: wait for that upload to finish');
    this.importing.add(event.id);
    const t0 = performance.now();
    try {
      const mode = opts.mode ?? 'upsert';
      const importId = mode === 'replace' ? await this.db.nextImportId(event.id) : undefined;
      const counts = { inserted: 0, updated: 0, unchanged: 0 };
      // The CSV and JSON parsers load with the first import, not at start (issue 20, restart).
      const { importRecords } = await import('./records-import.ts');
      const report = await importRecords(
        input,
        async (batch) => {
          const c = await this.db.upsertRecords(event.id, batch.records, importId);
          counts.inserted += c.inserted;
          counts.updated += c.updated;
          counts.unchanged += c.unchanged;
        },
        {
          format: opts.format ?? 'auto',
          mapping: opts.mapping,
          delimiter: opts.delimiter === 'tab' ? '\t' : opts.delimiter,
          undrawable: (text) => undrawableCharacters(text),
        },
      );
      const issues = [...report.errors];
      let removed = 0;
      if (importId !== undefined) {
        const unreadable = issues.some(
          (i) =>
            i.severity === 'error' &&
            ['invalid_file', 'malformed_row', 'empty_file', 'no_bib_column', 'unknown_column'].includes(i.code),
        );
        if (unreadable || report.stats.imported === 0) {
          issues.push({
            row: 0,
            column: null,
            code: 'invalid_file',
            problem: 'replace: no record was removed, because the file could not be read to its end or had no good row',
            severity: 'warning',
          });
        } else removed = await this.db.deleteRecordsNotSeen(event.id, importId);
      }
      const s = report.stats;
      const summary: ImportSummary = {
        at: new Date().toISOString(),
        format: s.format,
        encoding: s.encoding,
        delimiter: s.delimiter ?? null,
        mode,
        rows: s.rows,
        imported: s.imported,
        ...counts,
        removed,
        skipped: s.skipped,
        errors: s.errors,
        warnings: s.warnings + (issues.length - report.errors.length),
        issues_not_listed: s.issuesNotListed,
        columns: s.columns,
        extra_columns: s.extraColumns,
        issues,
        seconds: Math.round(performance.now() - t0) / 1000,
      };
      await this.db.setLastImport(event.id, summary);
      if (counts.updated + removed > 0) this.cache.scheduleSweep(event.id);
      this.deps.log.info('certificate records import', {
        event_id: event.id,
        rows: s.rows,
        inserted: counts.inserted,
        updated: counts.updated,
        unchanged: counts.unchanged,
        removed,
        skipped: s.skipped,
        seconds: summary.seconds,
      });
      return summary;
    } finally {
      this.importing.delete(event.id);
    }
  }

  /**
   * A records upload of the admin API: the import (its report is kept as the event's last import either way),
   * and 422 naming the first problems when no row could be imported.
   */
  async uploadRecords(
    event: EventRow,
    input: ImportInput,
    opts: Partial<ImportOptionsRequest> & { format?: 'csv' | 'json' | 'auto' } = {},
  ): Promise<ImportSummary> {
    const summary = await this.importRecords(event, input, opts);
    if (summary.imported > 0) return summary;
    const first = summary.issues
      .filter((i) => i.severity === 'error')
      .slice(0, 3)
      .map((i) => `row ${i.row}${i.column ? `, column ${i.column}` : ''}: ${i.problem}`);
    throw unprocessable(
      `No record imported: ${first.join('; ') || 'the file has no data rows'}${summary.errors > 3 ? ` (and ${summary.errors - 3} more)` : ''}. ` +
        'The full report is in GET …/certificates/records (last_import)',
    );
  }

  async listRecords(event: EventRow, page: number, pageSize: number, q?: string): Promise<CertificateRecordPage> {
    const { items, total } = await this.db.listRecords(event.id, { offset: (page - 1) * pageSize, limit: pageSize }, q);
    const state = await this.db.getState(event.id);
    return { records: items.map(toItem), pagination: paginationInfo(total, page, pageSize), last_import: state.last_import };
  }

  async record(event: EventRow, rawBib: string): Promise<CertificateRecordItem> {
    const row = await this.db.getRecord(event.id, bibKey(rawBib));
    if (!row) throw notFound(`No certificate record for BIB ${rawBib} in this event`);
    return toItem(row);
  }

  /** Adds or replaces one record by hand; validated like an import row. */
  async putRecord(
    event: EventRow,
    rawBib: string,
    req: PutRecordRequest,
  ): Promise<{ record: CertificateRecordItem; created: boolean }> {
    const bib = bibKey(rawBib);
    const values: Partial<Record<RecordField, string>> = {
      bib,
      name: req.name,
      first_name: req.first_name,
      last_name: req.last_name,
      category: req.category,
      gender: req.gender,
      finish_time: req.finish_time,
      rank: req.rank === undefined ? undefined : String(req.rank),
    };
    const built = buildRecord(values, req.extra ?? {});
    if (!built.ok) throw unprocessable(built.errors.map((e) => `${e.column}: ${e.problem}`).join('; '));
    const invalidRank = built.warnings.find((w) => w.code === 'invalid_rank');
    if (invalidRank) throw unprocessable(`rank: ${invalidRank.problem}`);
    const counts = await this.db.upsertRecords(event.id, [built.record]);
    if (counts.updated) this.cache.scheduleSweep(event.id);
    const row = await this.db.getRecord(event.id, bib);
    return { record: toItem(row!), created: counts.inserted === 1 };
  }

  async deleteRecord(event: EventRow, rawBib: string): Promise<void> {
    if (!(await this.db.deleteRecord(event.id, bibKey(rawBib))))
      throw notFound(`No certificate record for BIB ${rawBib} in this event`);
    this.cache.scheduleSweep(event.id);
  }
}
