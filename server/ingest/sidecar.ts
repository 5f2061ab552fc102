import { parse } from 'csv-parse/sync';
import type { SidecarProblem } from '../../core/api/admin.ts';
import { bibProblem } from '../../core/index.ts';

export interface BibSidecar {
  /** File name (as written in the CSV) → BIBs, in file order, without repeats. */
  bibs: Map<string, string[]>;
  /** Rows that could not be used; the other rows still apply. */
  problems: SidecarProblem[];
  /** Data rows read (good and bad). */
  rows: number;
}

const FILE_HEADERS = ['file', 'filename', 'file_name', 'photo', 'image', 'name'];
const BIB_HEADERS = ['bib', 'bibs', 'bib_number', 'bib_no'];
/** Several BIBs in one cell: `123;456` or `123|456`. */
const BIB_SEPARATOR = /[;|]/;

/**
 * Parses a BIB sidecar CSV: a `file,bib` header (column order free, extra columns ignored) or, without a
 * header, file in the first column and bib in the second. One row per (photo, bib); a photo may appear on
 * several rows. Broken rows (bad quoting, missing cells, invalid bibs) are reported by line, never fatal.
 */
export function parseBibSidecar(input: string | Buffer): BibSidecar {
  const problems: SidecarProblem[] = [];
  const records: { cells: string[]; line: number }[] = [];
  // One row per line (file names and bibs hold no line breaks): a broken row can never swallow the next.
  const lines = String(input)
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/);
  lines.forEach((text, i) => {
    if (!text.trim()) return;
    try {
      const [cells] = parse(text, { trim: true, relax_column_count: true }) as string[][];
      if (cells) records.push({ cells, line: i + 1 });
    } catch (e) {
      problems.push({ line: i + 1, error: `unreadable CSV row: ${(e as Error).message.replace(/ at line \d+/, '')}` });
    }
  });

  let fileCol = 0;
  let bibCol = 1;
  let data = records;
  const header = records[0]?.cells.map((c) => c.toLowerCase().replace(/[\s-]+/g, '_'));
  if (header) {
    const f = header.findIndex((h) => FILE_HEADERS.includes(h));
    const b = header.findIndex((h) => BIB_HEADERS.includes(h));
    if (f >= 0 && b >= 0) {
      fileCol = f;
      bibCol = b;
      data = records.slice(1);
    } else if (header.some((h) => FILE_HEADERS.includes(h) || BIB_HEADERS.includes(h))) {
      problems.push({ line: records[0]!.line, error: 'the header must name both a file column and a bib column (file,bib)' });
      data = records.slice(1);
    }
  }

  const bibs = new Map<string, string[]>();
  for (const { cells, line } of data) {
    const file = cells[fileCol]?.trim() ?? '';
    const cell = cells[bibCol]?.trim() ?? '';
    if (cells.length <= Math.max(fileCol, bibCol)) {
      problems.push({ line, error: `expected a file and a bib, found ${cells.length} column${cells.length === 1 ? '' : 's'}` });
      continue;
    }
    if (!file) {
      problems.push({ line, error: 'the file name is empty' });
      continue;
    }
    if (!cell) {
      problems.push({ line, error: `no bib for ${file}` });
      continue;
    }
    for (const bib of cell.split(BIB_SEPARATOR).map((b) => b.trim())) {
      const problem = bibProblem(bib);
      if (problem) {
        problems.push({ line, error: `bib "${bib}" for ${file}: ${problem}` });
        continue;
      }
      const list = bibs.get(file) ?? [];
      if (!list.includes(bib)) list.push(bib);
      bibs.set(file, list);
    }
  }
  problems.sort((a, b) => a.line - b.line);
  return { bibs, problems, rows: data.length + problems.filter((p) => p.error.startsWith('unreadable')).length };
}

/** The sidecar BIBs of a photo: by its path relative to the batch root, else by its base name. */
export function bibsFor(sidecar: BibSidecar | null, name: string): string[] {
  if (!sidecar) return [];
  const base = name.split(/[\\/]/).pop() ?? name;
  return sidecar.bibs.get(name) ?? sidecar.bibs.get(base) ?? [];
}
