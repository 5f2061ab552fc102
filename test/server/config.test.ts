// The one configuration module: defaults, overrides, and a clear start-up error naming each bad variable.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { ConfigError, ENV_VARIABLES, loadConfig } from '../../server/config.ts';
import { paths } from '../../server/paths.ts';

const run = promisify(execFile);

describe('loadConfig', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pf-config-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Settings from exactly these variables (never the test process's own environment). */
  const load = (env: Record<string, string> = {}) => loadConfig({ DATA_DIR: dir, ...env });

  /** The ConfigError of these variables. */
  const problems = (env: Record<string, string>) => {
    try {
      load(env);
    } catch (e) {
      assert.ok(e instanceof ConfigError, `a ConfigError, got ${String(e)}`);
      return e;
    }
    assert.fail(`no error for ${JSON.stringify(env)}`);
  };

  test('defaults', () => {
    const c = load();
    assert.equal(c.port, 8787);
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.dataDir, dir);
    assert.equal(c.publicUrl, null);
    assert.equal(c.rateLimitPerMinute, 600);
    assert.equal(c.uploadLimitBytes, 200 * 1024 * 1024);
    assert.equal(c.logLevel, 'info');
    assert.equal(c.staticRoot, paths.dist);
    assert.equal(c.modelsDir, paths.models);
    assert.equal(c.selfieRetentionHours, 24);
    assert.deepEqual(c.ocr, { workers: null, scale: null });
    assert.deepEqual(c.checkout, { stripe: null, testGateway: true });
    assert.deepEqual(c.demo, { photos: 72, shopPhotos: 12, faces: null });
    // No SIGNING_KEYS: one key is generated once in DATA_DIR and kept.
    const file = join(dir, 'signing.key');
    assert.ok(existsSync(file));
    assert.deepEqual(c.signingKeys, [readFileSync(file, 'utf8').trim()]);
    assert.deepEqual(load().signingKeys, c.signingKeys, 'the same key on the next start');
  });

  test('unset and blank are the same: the default', () => {
    assert.equal(load({ PORT: '', LOG_LEVEL: '  ' }).port, 8787);
    assert.equal(load({ PORT: '', LOG_LEVEL: '  ' }).logLevel, 'info');
  });

  test('overrides', () => {
    const c = load({
      PORT: '0',
      HOST: '0.0.0.0',
      PUBLIC_URL: 'https://photos.example.org/',
      SIGNING_KEYS: 'new-key-0123456789, old-key-0123456789',
      RATE_LIMIT_PER_MINUTE: '0',
      UPLOAD_LIMIT_MB: '2.5',
      LOG_LEVEL: 'silent',
      STATIC_ROOT: 'some/dist',
      MODELS_DIR: '/opt/models',
      SELFIE_RETENTION_HOURS: '0.5',
      OCR_WORKERS: '3',
      OCR_SCALE: '960',
      STRIPE_SECRET_KEY: 'sk_test_x',
      STRIPE_WEBHOOK_SECRET: 'whsec_x',
      STRIPE_API_BASE: 'http://127.0.0.1:12111',
      CHECKOUT_TEST_GATEWAY: 'off',
      DEMO_PHOTOS: '60',
      DEMO_SHOP_PHOTOS: '0',
      DEMO_FACES: '/data/faces',
    });
    assert.equal(c.port, 0);
    assert.equal(c.host, '0.0.0.0');
    assert.equal(c.publicUrl, 'https://photos.example.org', 'no trailing slash');
    assert.deepEqual(c.signingKeys, ['new-key-0123456789', 'old-key-0123456789']);
    assert.equal(c.rateLimitPerMinute, 0);
    assert.equal(c.uploadLimitBytes, 2.5 * 1024 * 1024);
    assert.equal(c.logLevel, 'silent');
    assert.equal(c.staticRoot, resolve('some/dist'), 'relative paths are from the working directory');
    assert.equal(c.modelsDir, '/opt/models');
    assert.equal(c.selfieRetentionHours, 0.5);
    assert.deepEqual(c.ocr, { workers: 3, scale: 960 });
    assert.equal(c.checkout.testGateway, false);
    assert.equal(c.checkout.stripe?.secretKey, 'sk_test_x');
    assert.equal(c.checkout.stripe?.webhookSecret, 'whsec_x');
    assert.equal(c.checkout.stripe?.apiBase?.port, '12111');
    assert.deepEqual(c.demo, { photos: 60, shopPhotos: 0, faces: '/data/faces' });
  });

  test('switches accept on/off, 1/0, true/false, yes/no', () => {
    for (const v of ['on', '1', 'TRUE', 'yes']) assert.equal(load({ CHECKOUT_TEST_GATEWAY: v }).checkout.testGateway, true, v);
    for (const v of ['off', '0', 'False', 'NO']) assert.equal(load({ CHECKOUT_TEST_GATEWAY: v }).checkout.testGateway, false, v);
  });

  test('Stripe is offered only with both secrets', () => {
    assert.equal(load({ STRIPE_SECRET_KEY: 'sk_test_x' }).checkout.stripe, null);
    assert.equal(load({ STRIPE_WEBHOOK_SECRET: 'whsec_x' }).checkout.stripe, null);
  });

  test('each bad value fails with a message naming the variable', () => {
    const cases: [string, string, RegExp][] = [
      ['PORT', '80a', /^PORT: must be an integer 0–65535 \(got "80a"\)$/],
      ['PORT', '65536', /^PORT: must be an integer 0–65535/],
      ['PORT', '-1', /^PORT: must be an integer 0–65535/],
      ['PUBLIC_URL', 'photos.example.org', /^PUBLIC_URL: must be an http\(s\) URL/],
      ['PUBLIC_URL', 'ftp://photos.example.org', /^PUBLIC_URL: must be an http\(s\) URL/],
      ['RATE_LIMIT_PER_MINUTE', '1.5', /^RATE_LIMIT_PER_MINUTE: must be an integer ≥ 0/],
      ['UPLOAD_LIMIT_MB', '0', /^UPLOAD_LIMIT_MB: must be a number of megabytes > 0/],
      ['UPLOAD_LIMIT_MB', 'lots', /^UPLOAD_LIMIT_MB: must be a number of megabytes > 0/],
      ['LOG_LEVEL', 'verbose', /^LOG_LEVEL: must be one of debug, info, warn, error, silent \(got "verbose"\)$/],
      ['SELFIE_RETENTION_HOURS', '-1', /^SELFIE_RETENTION_HOURS: must be a number of hours ≥ 0/],
      ['OCR_WORKERS', '0', /^OCR_WORKERS: must be an integer 1–256/],
      ['OCR_SCALE', '1536px', /^OCR_SCALE: must be an integer 64–8192/],
      ['STRIPE_API_BASE', 'localhost:12111', /^STRIPE_API_BASE: must be an http\(s\) URL/],
      ['CHECKOUT_TEST_GATEWAY', 'disabled', /^CHECKOUT_TEST_GATEWAY: must be on or off/],
      ['DEMO_PHOTOS', '0', /^DEMO_PHOTOS: must be an integer ≥ 1/],
      ['DEMO_SHOP_PHOTOS', 'some', /^DEMO_SHOP_PHOTOS: must be an integer ≥ 0/],
    ];
    for (const [variable, value, message] of cases) {
      const e = problems({ [variable]: value });
      assert.equal(e.problems.length, 1, `${variable}=${value}`);
      assert.equal(e.problems[0]!.variable, variable);
      assert.match(`${variable}: ${e.problems[0]!.problem}`, message);
      assert.ok(e.message.startsWith('Invalid configuration:\n'), e.message);
      assert.ok(e.message.includes(`  ${variable}: `), e.message);
    }
  });

  test('every bad variable is reported at once; secrets are never echoed', () => {
    const e = problems({ PORT: 'x', LOG_LEVEL: 'loud', SIGNING_KEYS: 'short-secret' });
    assert.deepEqual(
      e.problems.map((p) => p.variable),
      ['PORT', 'SIGNING_KEYS', 'LOG_LEVEL'],
    );
    assert.match(e.message, /SIGNING_KEYS: each key must be at least 16 characters$/m);
    assert.ok(!e.message.includes('short-secret'), 'the key is not in the message');
  });

  test('the process environment is the default source', () => {
    const saved = process.env.PORT;
    process.env.PORT = 'not-a-port';
    try {
      assert.throws(() => loadConfig(), /PORT: must be an integer 0–65535/);
    } finally {
      if (saved === undefined) delete process.env.PORT;
      else process.env.PORT = saved;
    }
  });

  test('npm start and the CLI stop at start with the message, not a stack', async () => {
    const env = { ...process.env, DATA_DIR: dir, PORT: '80a', LOG_LEVEL: 'loud' };
    const start = (file: string, ...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', join(paths.root, file), ...args], { env, cwd: paths.root });
    for (const [file, args, code] of [
      ['server/main.ts', [], 2],
      ['server/cli/main.ts', ['org', 'list'], 1],
    ] as const) {
      await assert.rejects(start(file, ...args), (e: { code: number; stderr: string }) => {
        assert.equal(e.code, code, file);
        assert.match(
          e.stderr,
          /^photo-finish: Invalid configuration:\n {2}PORT: must be an integer 0–65535 \(got "80a"\)\n {2}LOG_LEVEL: must be one of/,
        );
        assert.doesNotMatch(e.stderr, /\n\s+at /, 'no stack trace');
        return true;
      });
    }
  });

  test('docs/operations.md has one row for every variable', () => {
    const doc = readFileSync(join(paths.root, 'docs/operations.md'), 'utf8');
    const documented = new Set([...doc.matchAll(/^\| `([A-Z][A-Z0-9_]*)`/gm)].map((m) => m[1]));
    assert.deepEqual(
      ENV_VARIABLES.filter((v) => !documented.has(v)),
      [],
      'variables the server reads but docs/operations.md does not list',
    );
    assert.deepEqual(
      [...documented].filter((v) => !(ENV_VARIABLES as string[]).includes(v!)),
      [],
      'variables docs/operations.md lists but the server does not read',
    );
  });
});
