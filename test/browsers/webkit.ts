/// <reference lib="dom" />
// WebKit (Debian's WebKitGTK: webkit2gtk-driver's WebKitWebDriver driving its MiniBrowser) over classic W3C
// WebDriver, on an Xvfb display of its own (WebKitGTK has no headless mode).
//
// The client is plain fetch to the WebDriver HTTP API (a dozen endpoints, below) rather than selenium-webdriver
// or webdriverio: no dependency, nothing that can fetch drivers or browsers, and every request is visible here.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  installProblemWatch,
  pageCall,
  poll,
  resolveDeep,
  takeProblemsInPage,
  type BrowserDriver,
  type Deep,
  type Key,
} from './driver.ts';

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
/** WebDriver's code points for the keys the flows press. */
const KEYS: Record<Key, string> = {
  Enter: '\uE007',
  Escape: '\uE00C',
  ArrowRight: '\uE014',
  ArrowLeft: '\uE012',
  Tab: '\uE004',
  PageDown: '\uE00F',
};

export interface WebKitPaths {
  driver: string;
  miniBrowser: string;
  xvfb: string;
}

export function findWebKit(): WebKitPaths | null {
  const driver = '/usr/bin/WebKitWebDriver';
  const xvfb = '/usr/bin/Xvfb';
  const miniBrowser = ['webkit2gtk-4.1', 'webkit2gtk-4.0', 'webkitgtk-6.0']
    .map((v) => `/usr/lib/x86_64-linux-gnu/${v}/MiniBrowser`)
    .concat(['/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser'])
    .find((p) => existsSync(p));
  return existsSync(driver) && existsSync(xvfb) && miniBrowser ? { driver, miniBrowser, xvfb } : null;
}

/** A free loopback port (WebKitWebDriver takes a port number, not 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function exited(p: ChildProcess): Promise<void> {
  return p.exitCode !== null || p.signalCode !== null ? Promise.resolve() : new Promise((r) => p.once('exit', () => r()));
}

async function stop(p: ChildProcess | null) {
  if (!p || p.exitCode !== null || p.signalCode !== null) return;
  p.kill('SIGTERM');
  const t = setTimeout(() => p.kill('SIGKILL'), 5000);
  await exited(p);
  clearTimeout(t);
}

/** Starts Xvfb on a free display it picks itself (-displayfd), no TCP listener; resolves with ":N". */
function startXvfb(xvfb: string): Promise<{ proc: ChildProcess; display: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(xvfb, ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', '1280x1024x24'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    proc.stdio[3]!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve({ proc, display: `:${out.trim()}` });
    });
    proc.once('error', reject);
    proc.once('exit', (code) => reject(new Error(`Xvfb exited (${code}) before it gave a display: ${err.slice(-500)}`)));
  });
}

class WebDriverError extends Error {}

export async function launchWebKit(paths: WebKitPaths, viewport = { width: 1280, height: 900 }): Promise<BrowserDriver> {
  const home = mkdtempSync(join(tmpdir(), 'pf-webkit-'));
  let xvfb: ChildProcess | null = null;
  let driver: ChildProcess | null = null;
  let log = '';
  const cleanup = async () => {
    await stop(driver);
    await stop(xvfb);
    rmSync(home, { recursive: true, force: true });
  };
  try {
    const x = await startXvfb(paths.xvfb);
    xvfb = x.proc;
    const port = await freePort();
    driver = spawn(paths.driver, [`--port=${port}`, '--host=127.0.0.1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        DISPLAY: x.display,
        // A fresh profile: every folder WebKitGTK and GTK write to is in a temp folder removed at the end.
        HOME: home,
        XDG_CONFIG_HOME: join(home, 'config'),
        XDG_CACHE_HOME: join(home, 'cache'),
        XDG_DATA_HOME: join(home, 'data'),
        XDG_RUNTIME_DIR: home,
        GSETTINGS_BACKEND: 'memory',
        NO_AT_BRIDGE: '1',
        GTK_A11Y: 'none',
        // No GPU here: software rendering without the DMA-BUF renderer.
        WEBKIT_DISABLE_DMABUF_RENDERER: '1',
        LIBGL_ALWAYS_SOFTWARE: '1',
      },
    });
    const collect = (d: Buffer) => (log = (log + d.toString()).slice(-4000));
    driver.stdout!.on('data', collect);
    driver.stderr!.on('data', collect);
    const base = `http://127.0.0.1:${port}`;

    const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
      const res = await fetch(`${base}${path}`, {
        // No WebDriver call of these flows takes long: one that hangs fails with its name.
        signal: AbortSignal.timeout(75_000),
        method,
        headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).catch((e: Error) => {
        throw new WebDriverError(
          `webkit: ${method} ${path} ${JSON.stringify(body)?.slice(0, 300) ?? ''}: ${e.name} ${e.message}`,
        );
      });
      const json = (await res.json()) as { value: unknown };
      if (!res.ok) {
        const v = json.value as { error?: string; message?: string };
        throw new WebDriverError(`webkit: ${method} ${path}: ${v.error}: ${v.message}`);
      }
      return json.value;
    };

    // The driver is up when its status says ready (it starts in well under a second; wait on that state).
    for (;;) {
      if (driver.exitCode !== null) throw new Error(`WebKitWebDriver exited (${driver.exitCode}): ${log}`);
      try {
        const s = (await call('GET', '/status')) as { ready?: boolean };
        if (s.ready) break;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 50));
    }

    const created = (await call('POST', '/session', {
      capabilities: {
        alwaysMatch: {
          'webkitgtk:browserOptions': { binary: paths.miniBrowser, args: ['--automation', '--private'] },
          unhandledPromptBehavior: 'dismiss',
          pageLoadStrategy: 'normal',
        },
      },
    })) as { sessionId: string; capabilities: { browserName: string; browserVersion: string } };
    const s = `/session/${created.sessionId}`;
    await call('POST', `${s}/window/rect`, { x: 0, y: 0, ...viewport });
    await call('POST', `${s}/timeouts`, { script: 60_000, pageLoad: 60_000, implicit: 0 });

    const execute = (source: string) => call('POST', `${s}/execute/sync`, { script: `return ${source};`, args: [] });
    /** The WebDriver id of the element at `path`, once it is there. */
    const element = (path: Deep): Promise<string> =>
      poll(`webkit: ${path.join(' >>> ')}`, async () => {
        const v = (await execute(pageCall(resolveDeep, [path]))) as Record<string, string> | null;
        return v?.[ELEMENT] ?? null;
      });
    const keyActions = (keys: string[]) => ({
      actions: [
        {
          type: 'key',
          id: 'keyboard',
          actions: keys.flatMap((k) => [
            { type: 'keyDown', value: k },
            { type: 'keyUp', value: k },
          ]),
        },
      ],
    });

    const productVersion = created.capabilities.browserVersion;
    return {
      name: 'webkit',
      version: `WebKitGTK ${productVersion}`,
      async goto(url) {
        await call('POST', `${s}/url`, { url });
        await execute(pageCall(installProblemWatch, []));
      },
      async run(fn, ...args) {
        return (await execute(pageCall(fn as (...a: never[]) => unknown, args))) as never;
      },
      async click(path) {
        const id = await element(path);
        await call('POST', `${s}/element/${id}/click`, {});
      },
      async type(path, text) {
        const id = await element(path);
        await call('POST', `${s}/element/${id}/value`, { text });
      },
      async press(key) {
        await call('POST', `${s}/actions`, keyActions([KEYS[key]]));
        await call('DELETE', `${s}/actions`);
      },
      async upload(path, file) {
        if (!existsSync(file)) throw new Error(`no file ${file}`);
        const id = await element(path);
        await call('POST', `${s}/element/${id}/value`, { text: file });
      },
      async wheel(x, y, dy) {
        await call('POST', `${s}/actions`, {
          actions: [
            {
              type: 'wheel',
              id: 'wheel',
              actions: [{ type: 'scroll', x: Math.round(x), y: Math.round(y), deltaX: 0, deltaY: dy, origin: 'viewport' }],
            },
          ],
        });
      },
      async screenshot(file) {
        // WebKitGTK's driver never answers a screenshot (viewport or element) while the root has overflow:
        // hidden, as it has under the open lightbox (the X display shows the page drawn as it should be):
        // no file then, and a note.
        if (await execute(pageCall(() => getComputedStyle(document.documentElement).overflowY === 'hidden', []))) {
          console.log(`[browsers] webkit: no screenshot ${file} (the driver hangs on a page with its scrolling locked)`);
          return;
        }
        writeFileSync(file, Buffer.from((await call('GET', `${s}/screenshot`)) as string, 'base64'));
      },
      async takeProblems() {
        return (await execute(pageCall(takeProblemsInPage, []))) as string[];
      },
      async close() {
        try {
          await call('DELETE', s);
        } finally {
          await cleanup();
        }
      },
    };
  } catch (e) {
    await cleanup();
    throw new Error(`${(e as Error).message}${log ? `\nWebKitWebDriver said: ${log}` : ''}`, { cause: e });
  }
}
