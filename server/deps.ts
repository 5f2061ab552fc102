import type { BlobStore } from './blobs/types.ts';
import type { Logger } from './log.ts';
import type { BibTrack } from './services/bibtrack.ts';
import type { Entitlements } from './services/entitlements.ts';
import type { FaceService } from './services/faces.ts';
import type { SelfieResults } from './services/selfie-results.ts';
import type { Signer } from './services/signing.ts';
import type { SiteOptions } from './routes/static.ts';
import type { Store } from './store/types.ts';

/** What the app is built from. Tests build their own (temp SQLite file, temp blob folder). */
export interface AppDeps {
  store: Store;
  blobs: BlobStore;
  signer: Signer;
  /** Who may download which originals (free event, or paid orders). */
  entitlements: Entitlements;
  log: Logger;
  /** Public base URL for links; null = derive from each request's own URL. */
  publicUrl: string | null;
  /** Requests per minute per key and client IP; 0 disables the limit. */
  rateLimitPerMinute: number;
  /** The built kit, the ONNX models and the demo pages, when this server serves them. */
  site: SiteOptions | null;
  /** Stored selfie searches, for downloads by `selfie` request_id; absent = every request_id is unknown (404). */
  selfieResults?: SelfieResults;
  /** Face search: the ingest face stage, the per-event index and the stored searches; absent = selfie search is 503. */
  faces?: FaceService;
  /** Bib OCR: the ingest OCR stage (worker pool), issued lists, re-runs; absent = bibs only from sidecars and manual tags. */
  ocr?: BibTrack;
  /** Largest admin upload request in bytes (default 200 MiB, env UPLOAD_LIMIT_MB); larger is 413. */
  uploadLimitBytes?: number;
}
