import type { AuthService } from './auth/service.ts';
import type { UploadService } from './uploads/service.ts';
import type { BlobStore } from './blobs/types.ts';
import type { CertificateService } from './certify/service.ts';
import type { CheckoutService } from './checkout/service.ts';
import type { Limiter } from './http/rate-limit.ts';
import type { CreditsService } from './credits/service.ts';
import type { Logger } from './log.ts';
import type { SiteOptions } from './routes/static.ts';
import type { BibTrack } from './services/bibtrack.ts';
import type { Entitlements } from './services/entitlements.ts';
import type { JobQueue } from './jobs/types.ts';
import type { FaceService } from './services/faces.ts';
import type { Analytics } from './services/analytics.ts';
import type { RenditionRefresher } from './services/rendition-refresh.ts';
import type { SelfieResults } from './services/selfie-results.ts';
import type { Signer } from './services/signing.ts';
import type { Store } from './store/types.ts';
import type { VideoService } from './video/service.ts';

/**
 * Everything the app is built from: settings and services, each built once by `createDeps` (server/bootstrap.ts,
 * the composition root) and never replaced. A service that needs another gets it as a constructor argument
 * there. Members that may be absent say so in their type (`| undefined`), and what their absence means.
 */
export interface AppDeps {
  // ── plumbing ────────────────────────────────────────────────────────────────────────────────────────────
  readonly store: Store;
  readonly blobs: BlobStore;
  readonly signer: Signer;
  readonly log: Logger;

  // ── settings (from Config) ──────────────────────────────────────────────────────────────────────────────
  /** Public base URL for links; null = derive from each request's own URL. */
  readonly publicUrl: string | null;
  /** Requests per minute per key and client IP; 0 disables the limit. */
  readonly rateLimitPerMinute: number;
  /** The API rate limit (RATE_LIMIT_PER_MINUTE): in memory, or in the database with DATABASE_URL (shared by the replicas). */
  readonly limiter: Limiter;
  /** Largest admin upload request in bytes; larger is 413. */
  readonly uploadLimitBytes: number;
  /** Signed original downloads redirect to an S3 presigned URL (S3_PRESIGNED_DOWNLOADS) instead of streaming through this server. */
  readonly presignedDownloads: boolean;
  /** Where request bodies are spooled while a request runs (DATA_DIR/tmp; emptied at start). */
  readonly tmpDir: string;
  /** The built kit, the ONNX models and the demo pages, when this server serves them (null: the CLI, tests). */
  readonly site: SiteOptions | null;

  // ── services ────────────────────────────────────────────────────────────────────────────────────────────
  /** Console accounts: users, memberships, sessions, sign-in throttling, invitations, photographers' clocks. */
  readonly auth: AuthService;
  /** Race-day intake: tus uploads in DATA_DIR/uploads, the queue into the ingest pipeline, the processing view. */
  readonly uploads: UploadService;
  /** Who may download which originals (free event, or paid orders). */
  readonly entitlements: Entitlements;
  /** Selling photos: plans, orders, gateways, paid downloads. */
  readonly checkout: CheckoutService;
  /** Credits, plans and billing (issue 13): the ledger, plan gating, purchases, invoices, the resume of photos waiting for credits. */
  readonly credits: CreditsService;
  /** Finisher certificates: template, records, renders (on worker threads). */
  readonly certificates: CertificateService;
  /** Face search: the ingest face stage, the per-event index, the stored searches, the retention sweep; undefined = selfie search is 503 and faces are not indexed. */
  readonly faces: FaceService | undefined;
  /** Stored selfie searches, for downloads and checkout by `selfie` request_id (the face service); undefined = every request_id is unknown (404). */
  readonly selfieResults: SelfieResults | undefined;
  /** Bib OCR: the ingest OCR stage (worker pool), issued lists, re-runs, review; undefined = bibs only from sidecars and manual tags. */
  readonly bibtrack: BibTrack | undefined;
  /** Re-renders thumbnails and previews in the background after a watermark change ("Refresh Image Cache"). */
  readonly renditions: RenditionRefresher;
  /** Usage counters of the event pages and widgets (no cookies, no IPs): visits, searches, downloads, shares. */
  readonly analytics: Analytics;
  /** Motion: video ingest (ffmpeg, faces by the face service), video settings, clip jobs by selfie on a background queue. */
  readonly video: VideoService;
  /** Background jobs (ingest of uploads, clip searches, …): the SQLite jobs table run in-process, or pg-boss shared by the worker processes. */
  readonly jobs: JobQueue;

  /**
   * Ends everything the services started — the retention sweeper, background sweeps and re-runs, the OCR and
   * certificate worker threads — then closes the store. Idempotent; nothing of ours keeps the process alive after.
   * Call it after the HTTP server has stopped (RunningServer.close does).
   */
  close(): Promise<void>;
}
