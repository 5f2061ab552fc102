// A real WordPress for the plugin's tests, from Debian's packages (`wordpress`, `mariadb-server`, `php-cli`,
// `php-mysql`; .ci/run installs them): MariaDB on a socket in a temp datadir (no TCP port), WordPress's files linked
// from /usr/share/wordpress with our own wp-config.php and wp-content/, served by PHP's built-in server on a free
// loopback port, and installed through its own installer (POST wp-admin/install.php?step=2).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
export const WP_CORE = '/usr/share/wordpress';
const MARIADBD = ['/usr/sbin/mariadbd', '/usr/sbin/mysqld'].find((p) => existsSync(p));

/** Why WordPress cannot run here (a missing package), or null. */
export function missingWordPress(): string | null {
  if (!existsSync(join(WP_CORE, 'wp-settings.php'))) return 'Debian package `wordpress` is not installed';
  if (!MARIADBD) return 'Debian package `mariadb-server` is not installed';
  for (const bin of ['php', 'mariadb-install-db', 'mariadb']) {
    const found = (process.env.PATH ?? '').split(':').some((d) => existsSync(join(d, bin)));
    if (!found) return `\`${bin}\` is not on PATH (packages php-cli, mariadb-server)`;
  }
  return null;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

/** Waits (polling state, bounded) until `ready()` holds. */
async function until(what: string, ready: () => boolean | Promise<boolean>, child?: ChildProcess, limitMs = 60_000) {
  const t0 = Date.now();
  while (!(await ready())) {
    if (child && child.exitCode !== null) throw new Error(`${what}: the process exited (${child.exitCode})`);
    if (Date.now() - t0 > limitMs) throw new Error(`${what}: not ready after ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Stops a process we started; a `detached` one with its whole process group (php -S forks its workers). */
function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child?.pid) return Promise.resolve();
  const group = child.spawnargs[0] === 'php';
  const exited = child.exitCode !== null || child.signalCode !== null;
  return new Promise((resolve) => {
    if (exited) resolve();
    else child.once('exit', () => resolve());
    try {
      if (group) process.kill(-child.pid!, 'SIGTERM');
      else if (!exited) child.kill('SIGTERM');
    } catch {
      resolve(); // already gone
    }
  });
}

export interface WordPress {
  url: string;
  dir: string;
  admin: { user: string; password: string };
  /** Runs PHP code inside WordPress (wp-load.php) from the command line; returns its stdout. */
  php(code: string): Promise<string>;
  /** WordPress's debug.log (PHP notices and warnings of the run). */
  debugLog(): string;
  stop(): Promise<void>;
}

/** MariaDB + WordPress 6.x + the plugin folder `plugin` installed (not activated) under wp-content/plugins/. */
export async function startWordPress(plugin: { name: string; dir: string }): Promise<WordPress> {
  const dir = mkdtempSync(join(tmpdir(), 'pf-wordpress-'));
  const children: ChildProcess[] = [];
  const cleanup = async () => {
    for (const c of children.reverse()) await stop(c);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // MariaDB: its own datadir and socket, no network; root by socket authentication for the OS user.
    const data = join(dir, 'mysql');
    const sock = join(dir, 'mysql.sock');
    const user = userInfo().username;
    await exec('mariadb-install-db', [
      '--no-defaults',
      `--datadir=${data}`,
      '--auth-root-authentication-method=socket',
      `--auth-root-socket-user=${user}`,
      '--skip-test-db',
      `--user=${user}`,
    ]);
    const mariadb = spawn(
      MARIADBD!,
      [
        '--no-defaults',
        `--datadir=${data}`,
        `--socket=${sock}`,
        '--skip-networking',
        `--pid-file=${join(dir, 'mysql.pid')}`,
        `--log-error=${join(dir, 'mysql.err')}`,
        `--user=${user}`,
        '--innodb-buffer-pool-size=32M',
        '--skip-log-bin',
      ],
      { stdio: 'ignore' },
    );
    children.push(mariadb);
    const sql = (q: string) => exec('mariadb', ['--no-defaults', `--socket=${sock}`, '-uroot', '-e', q]);
    await until(
      'MariaDB',
      async () =>
        existsSync(sock) &&
        (await sql('SELECT 1').then(
          () => true,
          () => false,
        )),
      mariadb,
    );
    await sql("CREATE DATABASE wp; CREATE USER 'wp'@'localhost' IDENTIFIED BY 'wp'; GRANT ALL ON wp.* TO 'wp'@'localhost';");

    // WordPress's files: hard links to the package's (nothing writes to them; Debian's relative symlinks, e.g.
    // underscore.js into /usr/share/javascript, followed), our config and wp-content.
    const wp = join(dir, 'wp');
    try {
      await exec('cp', ['-alL', WP_CORE, wp]);
    } catch {
      cpSync(WP_CORE, wp, { recursive: true, dereference: true });
    }
    unlinkSync(join(wp, 'wp-config.php'));
    rmSync(join(wp, 'wp-content'), { recursive: true, force: true });
    mkdirSync(join(wp, 'wp-content/plugins'), { recursive: true });
    mkdirSync(join(wp, 'wp-content/themes'), { recursive: true });
    mkdirSync(join(wp, 'wp-content/uploads'), { recursive: true });
    symlinkSync(join(WP_CORE, 'wp-content/themes/twentytwentythree'), join(wp, 'wp-content/themes/twentytwentythree'));
    cpSync(plugin.dir, join(wp, 'wp-content/plugins', plugin.name), { recursive: true });

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const salt = () => randomBytes(24).toString('hex');
    const keys = [
      'AUTH_KEY',
      'SECURE_AUTH_KEY',
      'LOGGED_IN_KEY',
      'NONCE_KEY',
      'AUTH_SALT',
      'SECURE_AUTH_SALT',
      'LOGGED_IN_SALT',
      'NONCE_SALT',
    ];
    writeFileSync(
      join(wp, 'wp-config.php'),
      `<?php
define('DB_NAME', 'wp');
define('DB_USER', 'wp');
define('DB_PASSWORD', 'wp');
define('DB_HOST', 'localhost:${sock}');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
${keys.map((k) => `define('${k}', '${salt()}');`).join('\n')}
$table_prefix = 'wp_';
define('WP_HOME', '${url}');
define('WP_SITEURL', '${url}');
define('WP_DEBUG', true);
define('WP_DEBUG_DISPLAY', false);
define('WP_DEBUG_LOG', '${join(dir, 'debug.log')}');
define('FS_METHOD', 'direct');
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
if (!defined('ABSPATH')) define('ABSPATH', __DIR__ . '/');
require_once ABSPATH . 'wp-settings.php';
`,
    );

    // PHP's built-in server, a few workers (the block editor asks for many things at once). The workers are
    // forked processes: the server gets its own process group, and stop() ends the group.
    const php = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', wp], {
      cwd: wp,
      env: { ...process.env, PHP_CLI_SERVER_WORKERS: '4' },
      stdio: 'ignore',
      detached: true,
    });
    children.push(php);
    await until(
      'php -S',
      () =>
        fetch(`${url}/wp-includes/css/buttons.css`).then(
          (r) => r.ok,
          () => false,
        ),
      php,
    );

    // WordPress's own installer, as a browser would post it.
    const admin = { user: 'admin', password: `pw-${salt()}` };
    const form = new URLSearchParams({
      weblog_title: 'Riverside Running Club',
      user_name: admin.user,
      admin_password: admin.password,
      admin_password2: admin.password,
      pw_weak: 'on',
      admin_email: 'admin@example.org',
      blog_public: '0',
      language: '',
    });
    const installed = await fetch(`${url}/wp-admin/install.php?step=2`, { method: 'POST', body: form });
    const page = await installed.text();
    if (!installed.ok || !page.includes('WordPress has been installed'))
      throw new Error(`WordPress install failed: ${page.slice(0, 2000)}`);

    const cli = join(dir, 'cli.php');
    writeFileSync(
      cli,
      `<?php
$_SERVER['HTTP_HOST'] = '127.0.0.1:${port}';
$_SERVER['REQUEST_URI'] = '/';
define('WP_USE_THEMES', false);
require '${wp}/wp-load.php';
eval(file_get_contents('php://stdin'));
`,
    );
    return {
      url,
      dir: wp,
      admin,
      async php(code: string) {
        return new Promise<string>((resolve, reject) => {
          const p = spawn('php', [cli], { cwd: wp, stdio: ['pipe', 'pipe', 'pipe'] });
          let out = '';
          let err = '';
          p.stdout.on('data', (d: Buffer) => (out += d));
          p.stderr.on('data', (d: Buffer) => (err += d));
          p.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`php exited ${code}: ${err}${out}`))));
          p.stdin.end(code);
        });
      },
      debugLog: () => (existsSync(join(dir, 'debug.log')) ? readFileSync(join(dir, 'debug.log'), 'utf8') : ''),
      stop: cleanup,
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}
