import { z } from 'zod';
import { ImportIssue } from '../certify.ts';

/** Admin `PUT …/events/{event_id}/runners`: what a registration CSV (bib, name) import did. */
export const RunnersImport = z.object({
  /** Data rows read (the header is not counted). */
  rows: z.number().int().nonnegative(),
  imported: z.number().int().nonnegative(),
  /** Rows left out (each reported in `problems`, up to 1,000 listed). */
  skipped: z.number().int().nonnegative(),
  /** Runners in the event's registration list after the import. */
  runners: z.number().int().nonnegative(),
  /** `replace`: the list is the file; `append`: the file's runners were added to (or updated in) the list. */
  mode: z.enum(['replace', 'append']),
  encoding: z.string(),
  problems: z.array(ImportIssue),
});
export type RunnersImport = z.infer<typeof RunnersImport>;
