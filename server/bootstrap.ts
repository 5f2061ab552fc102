// The composition root: every service of the app is built here, once, from the Config (server/config.ts).
// `npm start` (main.ts), the CLI and the test harness all call createDeps; see "How to add a service" in
// docs/architecture.md.
import { join } from 'node:path';
import type { GatewayName } from '../core/checkout.ts';
import { AuthService } from './auth/service.ts';
import type { ThrottleLimits } from './auth/throttle.ts';
import { blobDir, LocalBlobStore } from './blobs/local.ts';
import { uploadDir, UploadService } from './uploads/service.ts';
import type { BlobStore } from './blobs/types.ts';
import { CertificateService } from './certify/service.ts';
import { OrderEntitlements } from './checkout/entitlements.ts';
import type { PaymentGateway } from './checkout/gateways/types.ts';
import { gatewaysFor } from './checkout/registry.ts';
import { CheckoutService } from './checkout/service.ts';
import { CreditsService } from './credits/service.ts';
import type { Config } from './config.ts';
import type { AppDeps } from './deps.ts';
import { registerPhotoIngest } from './jobs/photo-ingest.ts';
import { registerSearchJobs } from './jobs/search-jobs.ts';
import { queueCertificateRenders, registerCertificateJobs } from './jobs/certificate-jobs.ts';
import { SqliteJobQueue } from './jobs/sqlite.ts';
import type { JobQueue, JobSpec } from './jobs/types.ts';
import { RateLimiter } from './http/rate-limit.ts';
import { createLogger, type Logger } from './log.ts';
import { paths, tmpDir } from './paths.ts';
import { demoFile } from './seed/demo-file.ts';
import { engine, enginesFor, loadEngines, type Engines } from './engines.ts';
import { BibTrack, type BibTrackOptions } from './services/bibtrack.ts';
import { Entitlements, type EntitlementSource } from './services/entitlements.ts';
import { FaceService, type FaceServiceOptions } from './services/faces.ts';
import type { SelfieResults } from './services/selfie-results.ts';
import { Analytics } from './services/analytics.ts';
import { RenditionRefresher } from './services/rendition-refresh.ts';
import { createSigner } from './services/signing.ts';
import type { PostgresStore } from './store/postgres/index.ts';
import type { SqliteStore } from './store/sqlite/index.ts';
import type { EventRow, Store } from './store/types.ts';
import { ffmpegBinaries } from './video/ffmpeg.ts';
import { VideoService } from './video/service.ts';

export const dbFile = (dataDir: string) => join(dataDir, 'photo-finish.sqlite');

/** The store the config names: PostgreSQL when DATABASE_URL is set, else the SQLite file under DATA_DIR. */
function openStoreWith(engines: Engines, config: Pick<Config, 'databaseUrl' | 'dataDir'>): Store {
  return config.databaseUrl
    ? engine(engines, 'postgres').openPostgresStore(config.databaseUrl)
    : engine(engines, 'sqlite').openSqliteStore(dbFile(config.dataDir));
}

/** How to build the deps beyond the Config. The server and the CLI pass at most `serveSite`; the rest are test seams. */
export interface DepsOptions {
  /** Serve the kit, the models and the demo pages (default true; the CLI passes false; `'kit'`: no demo pages, as `photo-finish serve`). */
  serveSite?: boolean | 'kit';
  /** Default: a JSON logger at config.logLevel. */
  log?: Logger;
  /** Default: the S3 bucket of config.s3, else the blob folder under DATA_DIR. */
  blobs?: BlobStore;
  /** Face search (default on); false = off; or the face runner to use instead of the models in MODELS_DIR. */
  faces?: boolean | Pick<FaceServiceOptions, 'runner'>;
  /** Bib OCR (default on); false = off; or a reader instead of the worker pool, and the retry delay. */
  bibtrack?: boolean | Pick<BibTrackOptions, 'reader' | 'retryAfterMs'>;
  /** Answers downloads and checkout by selfie request_id (default: the face service). */
  selfieResults?: SelfieResults;
  /** Payment gateways (default: from config.checkout). */
  gateways?: ReadonlyMap<GatewayName, PaymentGateway>;
  /**
   * Run the job handlers in this process (default: true; the CLI passes false, so it never takes the server's jobs).
   * On PostgreSQL, `photo-finish worker` processes run them (and `serve` when JOBS_IN_SERVER is on).
   */
  work?: boolean;
  /** The job queue (default: the jobs table of the SQLite store; pg-boss with DATABASE_URL). */
  jobs?: JobQueue;
  /** Retry settings over every job kind's own (tests: fewer and faster retries). */
  jobRetry?: Partial<Pick<JobSpec, 'retryLimit' | 'retryDelaySeconds'>>;
  /** More entitlement sources, after the paid orders. */
  entitlementSources?: EntitlementSource[];
  /** Sign-in throttling limits (default DEFAULT_THROTTLE) and the clock the auth service reads. */
  auth?: { throttle?: ThrottleLimits; now?: () => number };
}

const seam = <T extends object>(o: boolean | T | undefined): T => (typeof o === 'object' ? o : ({} as T));

/** The blob store of a configuration: the S3 bucket when S3_BUCKET is set, else the folder DATA_DIR/blobs. */
export async function createBlobStore(config: Config): Promise<BlobStore> {
  return blobStoreWith(await loadEngines({ s3: !!config.s3 }), config);
}

function blobStoreWith(engines: Engines, config: Config): BlobStore {
  return config.s3
    ? new (engine(engines, 's3').S3BlobStore)(config.s3, { prefix: config.s3.prefix })
    : new LocalBlobStore(blobDir(config.dataDir));
}

/**
 * The store (PostgreSQL when DATABASE_URL is set, else the SQLite file) + blob store (DATA_DIR/blobs or an S3 bucket),
 * and every service over them. Async so that only the configured engines load (server/engines.ts): the PostgreSQL
 * store, pg-boss's queue and its rate limiter, the S3 blob store are imported when the config names them (or, for
 * S3, when the blob store passed in is not the folder), never on SQLite + the folder.
 */
export async function createDeps(config: Config, opts: DepsOptions = {}): Promise<AppDeps> {
  const need = enginesFor(config);
  if (opts.blobs && !(opts.blobs instanceof LocalBlobStore)) need.s3 = true;
  return createDepsWith(await loadEngines(need), config, opts);
}

/** createDeps with the engines already loaded (`loadEngines(config)`, or `loadEngines('all')` as the test harness does). */
export function createDepsWith(engines: Engines, config: Config, opts: DepsOptions = {}): AppDeps {
  const log = opts.log ?? createLogger(config.logLevel);
  const store = openStoreWith(engines, config);
  const blobs = opts.blobs ?? blobStoreWith(engines, config);
  // Blobs in a bucket (an S3BlobStore made here or passed in): the tus uploads go there too.
  const S3 = engines.s3?.S3BlobStore;
  const inBucket = !!S3 && blobs instanceof S3;
  const signer = createSigner(config.signingKeys);
  // Retry settings over every kind's own: the test seam, else JOB_RETRY_LIMIT / JOB_RETRY_DELAY_SECONDS when set.
  const jobRetry = opts.jobRetry ?? {
    ...(config.jobs.retryLimit != null ? { retryLimit: config.jobs.retryLimit } : {}),
    ...(config.jobs.retryDelaySeconds != null ? { retryDelaySeconds: config.jobs.retryDelaySeconds } : {}),
  };
  // The job queue follows the store: pg-boss in the PostgreSQL database, or the jobs table of the SQLite file.
  const jobs =
    opts.jobs ??
    (config.databaseUrl
      ? new (engine(engines, 'postgres').PgBossQueue)({
          connectionString: config.databaseUrl,
          log,
          timeoutSeconds: config.jobs.timeoutSeconds,
          retry: jobRetry,
        })
      : new SqliteJobQueue({
          db: (store as SqliteStore).db,
          log,
          leaseSeconds: config.jobs.timeoutSeconds,
          retry: jobRetry,
        }));

  const faces =
    opts.faces === false
      ? undefined
      : new FaceService({
          store,
          log,
          modelsDir: config.modelsDir,
          pipeline: config.facePipeline,
          retentionHours: config.selfieRetentionHours,
          ...seam(opts.faces),
        });
  const selfieResults = opts.selfieResults ?? faces;
  const bibtrack =
    opts.bibtrack === false
      ? undefined
      : new BibTrack({
          store,
          log,
          modelsDir: config.modelsDir,
          ...(config.ocr.workers !== null ? { poolSize: config.ocr.workers } : {}),
          ...(config.ocr.scale !== null ? { scale: config.ocr.scale } : {}),
          jobs,
          ...seam(opts.bibtrack),
        });
  const certificates = new CertificateService({
    store,
    blobs,
    signer,
    log,
    ...(config.certificatePrerender
      ? { prerender: (event: EventRow, bibs?: string[]) => queueCertificateRenders({ store, jobs }, event, bibs) }
      : {}),
  });
  const gateways = opts.gateways ?? gatewaysFor(config.checkout);
  const checkout = new CheckoutService({ store, blobs, signer, log, selfieResults }, gateways);
  const renditions = new RenditionRefresher({ store, blobs, log });
  const analytics = new Analytics(store, log);
  const auth = new AuthService({ store, log, ...opts.auth });
  const video = new VideoService({
    store,
    blobs,
    signer,
    log,
    bins: ffmpegBinaries(config.video),
    faces,
    jobs,
  });
  const uploads = new UploadService({
    store,
    blobs,
    log,
    ...(faces ? { faces } : {}),
    ...(bibtrack ? { bibtrack } : {}),
    video,
    jobs,
    dir: uploadDir(config.dataDir),
    // Blobs on S3: tus uploads in the bucket too (any replica resumes them), locked across replicas on PostgreSQL.
    inBlobStore: inBucket,
    ...(config.databaseUrl ? { lockerUrl: config.databaseUrl } : {}),
    maxBytes: config.uploadLimitBytes,
  });
  const credits = new CreditsService(
    {
      store,
      blobs,
      log,
      ingest: () => ({ store, blobs, ...(faces ? { faces } : {}), ...(bibtrack ? { bibtrack } : {}) }),
    },
    gateways,
    config.credits,
  );
  const entitlements = new Entitlements([new OrderEntitlements(store), ...(opts.entitlementSources ?? [])]);
  registerPhotoIngest(jobs, { store, blobs, ...(faces ? { faces } : {}), ...(bibtrack ? { bibtrack } : {}) });
  registerSearchJobs(jobs, { store, blobs, log, faces, bibtrack });
  registerCertificateJobs(jobs, { store, certificates });
  // Every handler is registered (here and in the services' constructors); this process runs them unless told not to.
  if (opts.work ?? true) void jobs.work().catch((e: unknown) => log.error('jobs: could not start working', { error: String(e) }));

  // With DATABASE_URL the buckets live in PostgreSQL, shared by every replica.
  const limiter =
    config.databaseUrl && 'db' in store
      ? new (engine(engines, 'postgres').PgRateLimiter)((store as PostgresStore).db, config.rateLimitPerMinute)
      : new RateLimiter(config.rateLimitPerMinute);

  let closing: Promise<void> | null = null;
  return {
    store,
    blobs,
    signer,
    log,
    publicUrl: config.publicUrl,
    rateLimitPerMinute: config.rateLimitPerMinute,
    limiter,
    uploadLimitBytes: config.uploadLimitBytes,
    presignedDownloads: config.s3?.presignedDownloads ?? false,
    tmpDir: tmpDir(config.dataDir),
    site:
      opts.serveSite === false
        ? null
        : {
            distDir: config.staticRoot,
            consoleDir: paths.console,
            modelsDir: config.modelsDir,
            demo: opts.serveSite === 'kit' ? null : { dir: paths.demo, file: demoFile(config.dataDir) },
          },
    auth,
    uploads,
    entitlements,
    checkout,
    credits,
    certificates,
    faces,
    selfieResults,
    bibtrack,
    renditions,
    analytics,
    video,
    jobs,
    close() {
      closing ??= (async () => {
        // Background work and worker threads first (they may still read or write the store), the store last;
        // the job queue (it waits for the running jobs) before the face and OCR stages they use.
        await uploads.close();
        await jobs.close().catch((e: unknown) => log.error('shutdown: the job queue did not stop cleanly', { error: String(e) }));
        await analytics.flush();
        // The resume of photos waiting for credits uses the face and OCR stages too.
        await credits
          .close()
          .catch((e: unknown) => log.error('shutdown: the credits resume did not stop cleanly', { error: String(e) }));
        const stopped = await Promise.allSettled([
          video.close(),
          faces?.close(),
          bibtrack?.close(),
          certificates.close(),
          renditions.close(),
        ]);
        for (const r of stopped)
          if (r.status === 'rejected') log.error('shutdown: a service did not stop cleanly', { error: String(r.reason) });
        await store.close();
        // The S3 client's connection pool (a blob store passed in is its owner's to close).
        if (!opts.blobs && S3 && blobs instanceof S3) blobs.close();
      })();
      return closing;
    },
  };
}
