/**
 * Certify through the HTTP API of a real server (loopback, SQLite file, blob folder in a temp dir):
 * uploading a generated 100,000-row results CSV (multipart, then the raw body streamed), an unchanged
 * re-upload, a re-upload with every 10th runner changed; the participant look-up; first and cached
 * certificate downloads.
 *
 *   node --import tsx bench/certify-api.ts [--rows 100000] [--lookups 300]
 */
import { openAsBlob } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import type { ImportSummary, PublicCertificate } from '../core/api/certificates.ts';
import { createDeps } from '../server/bootstrap.ts';
import { loadConfig } from '../server/config.ts';
import { startServer } from '../server/serve.ts';
import { createApiKey } from '../server/services/keys.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : dflt;
};
const ROWS = arg('rows', 100_000);
const LOOKUPS = arg('lookups', 300);

const FIRST = ['Anna', 'Zoë', 'Jean-Pierre', 'Ольга', 'Mateusz', 'Siobhán', 'Kenji', 'María José', 'Łukasz', 'Ines'];
const LAST = ['Müller', 'Šťastná', 'Dupont', 'Петрова', 'Kowalski', "O'Brien", 'Yamada', 'García López', 'Nowak', 'Øster'];

function csv(rows: number, changeEvery = 0): string {
  const lines = ['\uFEFFBib;First Name;Last Name;Category;Gender;Chip Time;Gun Time;Place;Club'];
  for (let i = 0; i < rows; i++) {
    const secs = 9000 + ((i * 37) % 9000) + (changeEvery && i % changeEvery === 0 ? 1 : 0);
    const t = `${Math.floor(secs / 3600)}:${String(Math.floor(secs / 60) % 60).padStart(2, '0')}:${String(secs % 60).padStart(2, '0')}`;
    lines.push(
      [
        1000 + i,
        FIRST[i % FIRST.length],
        `"${LAST[(i * 7) % LAST.length]}"`,
        i % 2 ? 'M40' : 'F35',
        i % 2 ? 'M' : 'F',
        t,
        t,
        i + 1,
        `"Club ${i % 300}; Section ${i % 7}"`,
      ].join(';'),
    );
  }
  return lines.join('\r\n') + '\r\n';
}

const ms = (t0: number) => Math.round(performance.now() - t0);
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

const dir = await mkdtemp(path.join(tmpdir(), 'pf-certify-api-bench-'));
const deps = await createDeps(
  loadConfig({ DATA_DIR: dir, SIGNING_KEYS: 'bench-signing-key', RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'silent' }),
  { serveSite: false, faces: false, bibtrack: false },
);
const server = await startServer(deps, 0);
try {
  const org = await deps.store.orgs.create('Bench club');
  const event = await deps.store.events.create(org.id, { name: 'Bench Marathon', event_date: '2026-10-11T08:00:00' });
  const secret = (await createApiKey(deps.store, org.id, { kind: 'secret' })).key;
  const publishable = (await createApiKey(deps.store, org.id, { kind: 'publishable' })).key;
  const adm = `${server.url}/api/v1/admin/${org.id}/events/${event.id}/certificates`;
  const call = async <T>(url: string, init: RequestInit & { key?: string } = {}) => {
    const res = await fetch(url, { ...init, headers: { 'X-API-Key': init.key ?? secret, ...init.headers } });
    const body = (await res.json()) as { message: string; data: T };
    if (!res.ok) throw new Error(`${res.status} ${body.message}`);
    return body.data;
  };
  await call(`${adm}/template`, {
    method: 'PUT',
    body: JSON.stringify({ builtin: 'classic' }),
    headers: { 'Content-Type': 'application/json' },
  });

  const file = path.join(dir, 'results.csv');
  await writeFile(file, csv(ROWS));
  const fileMB = +((await stat(file)).size / 1e6).toFixed(1);
  const rss0 = process.memoryUsage().rss;

  const upload = async (label: string, body: () => Promise<RequestInit>) => {
    const t0 = performance.now();
    const s = await call<ImportSummary>(`${adm}/records`, { method: 'POST', ...(await body()) });
    const wall = ms(t0);
    return {
      label,
      seconds: +(wall / 1000).toFixed(2),
      rowsPerSecond: Math.round((s.rows * 1000) / wall),
      inserted: s.inserted,
      updated: s.updated,
      unchanged: s.unchanged,
      skipped: s.skipped,
    };
  };
  const multipart = async () => {
    const form = new FormData();
    form.append('file', await openAsBlob(file), 'results.csv');
    return { body: form };
  };
  const rawBody = async () => ({
    body: (await openAsBlob(file)).stream(),
    duplex: 'half',
    headers: { 'Content-Type': 'text/csv' },
  });
  const imports = [];
  imports.push(await upload('first upload (multipart, all new)', multipart));
  const rssAfter = process.memoryUsage().rss;
  imports.push(await upload('same file again (text/csv body streamed, all unchanged)', rawBody));
  await writeFile(file, csv(ROWS, 10));
  imports.push(await upload('every 10th runner changed (multipart)', multipart));

  await call(`${adm}/publish`, { method: 'POST' });
  const pub = (bib: number) => `${server.url}/api/v1/ext/${org.id}/event/${event.id}/certificates/${bib}`;
  const lookupMs: number[] = [];
  for (let i = 0; i < LOOKUPS; i++) {
    const t0 = performance.now();
    await call<PublicCertificate>(pub(1000 + ((i * 7919) % ROWS)), { key: publishable });
    lookupMs.push(performance.now() - t0);
  }
  const t0 = performance.now();
  const list = await call<{ pagination: { total: number } }>(`${adm}/records?page=1000&page_size=50`);
  const listMs = ms(t0);

  const downloads: Record<string, { firstMs: number; cachedMs: number; bytes: number }> = {};
  for (const format of ['png', 'pdf'] as const) {
    const d = await call<PublicCertificate>(pub(1004), { key: publishable });
    const url = format === 'png' ? d.png_url : d.pdf_url;
    const a = performance.now();
    const bytes = (await (await fetch(url)).arrayBuffer()).byteLength;
    const firstMs = ms(a);
    const b = performance.now();
    await (await fetch(url)).arrayBuffer();
    downloads[format] = { firstMs, cachedMs: ms(b), bytes };
  }
  // a second runner (fonts and background already warm)
  for (const format of ['png', 'pdf'] as const) {
    const d = await call<PublicCertificate>(pub(1005), { key: publishable });
    const a = performance.now();
    await (await fetch(format === 'png' ? d.png_url : d.pdf_url)).arrayBuffer();
    downloads[`${format} (warm)`] = { firstMs: ms(a), cachedMs: 0, bytes: 0 };
  }

  console.log(
    JSON.stringify(
      {
        node: process.version,
        cpus: cpus().length,
        rows: ROWS,
        fileMB,
        imports,
        rssGrowthFirstUploadMB: +((rssAfter - rss0) / 1e6).toFixed(1),
        records: list.pagination.total,
        recordsPageMs: listMs,
        lookup: { n: LOOKUPS, p50ms: +pct(lookupMs, 50).toFixed(1), p95ms: +pct(lookupMs, 95).toFixed(1) },
        downloads,
      },
      null,
      2,
    ),
  );
} finally {
  await server.close();
  await rm(dir, { recursive: true, force: true });
}
