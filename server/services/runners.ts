import type { RunnersImport } from '../../core/api/event-page.ts';
import type { ImportIssue } from '../../core/certify.ts';
import { NAMES_MAX, type NamesData } from '../../core/index.ts';
import { foldName, nameTerms } from '../../core/names.ts';
import { readRecordBatches, type ImportInput } from '../certify/records-import.ts';
import { unprocessable } from '../http/errors.ts';
import type { RunnerRow } from '../store/event-page-types.ts';
import type { EventRow, Store } from '../store/types.ts';

/**
 * Name search: runners from the results (certificate records, which hold bib and name) and from a registration
 * list (bib, name) uploaded by the organiser. Accent-, case- and punctuation-insensitive; every word typed must
 * occur in the name (partial words match); several runners sharing a name all come back, so the widget offers a choice.
 */

export const NAME_QUERY_MIN = 2;
const MAX_LISTED_PROBLEMS = 1000;

export async function searchNames({ store }: { store: Store }, event: EventRow, q: string): Promise<NamesData> {
  const terms = nameTerms(q);
  if (terms.join('').length < NAME_QUERY_MIN) throw unprocessable(`q: type at least ${NAME_QUERY_MIN} letters of a name`);
  return { runners: await store.eventPage.searchNames(event.id, terms, NAMES_MAX) };
}

/**
 * Imports a registration CSV (columns bib and name, or first and last name; separator and encoding detected),
 * streamed in batches of 1,000. A broken row (no bib, an invalid bib, no name, a duplicate bib) is reported and
 * skipped, never fatal. `replace` (default): runners not in the file are removed once it is read to its end.
 */
export async function importRunners(
  { store }: { store: Store },
  event: EventRow,
  input: ImportInput,
  mode: 'replace' | 'append',
): Promise<RunnersImport> {
  const importId = await store.eventPage.nextRunnersImport(event.id);
  const problems: ImportIssue[] = [];
  let imported = 0;
  let skippedNoName = 0;
  let stats: { rows: number; skipped: number; encoding: string } | null = null;
  const note = (issue: ImportIssue) => {
    if (problems.length < MAX_LISTED_PROBLEMS) problems.push(issue);
  };
  for await (const batch of readRecordBatches(input, { format: 'csv' })) {
    for (const issue of batch.errors) {
      // The certificate import's "no name" warning is an error here: a runner without a name cannot be found.
      if (issue.code === 'missing_name')
        note({ ...issue, severity: 'error', problem: 'no name: the runner cannot be found by name' });
      else note(issue);
    }
    const rows: RunnerRow[] = [];
    for (const r of batch.records) {
      if (!r.name.trim()) {
        skippedNoName++;
        continue;
      }
      rows.push({ bib: r.bib, bib_norm: r.bib, name: r.name, name_key: foldName(r.name) });
    }
    if (rows.length) await store.eventPage.putRunners(event.id, importId, rows);
    imported += rows.length;
    stats = { rows: batch.stats.rows, skipped: batch.stats.skipped, encoding: batch.stats.encoding };
  }
  if (!stats) throw unprocessable('file: empty');
  if (imported === 0) {
    const first = problems.find((p) => p.severity === 'error');
    throw unprocessable(
      `file: no runner could be imported${first ? ` (row ${first.row}: ${first.problem})` : ''}; a registration CSV needs the columns bib and name`,
    );
  }
  const runners = await store.eventPage.finishRunners(event.id, importId, mode === 'replace');
  return {
    rows: stats.rows,
    imported,
    skipped: stats.skipped + skippedNoName,
    runners,
    mode,
    encoding: stats.encoding,
    problems,
  };
}
