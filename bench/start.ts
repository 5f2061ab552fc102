// First run and restarts (issue 20): `npm start` on an empty data folder (the build when it is not up to date, the
// demo seed, then serving), then again with the data present (a restart), each timed to the first 200 of /healthz.
// The anchors: the compiled server alone (`node dist-server/server/main.js`), and a bare Node process (`node -e`
// listening on a port: the floor of any restart). Seeding is timed on its own from the server's "seeded in" line.
// Run after `npm run build` (or let the first start build).
//   node --import tsx bench/start.ts [--runs 2] [--data DIR] [--baseline DIR]
// --data DIR: copy an already seeded data folder instead of the first run (which seeds for 1–2 minutes).
// --baseline DIR: another checkout, built (e.g. a worktree of the previous commit): its `npm start` restart and its
// compiled server are timed in the same runs, alternately, on a copy of the same data (before/after figures under the
// same load). Each start also reports the CPU seconds its processes used until /healthz answered (Linux, /proc).
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '2' }, data: { type: 'string' }, baseline: { type: 'string' } },
});
const ROOT = join(import.meta.dirname, '..');

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/**
 * CPU seconds (user + system) used so far by the processes of a process group (npm, its shell, node and node's
 * threads), from /proc: a figure that other processes on a shared machine barely move. Null off Linux.
 * Processes of the group that already ended (e.g. a build's children) are not counted.
 */
function groupCpuSeconds(pgid: number): number | null {
  let ticks = 0;
  try {
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue;
      }
      // After the command name (in parentheses, may hold spaces): state ppid pgrp … utime(14) stime(15).
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(f[2]) === pgid) ticks += Number(f[11]) + Number(f[12]);
    }
  } catch {
    return null;
  }
  return ticks / 100; // USER_HZ
}

/**
 * Starts `args` with the data folder, returns seconds to the first 200 of /healthz, the CPU seconds the start used
 * by then, and the seeding seconds printed.
 */
async function timeToHealthy(
  cmd: string[],
  dataDir: string,
  cwd = ROOT,
): Promise<{ seconds: number; cpu: number | null; seeded: number | null }> {
  const port = await freePort();
  const t0 = performance.now();
  // Its own process group (npm runs node under it): the whole group is stopped after.
  const child = spawn(cmd[0]!, cmd.slice(1), {
    cwd,
    detached: true,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  child.stderr.on('data', (d: Buffer) => (out += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  let done = false;
  void exited.then(() => (done = true));
  try {
    for (;;) {
      if (done) throw new Error(`exited before serving:\n${out}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = groupCpuSeconds(child.pid!);
    const m = /seeded in ([\d.]+) s/.exec(out);
    return { seconds, cpu, seeded: m ? Number(m[1]) : null };
  } finally {
    if (!done) process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }
}

// The floor: a Node process that answers /healthz as soon as it runs.
const FLOOR = `require('node:http').createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT), '127.0.0.1')`;

const data = mkdtempSync(join(tmpdir(), 'pf-bench-start-'));
const baseData = values.baseline ? mkdtempSync(join(tmpdir(), 'pf-bench-start-base-')) : null;
try {
  console.log(`load average ${loadavg()[0]!.toFixed(1)}`);
  if (values.data) {
    cpSync(values.data, data, { recursive: true });
    console.log(`data folder: a copy of ${values.data}`);
  } else {
    const first = await timeToHealthy(['npm', 'start'], data);
    console.log(
      `npm start, empty data folder: ${first.seconds.toFixed(1)} s to /healthz` +
        (first.seeded !== null ? ` (demo seeded in ${first.seeded.toFixed(1)} s)` : ''),
    );
  }
  if (baseData) cpSync(data, baseData, { recursive: true });
  for (let i = 0; i < Number(values.runs); i++) {
    const again = await timeToHealthy(['npm', 'start'], data);
    const bare = await timeToHealthy([process.execPath, 'dist-server/server/main.js'], data);
    const floor = await timeToHealthy([process.execPath, '-e', FLOOR], data);
    const before = baseData && values.baseline ? await timeToHealthy(['npm', 'start'], baseData, values.baseline) : null;
    const baseBare =
      baseData && values.baseline
        ? await timeToHealthy([process.execPath, 'dist-server/server/main.js'], baseData, values.baseline)
        : null;
    const cpu = (r: { cpu: number | null }) => (r.cpu === null ? '' : `, ${r.cpu.toFixed(2)} s CPU`);
    console.log(
      `restart with data present: npm start ${again.seconds.toFixed(2)} s to /healthz${cpu(again)}` +
        (before
          ? ` (baseline ${before.seconds.toFixed(2)} s${cpu(before)}, ${(before.seconds / again.seconds).toFixed(1)}× faster now)`
          : '') +
        `; compiled server alone ${bare.seconds.toFixed(2)} s${cpu(bare)}` +
        (baseBare ? ` (baseline ${baseBare.seconds.toFixed(2)} s${cpu(baseBare)})` : '') +
        `; bare node listening ${floor.seconds.toFixed(2)} s${cpu(floor)}; ` +
        `npm start/floor ${(again.seconds / floor.seconds).toFixed(1)}×; load average ${loadavg()[0]!.toFixed(1)}`,
    );
  }
} finally {
  rmSync(data, { recursive: true, force: true });
  if (baseData) rmSync(baseData, { recursive: true, force: true });
}
