/**
 * Certify benchmark: certificates rendered per second (PNG, PDF) with the built-in templates, and
 * the time to import a generated 100,000-row results CSV (streamed from disk, batches of 1,000).
 *
 *   node --import tsx bench/certify.ts [--seconds 5] [--rows 100000]
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CertificateRecord } from '../core/certify.ts';
import { importRecords } from '../server/certify/records-import.ts';
import { type CertificateFormat, renderCertificate } from '../server/certify/render.ts';
import { listBuiltinTemplates } from '../server/certify/templates/index.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : dflt;
};
const SECONDS = arg('seconds', 5);
const ROWS = arg('rows', 100_000);

const FIRST = ['Anna', 'Zoë', 'Jean-Pierre', 'Ольга', 'Mateusz', 'Siobhán', 'Kenji', 'María José', 'Łukasz', 'Ines'];
const LAST = ['Müller', 'Šťastná', 'Dupont', 'Петрова', 'Kowalski', "O'Brien", 'Yamada', 'García López', 'Nowak', 'Øster'];
const CJK = ['张伟', '王芳', '山田太郎'];

function record(i: number): CertificateRecord {
  const name = i % 10 === 9 ? (CJK[i % CJK.length] ?? '') : `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`;
  const secs = 9000 + ((i * 37) % 9000);
  const t = `${Math.floor(secs / 3600)}:${String(Math.floor(secs / 60) % 60).padStart(2, '0')}:${String(secs % 60).padStart(2, '0')}`;
  return { bib: String(1000 + i), name, finish_time: t, rank: i + 1, category: i % 2 ? 'M40' : 'F35', extra: {} };
}

async function renderRate(format: CertificateFormat, concurrency: number) {
  const ctx = { event_name: 'Lakeside Marathon 2025', event_date: '12 October 2025', event_location: 'Geneva' };
  const out: Record<string, { perSecond: number; avgMs: number; avgBytes: number }> = {};
  for (const { id, template } of listBuiltinTemplates()) {
    await renderCertificate(template, record(0), ctx, format); // warm: fonts, background raster
    let started = 0;
    let n = 0;
    let bytes = 0;
    const start = performance.now();
    const end = start + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < end) {
          const out = await renderCertificate(template, record(started++), ctx, format);
          bytes += out.length;
          n++;
        }
      }),
    );
    const ms = performance.now() - start;
    out[id] = {
      perSecond: +((n * 1000) / ms).toFixed(1),
      avgMs: +((ms * concurrency) / n).toFixed(1),
      avgBytes: Math.round(bytes / n),
    };
  }
  return out;
}

async function importBench() {
  const dir = await mkdtemp(path.join(tmpdir(), 'pf-certify-bench-'));
  const file = path.join(dir, 'results.csv');
  try {
    const lines = ['\uFEFFBib;First Name;Last Name;Category;Gender;Chip Time;Gun Time;Place;Club'];
    for (let i = 0; i < ROWS; i++) {
      const r = record(i);
      const [first, ...rest] = r.name.split(' ');
      lines.push(
        [
          r.bib,
          first,
          `"${rest.join(' ')}"`,
          r.category,
          i % 2 ? 'M' : 'F',
          r.finish_time,
          r.finish_time,
          r.rank,
          `"Club ${i % 300}; Section ${i % 7}"`,
        ].join(';'),
      );
    }
    await writeFile(file, lines.join('\r\n') + '\r\n');
    const size = (await stat(file)).size;
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let peakHeap = heapBefore;
    let batches = 0;
    const start = performance.now();
    const report = await importRecords(createReadStream(file), () => {
      batches++;
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    });
    const ms = performance.now() - start;
    return {
      rows: ROWS,
      fileMB: +(size / 1e6).toFixed(1),
      seconds: +(ms / 1000).toFixed(2),
      rowsPerSecond: Math.round((ROWS * 1000) / ms),
      imported: report.stats.imported,
      errors: report.stats.errors,
      batches,
      peakHeapGrowthMB: +((peakHeap - heapBefore) / 1e6).toFixed(1),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const results = {
  node: process.version,
  cpus: (await import('node:os')).cpus().length,
  secondsPerCase: SECONDS,
  png: { sequential: await renderRate('png', 1), concurrent4: await renderRate('png', 4) },
  pdf: { sequential: await renderRate('pdf', 1), concurrent4: await renderRate('pdf', 4) },
  import: await importBench(),
};
console.log(JSON.stringify(results, null, 2));
