import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { AppDeps } from '../deps.ts';
import { defaultConcurrency, ingestBatch, type BatchProgress } from '../ingest/batch.ts';
import { parseBibSidecar, type BibSidecar } from '../ingest/sidecar.ts';
import { CliError, EXIT } from './errors.ts';

export interface IngestOptions {
  folder: string;
  eventId: number;
  bibs?: string;
  concurrency?: number;
  json: boolean;
}

/** Regular files under `root`, hidden files and folders left out, sorted, with `/`-separated relative names. */
async function listPhotos(root: string, skip: Set<string>): Promise<{ name: string; path: string }[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const out: { name: string; path: string }[] = [];
  for (const e of entries) {
    if (!e.isFile()) continue;
    const path = join(e.parentPath, e.name);
    const name = relative(root, path).split(sep).join('/');
    if (name.split('/').some((part) => part.startsWith('.')) || skip.has(resolve(path))) continue;
    out.push({ name, path });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

const duration = (s: number) => {
  if (!Number.isFinite(s)) return '?';
  const m = Math.floor(s / 60);
  return m ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`;
};

export const progressLine = (p: BatchProgress) =>
  `${p.done}/${p.total} (${Math.floor((p.done / Math.max(1, p.total)) * 100)}%) · ${p.rate.toFixed(1)} photos/s · ` +
  `ETA ${p.etaSeconds === null ? '?' : duration(p.etaSeconds)} · ${p.added} added, ${p.duplicate} already there, ${p.failed} failed`;

/** `photo-finish ingest <folder> --event N [--bibs file.csv]`: returns the exit code. */
export async function runIngest(deps: AppDeps, o: IngestOptions): Promise<number> {
  const root = resolve(o.folder);
  const info = await stat(root).catch(() => null);
  if (!info?.isDirectory()) throw new CliError(EXIT.usage, `${o.folder} is not a folder`);
  const event = await deps.store.events.get(o.eventId);
  if (!event) throw new CliError(EXIT.failed, `event ${o.eventId} not found (photo-finish event list --org N shows them)`);

  let sidecar: BibSidecar | null = null;
  const skip = new Set<string>();
  if (o.bibs) {
    const file = resolve(o.bibs);
    const text = await readFile(file).catch((e: Error) => {
      throw new CliError(EXIT.usage, `--bibs: cannot read ${o.bibs}: ${e.message}`);
    });
    sidecar = parseBibSidecar(text);
    skip.add(file);
    for (const p of sidecar.problems) console.error(`bibs ${o.bibs}:${p.line}: ${p.error}`);
  }
  const files = await listPhotos(root, skip);
  if (files.length === 0) throw new CliError(EXIT.failed, `no files in ${o.folder}`);
  if (sidecar) {
    const names = new Set(files.flatMap((f) => [f.name, f.name.split('/').pop()!]));
    for (const name of sidecar.bibs.keys()) if (!names.has(name)) console.error(`bibs ${o.bibs}: ${name} is not in ${o.folder}`);
  }

  const concurrency = o.concurrency ?? defaultConcurrency();
  if (!o.json) console.error(`ingesting ${files.length} files into event ${event.id} (${event.name}), ${concurrency} at a time`);
  const tty = process.stderr.isTTY;
  let lastPrint = 0;
  const report = await ingestBatch(
    deps,
    event,
    files.map((f) => ({ name: f.name, read: () => readFile(f.path), path: f.path })),
    {
      concurrency,
      sidecar,
      onProgress: (p, last) => {
        if (last.status === 'failed') process.stderr.write(`${tty ? '\r\x1b[K' : ''}failed: ${last.name}: ${last.error}\n`);
        const now = Date.now();
        if (tty) process.stderr.write(`\r\x1b[K${progressLine(p)}`);
        else if (now - lastPrint >= 2000 || p.done === p.total) {
          lastPrint = now;
          process.stderr.write(`${progressLine(p)}\n`);
        }
      },
    },
  );
  if (tty) process.stderr.write('\n');
  const failed = report.results.filter((r) => r.status === 'failed');
  const summary = {
    event_id: event.id,
    total: report.total,
    added: report.added,
    duplicate: report.duplicate,
    failed: report.failed,
    seconds: Math.round(report.elapsedMs / 100) / 10,
    failures: failed.map((r) => ({ name: r.name, error: r.status === 'failed' ? r.error : '' })),
    bib_problems: sidecar?.problems ?? [],
    warnings: [...new Set(report.results.flatMap((r) => (r.status === 'added' && r.warning ? [r.warning] : [])))],
  };
  if (o.json) console.log(JSON.stringify(summary, null, 2));
  else {
    console.log(
      `done in ${summary.seconds} s: ${report.added} added, ${report.duplicate} already there, ${report.failed} failed (of ${report.total})`,
    );
    for (const w of summary.warnings) console.log(`stored with a warning: ${w}`);
    if (failed.length) {
      console.log('files not ingested:');
      for (const r of failed) if (r.status === 'failed') console.log(`  ${r.name}: ${r.error}`);
    }
  }
  return report.failed ? EXIT.someFilesFailed : EXIT.ok;
}
