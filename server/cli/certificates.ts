import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { AppDeps } from '../deps.ts';
import { CliError, EXIT } from './errors.ts';

export interface CertificatesImportOptions {
  file: string;
  eventId: number;
  /** Remove the records the file does not have (only when it was read to its end). */
  replace: boolean;
  json: boolean;
}

/** `photo-finish certificates import <file> --event N [--replace]`: the records upload of the admin API, from a file. */
export async function runCertificatesImport(deps: AppDeps, o: CertificatesImportOptions): Promise<number> {
  const event = await deps.store.events.get(o.eventId);
  if (!event) throw new CliError(EXIT.failed, `event ${o.eventId} not found (photo-finish event list --org N shows them)`);
  try {
    if (!(await stat(o.file)).isFile()) throw new Error('not a file');
  } catch {
    throw new CliError(EXIT.failed, `cannot read ${o.file}: give the path of a results CSV or JSON file`);
  }
  const service = deps.certificates;
  const summary = await service.importRecords(event, createReadStream(o.file), {
    mode: o.replace ? 'replace' : 'upsert',
    format: o.file.toLowerCase().endsWith('.json') ? 'json' : 'auto',
  });
  await service.settled(event.id);
  if (o.json) console.log(JSON.stringify(summary, null, 2));
  else {
    const lines = [
      `${summary.imported} records imported into event ${event.id} (${summary.inserted} new, ${summary.updated} updated, ` +
        `${summary.unchanged} unchanged)${summary.removed ? `, ${summary.removed} removed` : ''}; ` +
        `${summary.rows} rows read, ${summary.skipped} skipped, in ${summary.seconds} s`,
      ...summary.issues.map((i) => `  ${i.severity} row ${i.row}${i.column ? `, column ${i.column}` : ''}: ${i.problem}`),
    ];
    if (summary.issues_not_listed) lines.push(`  … and ${summary.issues_not_listed} more`);
    console.log(lines.join('\n'));
  }
  return summary.imported > 0 ? EXIT.ok : EXIT.failed;
}
