import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Public base URL used in links the API returns (signed URLs, renditions). */
  publicUrl: string;
  /** Signing keys for URLs: the first signs, all verify (rotation). */
  signingKeys: string[];
  modelsDir: string;
  staticRoot: string;
}

/** Signing secret kept in DATA_DIR so signed URLs survive restarts; SIGNING_KEYS (comma list) overrides. */
function signingKeys(dataDir: string): string[] {
  const fromEnv = process.env.SIGNING_KEYS?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (fromEnv?.length) return fromEnv;
  const file = join(dataDir, 'signing.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return [readFileSync(file, 'utf8').trim()];
}

export function loadConfig(env = process.env): Config {
  const port = Number(env.PORT ?? 8787);
  const host = env.HOST ?? '127.0.0.1';
  const dataDir = resolve(env.DATA_DIR ?? 'data');
  return {
    port,
    host,
    dataDir,
    publicUrl: (env.PUBLIC_URL ?? `http://${host}:${port}`).replace(/\/$/, ''),
    signingKeys: signingKeys(dataDir),
    modelsDir: resolve(env.MODELS_DIR ?? 'models'),
    staticRoot: resolve(env.STATIC_ROOT ?? 'dist'),
  };
}
