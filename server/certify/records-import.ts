/**
 * Results import for certificates: CSV (any of `,` `;` tab `|`, detected from the header line) or a
 * JSON array of objects, streamed and handed out in batches so a file of a few hundred thousand
 * rows never sits in memory whole. Each row is validated on its own; bad rows are reported (row,
 * column, problem) and skipped, good rows go on.
 *
 *   const report = await importRecords(req.body, (b) => store.upsertCertificateRecords(eventId, b.records));
 *
 * Encoding: UTF-8 (with or without BOM), UTF-16 with BOM (Excel "Unicode text"), and files that
 * are not valid UTF-8 are read as Windows-1252 (Excel "CSV" on Western-European Windows).
 */
import { Readable, pipeline } from 'node:stream';
import { JSONParser } from '@streamparser/json';
import { type Info, parse } from 'csv-parse';
import {
  type CertificateRecord,
  type ColumnMapping,
  type FieldHeaders,
  type ImportIssue,
  type ImportReport,
  type ImportStats,
  RECORD_FIELDS,
  type RecordBatch,
  type RecordField,
  buildRecord,
  mapHeaders,
} from '../../core/certify.ts';

export type ImportInput =
  string | Uint8Array | NodeJS.ReadableStream | AsyncIterable<Uint8Array | string> | ReadableStream<Uint8Array>;

export interface ImportOptions {
  /** Default `auto`: JSON when the content starts with `[`, CSV otherwise. */
  format?: 'csv' | 'json' | 'auto';
  /** Record field → header in the file; overrides the automatic mapping. */
  mapping?: ColumnMapping;
  /** CSV separator; detected from the header line when not given. */
  delimiter?: string;
  /** Records per batch. Default 1000. */
  batchSize?: number;
  /** Issues listed in full (all are counted). Default 1000. */
  maxIssues?: number;
  signal?: AbortSignal;
  /**
   * The characters of a text no certificate font can draw (`glyph-coverage.ts`). Given, each imported value
   * holding some gets an `undrawable_character` warning: the row is kept, and the organiser can fix the name.
   */
  undrawable?: (text: string) => string[];
}

const SNIFF_BYTES = 64 * 1024;
const SLICE = 64 * 1024;
const DELIMITERS = [',', ';', '\t', '|'] as const;

// ---------------------------------------------------------------------------------------------
// Bytes → text
// ---------------------------------------------------------------------------------------------

async function* byteChunks(input: ImportInput): AsyncGenerator<Uint8Array | string> {
  if (typeof input === 'string') {
    for (let i = 0; i < input.length; i += SLICE) yield input.slice(i, i + SLICE);
    return;
  }
  if (input instanceof Uint8Array) {
    for (let i = 0; i < input.length; i += SLICE) yield input.subarray(i, i + SLICE);
    return;
  }
  if (typeof (input as ReadableStream<Uint8Array>).getReader === 'function') {
    const reader = (input as ReadableStream<Uint8Array>).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        if (value) yield value;
      }
    } finally {
      reader.releaseLock();
    }
  }
  for await (const chunk of input as AsyncIterable<Uint8Array | string>) {
    yield typeof chunk === 'string' ? chunk : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
}

interface DecodedText {
  encoding: string;
  chunks: AsyncGenerator<string>;
}

/** Picks the encoding from the BOM or the first 64 KB, then decodes the whole input as a stream. */
async function decode(input: ImportInput): Promise<DecodedText> {
  const it = byteChunks(input);
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let text: string[] | null = null;
  let done = false;
  while (headBytes < SNIFF_BYTES) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    if (typeof r.value === 'string') {
      // already text: no decoding to do
      text = [r.value];
      break;
    }
    head.push(r.value);
    headBytes += r.value.length;
  }
  if (text) {
    const first = text;
    return {
      encoding: 'utf-8',
      chunks: (async function* () {
        const decoder = new TextDecoder();
        for (const s of first) yield s.replace(/^\uFEFF/, '');
        for await (const c of it) yield typeof c === 'string' ? c : decoder.decode(c, { stream: true });
      })(),
    };
  }
  const headBuf = concat(head, headBytes);
  let encoding = 'utf-8';
  if (headBuf[0] === 0xff && headBuf[1] === 0xfe) encoding = 'utf-16le';
  else if (headBuf[0] === 0xfe && headBuf[1] === 0xff) encoding = 'utf-16be';
  else if (!(headBuf[0] === 0xef && headBuf[1] === 0xbb && headBuf[2] === 0xbf)) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(headBuf, { stream: !done });
    } catch {
      encoding = 'windows-1252';
    }
  }
  const decoder = new TextDecoder(encoding);
  return {
    encoding,
    chunks: (async function* () {
      yield decoder.decode(headBuf, { stream: true });
      for await (const c of it) yield typeof c === 'string' ? c : decoder.decode(c, { stream: true });
      const tail = decoder.decode();
      if (tail) yield tail;
    })(),
  };
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1 && parts[0]) return parts[0];
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** The separator that occurs most often, outside quotes, in the header line (`,` when none). */
export function detectDelimiter(headerLine: string): string {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (DELIMITERS as readonly string[]).includes(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const c = counts.get(d) ?? 0;
    if (c > bestCount) {
      best = d;
      bestCount = c;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Row sources: header + rows, from CSV or JSON
// ---------------------------------------------------------------------------------------------

interface RawRow {
  row: number;
  line?: number;
  /** CSV: fields in header order. */
  fields?: string[];
  /** JSON: the object's entries. */
  object?: Record<string, unknown>;
  /** A row the parser could not read. */
  error?: Omit<ImportIssue, 'row' | 'line'>;
}

async function* jsonRows(first: string, rest: AsyncGenerator<string>): AsyncGenerator<RawRow> {
  const queue: RawRow[] = [];
  let index = 0;
  let topLevelError: string | null = null;
  const parser = new JSONParser({ paths: ['$.*'], keepStack: false });
  parser.onValue = ({ value, stack }) => {
    if (stack.length !== 1) return;
    index++;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      queue.push({ row: index, object: value as Record<string, unknown> });
    } else {
      queue.push({
        row: index,
        error: { column: null, code: 'invalid_row', problem: 'not an object with fields', severity: 'error' },
      });
    }
  };
  const trimmed = first.replace(/^\uFEFF/, '').trimStart();
  if (!trimmed.startsWith('[')) topLevelError = 'a JSON import is an array of objects: [{"bib": "1", "name": "…"}, …]';
  if (topLevelError) {
    yield { row: 0, error: { column: null, code: 'invalid_file', problem: topLevelError, severity: 'error' } };
    return;
  }
  try {
    parser.write(trimmed);
    while (queue.length) yield queue.shift() as RawRow;
    for await (const chunk of rest) {
      if (parser.isEnded) {
        if (chunk.trim()) throw new Error('unexpected content after the array');
        continue;
      }
      parser.write(chunk);
      while (queue.length) yield queue.shift() as RawRow;
    }
    if (!parser.isEnded) parser.end();
  } catch (err) {
    while (queue.length) yield queue.shift() as RawRow;
    yield {
      row: 0,
      error: {
        column: null,
        code: 'invalid_file',
        problem: `invalid JSON after item ${index}: ${(err as Error).message}`,
        severity: 'error',
      },
    };
    return;
  }
  while (queue.length) yield queue.shift() as RawRow;
}

const cell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
};

// ---------------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------------

/**
 * Reads an import as batches of validated records (up to `batchSize` each) with the issues found
 * in those rows and the running totals. The last batch has `done: true` and the final stats.
 * Records are yielded only after validation; duplicates of an earlier BIB in the file are errors.
 */
export async function* readRecordBatches(input: ImportInput, opts: ImportOptions = {}): AsyncGenerator<RecordBatch, void, void> {
  const batchSize = Math.max(1, opts.batchSize ?? 1000);
  const maxIssues = Math.max(0, opts.maxIssues ?? 1000);
  const { encoding, chunks } = await decode(input);
  const stats: ImportStats = {
    format: 'csv',
    encoding,
    rows: 0,
    imported: 0,
    skipped: 0,
    errors: 0,
    warnings: 0,
    issuesNotListed: 0,
    columns: {},
    extraColumns: [],
  };
  let listed = 0;
  let records: CertificateRecord[] = [];
  let issues: ImportIssue[] = [];
  const report = (issue: ImportIssue) => {
    if (issue.severity === 'error') stats.errors++;
    else stats.warnings++;
    if (listed < maxIssues) {
      issues.push(issue);
      listed++;
    } else stats.issuesNotListed++;
  };
  const flush = (done: boolean): RecordBatch => {
    const batch: RecordBatch = { records, errors: issues, stats: structuredClone(stats), done };
    records = [];
    issues = [];
    return batch;
  };
  if (encoding === 'windows-1252') {
    report({
      row: 0,
      column: null,
      code: 'encoding',
      problem: 'the file is not UTF-8; it was read as Windows-1252 (check accented letters)',
      severity: 'warning',
    });
  }

  // first non-empty text decides the format
  let first = '';
  for (;;) {
    const r = await chunks.next();
    if (r.done) break;
    first += r.value;
    if (first.trim().length > 0) break;
  }
  if (!first.trim()) {
    report({ row: 0, column: null, code: 'empty_file', problem: 'the file is empty', severity: 'error' });
    yield flush(true);
    return;
  }
  const format = opts.format && opts.format !== 'auto' ? opts.format : /^\uFEFF?\s*\[/.test(first) ? 'json' : 'csv';
  stats.format = format;

  const seen = new Map<string, number>();
  const accept = (
    raw: RawRow,
    values: Partial<Record<RecordField, string>>,
    extra: Record<string, string>,
    headers: FieldHeaders,
    /** The header as written of an extra column, from its normalised key (only asked when reporting). */
    extraHeader: (key: string) => string,
  ) => {
    const result = buildRecord(values, extra, headers);
    if (!result.ok) {
      stats.skipped++;
      for (const e of result.errors) report({ row: raw.row, ...(raw.line ? { line: raw.line } : {}), ...e });
      return;
    }
    const firstRow = seen.get(result.record.bib);
    if (firstRow !== undefined) {
      stats.skipped++;
      report({
        row: raw.row,
        ...(raw.line ? { line: raw.line } : {}),
        column: headers.bib ?? 'bib',
        value: values.bib ?? result.record.bib,
        code: 'duplicate_bib',
        problem: `duplicate BIB ${result.record.bib} (first on ${format === 'json' ? 'item' : 'row'} ${firstRow})`,
        severity: 'error',
      });
      return;
    }
    seen.set(result.record.bib, raw.row);
    for (const w of result.warnings) report({ row: raw.row, ...(raw.line ? { line: raw.line } : {}), ...w });
    if (opts.undrawable) {
      const { extra: extraValues, ...fields } = result.record;
      const texts: [string, string][] = [
        // A field without a header (a name built from first + last name) is checked through its parts.
        ...Object.entries(fields).flatMap(([f, v]) => {
          const header = headers[f as RecordField];
          return typeof v === 'string' && header ? [[header, v] as [string, string]] : [];
        }),
        ...Object.entries(extraValues).map(([key, v]) => [extraHeader(key), v] as [string, string]),
      ];
      for (const [column, value] of texts) {
        const missing = opts.undrawable(value);
        if (missing.length === 0) continue;
        report({
          row: raw.row,
          ...(raw.line ? { line: raw.line } : {}),
          column,
          value,
          code: 'undrawable_character',
          problem: `no certificate font has ${missing.map((c) => `"${c}" (${[...c].map((ch) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(' ')})`).join(', ')}: certificates would show an empty box there`,
          severity: 'warning',
        });
      }
    }
    records.push(result.record);
    stats.imported++;
  };

  if (format === 'json') {
    const mappings = new Map<
      string,
      { fields: Partial<Record<RecordField, string>>; extra: Map<string, string>; headers: FieldHeaders }
    >();
    const extraCols = new Set<string>();
    for await (const raw of jsonRows(first, chunks)) {
      opts.signal?.throwIfAborted();
      if (raw.row > 0) stats.rows++;
      if (raw.error || !raw.object) {
        if (raw.row > 0) stats.skipped++;
        report({
          row: raw.row,
          ...(raw.error ?? { column: null, code: 'invalid_row', problem: 'unreadable item', severity: 'error' }),
        });
      } else {
        const keys = Object.keys(raw.object);
        const sig = keys.join('\u0000');
        let m = mappings.get(sig);
        if (!m) {
          const mapped = mapHeaders(keys, opts.mapping);
          const fields: Partial<Record<RecordField, string>> = {};
          const headers: FieldHeaders = {};
          for (const f of RECORD_FIELDS) {
            const idx = mapped.fields[f];
            const key = idx === undefined ? undefined : keys[idx];
            if (key !== undefined) {
              fields[f] = key;
              headers[f] = key;
              stats.columns[f] ??= key;
            }
          }
          const extra = new Map(mapped.extra.map((e) => [keys[e.index] ?? '', e.key] as const));
          for (const k of extra.values()) extraCols.add(k);
          stats.extraColumns = [...extraCols];
          m = { fields, extra, headers };
          if (mappings.size < 1000) mappings.set(sig, m);
        }
        const values: Partial<Record<RecordField, string>> = {};
        for (const f of RECORD_FIELDS) {
          const key = m.fields[f];
          if (key !== undefined) values[f] = cell(raw.object[key]);
        }
        const extra: Record<string, string> = {};
        for (const [key, norm] of m.extra) {
          const v = cell(raw.object[key]).trim();
          if (v) extra[norm] = v;
        }
        const extraKeys = m.extra;
        accept(raw, values, extra, m.headers, (k) => [...extraKeys].find(([, norm]) => norm === k)?.[0] ?? k);
      }
      if (records.length >= batchSize) yield flush(false);
    }
    yield flush(true);
    return;
  }

  // CSV
  const src = await csvSourceWithHeader(first, chunks, opts);
  if (!src) {
    report({ row: 1, column: null, code: 'empty_file', problem: 'no header row', severity: 'error' });
    yield flush(true);
    return;
  }
  stats.delimiter = src.delimiter;
  const mapped = mapHeaders(src.headers, opts.mapping);
  const headers: FieldHeaders = {};
  for (const f of RECORD_FIELDS) {
    const idx = mapped.fields[f];
    const h = idx === undefined ? undefined : src.headers[idx];
    if (h !== undefined) {
      headers[f] = h;
      stats.columns[f] = h;
    }
  }
  stats.extraColumns = mapped.extra.map((e) => e.key);
  for (const u of mapped.unknown) {
    report({
      row: 1,
      line: 1,
      column: u.header,
      code: 'unknown_column',
      problem: `the mapping names column "${u.header}" for ${u.field}, but the file has no such column`,
      severity: u.field === 'bib' ? 'error' : 'warning',
    });
  }
  if (mapped.fields.bib === undefined) {
    if (!mapped.unknown.some((u) => u.field === 'bib')) {
      report({
        row: 1,
        line: 1,
        column: null,
        code: 'no_bib_column',
        problem: `no BIB column found among: ${src.headers.join(', ')} (map one explicitly)`,
        severity: 'error',
      });
    }
    yield flush(true);
    return;
  }
  const width = src.headers.length;
  for await (const raw of src.rows) {
    opts.signal?.throwIfAborted();
    if (raw.error || !raw.fields) {
      stats.rows++;
      stats.skipped++;
      report({
        row: raw.row,
        ...(raw.line ? { line: raw.line } : {}),
        ...(raw.error ?? { column: null, code: 'malformed_row', problem: 'unreadable row', severity: 'error' }),
      });
      continue;
    }
    const f = raw.fields;
    if (f.every((v) => v.trim() === '')) continue; // blank line
    stats.rows++;
    if (f.length !== width && !(f.length > width && f.slice(width).every((v) => v.trim() === ''))) {
      stats.skipped++;
      report({
        row: raw.row,
        ...(raw.line ? { line: raw.line } : {}),
        column: null,
        code: 'column_count',
        problem:
          f.length > width
            ? `row has ${f.length} fields, the header ${width}: an unquoted "${src.delimiter === '\t' ? '\\t' : src.delimiter}" inside a value?`
            : `row has ${f.length} fields, the header ${width}`,
        severity: 'error',
      });
    } else {
      const values: Partial<Record<RecordField, string>> = {};
      for (const field of RECORD_FIELDS) {
        const idx = mapped.fields[field];
        if (idx !== undefined) values[field] = f[idx] ?? '';
      }
      const extra: Record<string, string> = {};
      for (const e of mapped.extra) {
        const v = (f[e.index] ?? '').trim();
        if (v) extra[e.key] = v;
      }
      accept(raw, values, extra, headers, (k) => {
        const e = mapped.extra.find((x) => x.key === k);
        return (e && src.headers[e.index]) ?? k;
      });
    }
    if (records.length >= batchSize) yield flush(false);
  }
  yield flush(true);
}

/** CSV rows with the header read off the front; null when the file has no header. */
async function csvSourceWithHeader(
  first: string,
  rest: AsyncGenerator<string>,
  opts: ImportOptions,
): Promise<{ delimiter: string; headers: string[]; rows: AsyncGenerator<RawRow> } | null> {
  const src = await csvRows(first, rest, opts);
  const head = await src.rows.next();
  if (head.done || !head.value.fields) return null;
  return { delimiter: src.delimiter, headers: head.value.fields.map((h) => h.trim()), rows: src.rows };
}

async function csvRows(
  first: string,
  rest: AsyncGenerator<string>,
  opts: ImportOptions,
): Promise<{ delimiter: string; rows: AsyncGenerator<RawRow> }> {
  let buffered = first;
  const pending: string[] = [];
  while (!/[\r\n]/.test(buffered) && buffered.length < SNIFF_BYTES) {
    const r = await rest.next();
    if (r.done) break;
    buffered += r.value;
    pending.push(r.value);
  }
  const headerLine = buffered.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/, 1)[0] ?? '';
  const delimiter = opts.delimiter ?? detectDelimiter(headerLine);
  const skipped: Array<Error & { lines?: number; records?: number }> = [];
  const parser = parse({
    delimiter,
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    skip_records_with_error: true,
    info: true,
    on_skip: (err) => {
      if (err) skipped.push(err as Error & { lines?: number; records?: number });
    },
  });
  const source = Readable.from(
    (async function* () {
      yield first;
      for (const p of pending) yield p;
      for await (const c of rest) yield c;
    })(),
    { objectMode: false },
  );
  let failure: Error | null = null;
  pipeline(source, parser, (err) => {
    if (err) failure = err;
  });
  const rows = (async function* (): AsyncGenerator<RawRow> {
    let row = 0;
    let nextLine = 1;
    /** Rows the parser skipped before record number `before` (all when undefined). */
    function* drainSkipped(before?: number): Generator<RawRow> {
      while (skipped.length) {
        const err = skipped[0];
        if (!err || (before !== undefined && typeof err.records === 'number' && err.records >= before)) return;
        skipped.shift();
        row++;
        const unclosed = /quote not closed/i.test(err.message);
        yield {
          row,
          line: nextLine,
          error: {
            column: null,
            code: 'malformed_row',
            problem: unclosed
              ? `a quoted field is never closed: the file from line ${nextLine} on could not be read`
              : `unreadable row: ${err.message}`,
            severity: 'error',
          },
        };
        if (typeof err.lines === 'number') nextLine = err.lines + 1;
      }
    }
    for await (const item of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      yield* drainSkipped(item.info.records);
      row++;
      const line = nextLine;
      nextLine = item.info.lines + 1;
      yield { row, line, fields: item.record };
    }
    yield* drainSkipped();
    if (failure) throw failure;
  })();
  return { delimiter, rows };
}

/**
 * Imports a file, handing each batch of records to `onBatch` (e.g. an upsert by BIB) before reading
 * on. Returns the report: every issue (up to `maxIssues`) and the final stats.
 */
export async function importRecords(
  input: ImportInput,
  onBatch: (batch: RecordBatch) => void | Promise<void>,
  opts: ImportOptions = {},
): Promise<ImportReport> {
  const errors: ImportIssue[] = [];
  let stats: ImportStats | null = null;
  for await (const batch of readRecordBatches(input, opts)) {
    errors.push(...batch.errors);
    stats = batch.stats;
    if (batch.records.length || batch.done) await onBatch(batch);
  }
  if (!stats) throw new Error('import produced no result');
  return { errors, stats };
}

/** Whole-file convenience for small files and tests: all records in memory. */
export async function parseRecords(
  input: ImportInput,
  opts: ImportOptions = {},
): Promise<{ records: CertificateRecord[]; errors: ImportIssue[]; stats: ImportStats }> {
  const records: CertificateRecord[] = [];
  const report = await importRecords(input, (b) => void records.push(...b.records), opts);
  return { records, ...report };
}
