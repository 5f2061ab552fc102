// The server's settings: the ONLY place in server/ that reads process.env. Everything else gets its
// settings from the Config object (constructor arguments, built in bootstrap.ts). A bad value fails at start
// with one line per variable, e.g. `PORT: must be an integer 0–65535 (got "80a")`.
// docs/operations.md has the table of every variable; keep it in step with ENV below.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_FACE_PIPELINE, FACE_PIPELINES, type FacePipelineName } from '../core/models.ts';
import { LOG_LEVELS, type LogLevel } from './log.ts';
import { paths } from './paths.ts';
import { writeSecretFile } from './secret-file.ts';

export interface StripeConfig {
  secretKey: string;
  webhookSecret: string;
  /** Where the SDK sends its calls instead of api.stripe.com (e.g. stripe-mock), or null. */
  apiBase: URL | null;
}

export interface CheckoutConfig {
  /** Stripe Checkout, when both STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are set; else null (not offered). */
  stripe: StripeConfig | null;
  /** The built-in test gateway (its pay page settles orders without money): switch it off in production. */
  testGateway: boolean;
}

export interface CreditsConfig {
  /** Price of one credit in minor units of `currency`, unless the organisation has its own cost per credit. */
  pricePerCredit: number;
  currency: string;
  /** Price of a year of Pro, minor units, and the credits it includes. */
  proPrice: number;
  proCredits: number;
  /** Free Credits an organisation gets, once, when it is first put on the Trial plan. */
  trialCredits: number;
  /** Where the Enterprise option sends the organiser (a contact page or a mailto: link). */
  contactUrl: string;
}

/**
 * `demo`: `npm start` (and the tests): seeds the demo organisation, may print its keys, the test gateway is on by
 * default, links may follow the request's origin. `production`: `photo-finish serve`: never seeds, never prints a
 * secret, no test gateway, and PUBLIC_URL is required (links are never built from a request's Host header).
 * `worker`: `photo-finish worker`: runs background jobs, serves nothing (no test gateway; PUBLIC_URL optional).
 */
export type ServeMode = 'demo' | 'production' | 'worker';

export interface Config {
  mode: ServeMode;
  port: number;
  host: string;
  dataDir: string;
  /** PostgreSQL connection URL (DATABASE_URL): the store is PostgreSQL when set, else the SQLite file in dataDir. */
  databaseUrl: string | null;
  /** Public origin put in links (signed URLs, renditions); null = each request's own origin. */
  publicUrl: string | null;
  /** Signing keys for URLs: the first signs, all verify (rotation). */
  signingKeys: string[];
  /** Requests per minute per key and client IP; 0 = no limit. */
  rateLimitPerMinute: number;
  /** Largest admin upload request, bytes (413 above). */
  uploadLimitBytes: number;
  logLevel: LogLevel;
  /** The built kit served at /kit/. */
  staticRoot: string;
  /** The ONNX models (face search, bib OCR), also served at /kit/models/. */
  modelsDir: string;
  /** Hours a selfie search keeps its query embedding (0 = never stored). */
  selfieRetentionHours: number;
  /** The face pipeline (core/models.ts FACE_PIPELINES): detector, embedding model, smallest faces, quality rule. */
  facePipeline: FacePipelineName;
  ocr: {
    /** OCR worker threads; null = cores − 1 (a core stays free for the API). */
    workers: number | null;
    /** Long side the text detector sees, pixels; null = the engine's default (1536). */
    scale: number | null;
  };
  checkout: CheckoutConfig;
  /** ffmpeg / ffprobe executables for video (Motion); null = the binaries of the npm packages @ffmpeg-installer/ffmpeg and @ffprobe-installer/ffprobe. */
  video: { ffmpeg: string | null; ffprobe: string | null };
  /**
   * Background jobs: seconds a job may run before it is delivered again (its process died), JOB_TIMEOUT_SECONDS;
   * whether `serve` runs the job handlers too (JOBS_IN_SERVER; null = the default: yes on SQLite, no on PostgreSQL);
   * retries of a failing job before it is a dead letter (JOB_RETRY_LIMIT) and the first retry's delay in seconds,
   * doubled each time (JOB_RETRY_DELAY_SECONDS): null = each kind's own (4 retries from 5 s).
   */
  jobs: { timeoutSeconds: number; inServer: boolean | null; retryLimit?: number | null; retryDelaySeconds?: number | null };
  /**
   * Participant certificates rendered ahead of their downloads, as jobs, when certificates are published or change
   * while published (CERTIFICATE_PRERENDER; default: on with DATABASE_URL, where workers take the renders off the API
   * replicas; off on SQLite, where one process would render everything a download renders anyway).
   */
  certificatePrerender: boolean;
  /** Credits, plans and billing (issue 13, docs/credits.md): prices of the purchase flow. */
  credits: CreditsConfig;
  /** What `npm start` (and `photo-finish seed-demo`) seeds once. */
  demo: { photos: number; shopPhotos: number; faces: string | null };
  /** Blobs in an S3-compatible bucket (S3_BUCKET set), or null: the folder DATA_DIR/blobs. */
  s3: S3Config | null;
}

export interface S3Config {
  bucket: string;
  region: string;
  /** null = AWS S3 of the region. */
  endpoint: string | null;
  /** Both null = the AWS SDK's default credential chain (AWS_* variables, shared files, instance role). */
  accessKeyId: string | null;
  secretAccessKey: string | null;
  forcePathStyle: boolean;
  /** Signed original downloads redirect to a short-lived S3 presigned URL instead of passing through the server. */
  presignedDownloads: boolean;
  /** Prepended to every key: '' or a folder ending with a slash (several deployments sharing one bucket). */
  prefix: string;
}

/** A configuration that cannot start the server: one problem per variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: { variable: string; problem: string }[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.problem}`).join('\n')}`);
  }
}

const integer = (min: number, max?: number) => {
  const what = max === undefined ? `must be an integer ≥ ${min}` : `must be an integer ${min}–${max}`;
  return z
    .string()
    .refine((s) => /^\d+$/.test(s) && Number(s) >= min && (max === undefined || Number(s) <= max), { error: what })
    .transform(Number);
};

const number = (what: string, ok: (n: number) => boolean) =>
  z
    .string()
    .refine((s) => s !== '' && Number.isFinite(Number(s)) && ok(Number(s)), { error: what })
    .transform(Number);

const httpUrl = (what: string) =>
  z.string().refine(
    (s) => {
      try {
        return /^https?:$/.test(new URL(s).protocol);
      } catch {
        return false;
      }
    },
    { error: what },
  );

const onOff = z
  .string()
  .refine((s) => /^(on|off|1|0|true|false|yes|no)$/i.test(s), { error: 'must be on or off' })
  .transform((s) => /^(on|1|true|yes)$/i.test(s));

/** Every variable the server reads (unset or blank = the default). */
const ENV = z.object({
  PORT: integer(0, 65535).default(8787),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().default('data'),
  DATABASE_URL: z
    .string()
    .refine(
      (s) => {
        try {
          return /^postgres(ql)?:$/.test(new URL(s).protocol);
        } catch {
          return false;
        }
      },
      { error: 'must be a PostgreSQL URL such as postgres://user:password@host:5432/photo_finish' },
    )
    .optional(),
  PUBLIC_URL: httpUrl('must be an http(s) URL such as https://photos.example.org').optional(),
  SIGNING_KEYS: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean),
    )
    .refine((keys) => keys.every((k) => k.length >= 16), { error: 'each key must be at least 16 characters' })
    .optional(),
  RATE_LIMIT_PER_MINUTE: integer(0).default(600),
  UPLOAD_LIMIT_MB: number('must be a number of megabytes > 0', (n) => n > 0).default(200),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  STATIC_ROOT: z.string().default(paths.dist),
  MODELS_DIR: z.string().default(paths.models),
  SELFIE_RETENTION_HOURS: number('must be a number of hours ≥ 0', (n) => n >= 0).default(24),
  FACE_PIPELINE: z
    .enum(Object.keys(FACE_PIPELINES) as [FacePipelineName, ...FacePipelineName[]], {
      error: `must be one of ${Object.keys(FACE_PIPELINES).join(', ')}`,
    })
    .default(DEFAULT_FACE_PIPELINE),
  OCR_WORKERS: integer(1, 256).optional(),
  OCR_SCALE: integer(64, 8192).optional(),
  STRIPE_SECRET_KEY: z.string().optional(),
  STRIPE_WEBHOOK_SECRET: z.string().optional(),
  STRIPE_API_BASE: httpUrl('must be an http(s) URL such as http://127.0.0.1:12111').optional(),
  CHECKOUT_TEST_GATEWAY: onOff.optional(),
  FFMPEG_PATH: z.string().optional(),
  FFPROBE_PATH: z.string().optional(),
  JOB_TIMEOUT_SECONDS: integer(5, 86_400).default(900),
  JOBS_IN_SERVER: onOff.optional(),
  JOB_RETRY_LIMIT: integer(0, 20).optional(),
  JOB_RETRY_DELAY_SECONDS: integer(1, 3600).optional(),
  CERTIFICATE_PRERENDER: onOff.optional(),
  CREDITS_PRICE: integer(0, 1_000_000).default(2),
  CREDITS_CURRENCY: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'must be a three-letter ISO 4217 currency code such as USD')
    .transform((c) => c.toUpperCase())
    .default('USD'),
  CREDITS_PRO_PRICE: integer(0, 99_999_999).default(50_000),
  CREDITS_PRO_INCLUDED: integer(0, 10_000_000).default(25_000),
  CREDITS_TRIAL_FREE: integer(0, 10_000_000).default(500),
  CREDITS_CONTACT_URL: z
    .string()
    .regex(/^(https?:\/\/|mailto:)\S+$/, 'must be an http(s) URL or a mailto: link')
    .default('mailto:sales@example.org'),
  DEMO_PHOTOS: integer(1).default(72),
  DEMO_SHOP_PHOTOS: integer(0).default(12),
  DEMO_FACES: z.string().optional(),
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
      error: 'must be an S3 bucket name (3–63 characters: a-z, 0-9, dots, hyphens)',
    })
    .optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_ENDPOINT: httpUrl('must be an http(s) URL such as https://s3.example.org or http://127.0.0.1:9000').optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: onOff.optional(),
  S3_PRESIGNED_DOWNLOADS: onOff.optional(),
  S3_PREFIX: z
    .string()
    .regex(/^([A-Za-z0-9!_.*'()-]+\/)+$/, {
      error: "must be a folder of the bucket ending with a slash, such as staging/ (letters, digits, !_.*'()-)",
    })
    .optional(),
});

/** Variables whose value never appears in an error message. */
const SECRET = new Set(['DATABASE_URL', 'SIGNING_KEYS', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'S3_SECRET_ACCESS_KEY']);

/** The names of every variable the server reads. */
export const ENV_VARIABLES = Object.keys(ENV.shape) as (keyof typeof ENV.shape)[];

/** Signing secret kept in DATA_DIR so signed URLs survive restarts; SIGNING_KEYS overrides it. */
function signingKeys(dataDir: string, fromEnv: string[] | undefined): string[] {
  if (fromEnv?.length) return fromEnv;
  const file = join(dataDir, 'signing.key');
  if (!existsSync(file)) writeSecretFile(file, randomBytes(32).toString('base64url'));
  else if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600); // a key written before this check
  return [readFileSync(file, 'utf8').trim()];
}

/**
 * Reads and checks the settings (default: the process environment). Throws `ConfigError` naming every bad
 * variable. Creates DATA_DIR/signing.key on first use when SIGNING_KEYS is not set.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env, mode: ServeMode = 'demo'): Config {
  const raw: Record<string, string> = {};
  for (const name of ENV_VARIABLES) {
    const v = env[name]?.trim();
    if (v) raw[name] = v; // unset and blank both mean "the default"
  }
  const parsed = ENV.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const variable = String(i.path[0]);
        const got = SECRET.has(variable) || raw[variable] === undefined ? '' : ` (got ${JSON.stringify(raw[variable])})`;
        return { variable, problem: `${i.message}${got}` };
      }),
    );
  }
  const e = parsed.data;
  const s3Bad = s3Problems(e);
  if (s3Bad.length) throw new ConfigError(s3Bad);
  // Replicas and workers share PostgreSQL: a signing key generated in one process's DATA_DIR would make the links
  // of one replica fail on the others. Production and workers need the shared key in the configuration.
  if (e.DATABASE_URL && !e.SIGNING_KEYS?.length && mode !== 'demo')
    throw new ConfigError([
      {
        variable: 'SIGNING_KEYS',
        problem:
          'required with DATABASE_URL: every API replica and worker must sign links with the same key (a key of at least 16 characters, the same value everywhere)',
      },
    ]);
  if (mode === 'production') {
    const problems: { variable: string; problem: string }[] = [];
    if (!e.PUBLIC_URL)
      problems.push({
        variable: 'PUBLIC_URL',
        problem:
          "required by `photo-finish serve`: the public origin of this server (https://photos.example.org); links are never built from a request's Host header",
      });
    if (e.CHECKOUT_TEST_GATEWAY)
      problems.push({
        variable: 'CHECKOUT_TEST_GATEWAY',
        problem:
          'the test gateway settles orders without money: it cannot be on in `photo-finish serve` (use `npm start` for the demo)',
      });
    if (problems.length) throw new ConfigError(problems);
  }
  const dataDir = resolve(e.DATA_DIR);
  return {
    mode,
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL ?? null,
    publicUrl: e.PUBLIC_URL ? e.PUBLIC_URL.replace(/\/+$/, '') : null,
    signingKeys: signingKeys(dataDir, e.SIGNING_KEYS),
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    uploadLimitBytes: Math.round(e.UPLOAD_LIMIT_MB * 1024 * 1024),
    logLevel: e.LOG_LEVEL,
    staticRoot: resolve(e.STATIC_ROOT),
    modelsDir: resolve(e.MODELS_DIR),
    selfieRetentionHours: e.SELFIE_RETENTION_HOURS,
    facePipeline: e.FACE_PIPELINE,
    ocr: { workers: e.OCR_WORKERS ?? null, scale: e.OCR_SCALE ?? null },
    checkout: {
      stripe:
        e.STRIPE_SECRET_KEY && e.STRIPE_WEBHOOK_SECRET
          ? {
              secretKey: e.STRIPE_SECRET_KEY,
              webhookSecret: e.STRIPE_WEBHOOK_SECRET,
              apiBase: e.STRIPE_API_BASE ? new URL(e.STRIPE_API_BASE) : null,
            }
          : null,
      // On by default for the demo; never in production.
      testGateway: mode === 'demo' ? (e.CHECKOUT_TEST_GATEWAY ?? true) : false,
    },
    video: { ffmpeg: e.FFMPEG_PATH ? resolve(e.FFMPEG_PATH) : null, ffprobe: e.FFPROBE_PATH ? resolve(e.FFPROBE_PATH) : null },
    jobs: {
      timeoutSeconds: e.JOB_TIMEOUT_SECONDS,
      inServer: e.JOBS_IN_SERVER ?? null,
      retryLimit: e.JOB_RETRY_LIMIT ?? null,
      retryDelaySeconds: e.JOB_RETRY_DELAY_SECONDS ?? null,
    },
    certificatePrerender: e.CERTIFICATE_PRERENDER ?? e.DATABASE_URL !== undefined,
    credits: {
      pricePerCredit: e.CREDITS_PRICE,
      currency: e.CREDITS_CURRENCY,
      proPrice: e.CREDITS_PRO_PRICE,
      proCredits: e.CREDITS_PRO_INCLUDED,
      trialCredits: e.CREDITS_TRIAL_FREE,
      contactUrl: e.CREDITS_CONTACT_URL,
    },
    demo: { photos: e.DEMO_PHOTOS, shopPhotos: e.DEMO_SHOP_PHOTOS, faces: e.DEMO_FACES ?? null },
    s3: e.S3_BUCKET
      ? {
          bucket: e.S3_BUCKET,
          region: e.S3_REGION,
          endpoint: e.S3_ENDPOINT ? e.S3_ENDPOINT.replace(/\/+$/, '') : null,
          accessKeyId: e.S3_ACCESS_KEY_ID ?? null,
          secretAccessKey: e.S3_SECRET_ACCESS_KEY ?? null,
          // Most S3-compatible services (MinIO, Ceph, s3rver) want path-style URLs; AWS itself virtual-hosted ones.
          forcePathStyle: e.S3_FORCE_PATH_STYLE ?? e.S3_ENDPOINT !== undefined,
          presignedDownloads: e.S3_PRESIGNED_DOWNLOADS ?? false,
          prefix: e.S3_PREFIX ?? '',
        }
      : null,
  };
}

/** S3 settings that cannot work together: one problem per variable. */
function s3Problems(e: z.infer<typeof ENV>): { variable: string; problem: string }[] {
  const problems: { variable: string; problem: string }[] = [];
  if (!e.S3_BUCKET) {
    for (const v of [
      'S3_ENDPOINT',
      'S3_ACCESS_KEY_ID',
      'S3_SECRET_ACCESS_KEY',
      'S3_FORCE_PATH_STYLE',
      'S3_PRESIGNED_DOWNLOADS',
      'S3_PREFIX',
    ] as const)
      if (e[v] !== undefined)
        problems.push({ variable: v, problem: 'set, but S3_BUCKET is not: set S3_BUCKET to store blobs in S3' });
    return problems;
  }
  if (e.S3_ACCESS_KEY_ID && !e.S3_SECRET_ACCESS_KEY)
    problems.push({ variable: 'S3_SECRET_ACCESS_KEY', problem: 'required with S3_ACCESS_KEY_ID' });
  if (e.S3_SECRET_ACCESS_KEY && !e.S3_ACCESS_KEY_ID)
    problems.push({ variable: 'S3_ACCESS_KEY_ID', problem: 'required with S3_SECRET_ACCESS_KEY' });
  return problems;
}
