// The demo as `npm start` finds it on a restart: its keys (demo.json), the "ensure" steps that bring an older data
// folder up to date (owner, shop, credits organisation, certificates), all cheap when done. Its own module, without
// the scene renderer, sharp or the pipeline: a restart with the demo present loads none of them (issue 20, restart);
// seed/demo.ts draws and ingests the photos of a first start.
import { existsSync, readFileSync } from 'node:fs';
import type { BlobStore } from '../blobs/types.ts';
import { seedDemoCertificates } from '../certify/demo.ts';
import type { CertificateService } from '../certify/service.ts';
import { withShopDemo } from '../checkout/demo.ts';
import type { FaceStage } from '../ingest/faces.ts';
import type { OcrStage } from '../ingest/ocr.ts';
import { writeSecretFile } from '../secret-file.ts';
import type { EventRow, Store } from '../store/types.ts';
import type { VideoService } from '../video/service.ts';
import { ensureCreditsDemo } from './credits-demo.ts';
import { demoFile } from './demo-file.ts';

export { demoFile };
import { ensureDemoOwner } from './demo-owner.ts';
import type { DemoFace } from './faces.ts';
import { prng } from './random.ts';
import type { Runner } from './scene.ts';

export interface DemoInfo {
  org_id: number;
  event_id: number;
  secret_key: string;
  publishable_key: string;
  base_url: string;
  /** The demo photo shop (a second event selling its photos through the test gateway), when seeded. */
  shop_event_id?: number;
  shop_publishable_key?: string;
  /** Real faces pasted on demo runners (seeded with `--faces DIR`). */
  faces?: DemoFace[];
  /** The demo organisation's console owner (sign in at /console); no password when it was changed since. */
  owner_email?: string;
  owner_password?: string;
  /** How a restart knows owner_password is still current without hashing it (seed/demo-owner.ts, passwordStamp). */
  owner_password_stamp?: string;
  /** The metered demo organisation "Demo Timing Co" (Pay As You Go, the same owner; docs/credits.md). */
  credits_org_id?: number;
  /**
   * While the job queue still reads the faces and bibs of a first start's photos (seed/demo-search.ts): the note the
   * demo pages show (`{{PROCESSING}}`). Gone once every photo is read.
   */
  processing?: string;
}

export interface SeedOptions {
  store: Store;
  blobs: BlobStore;
  /** The app's certificate service: the demo event gets a template, results and published certificates. */
  certificates: CertificateService;
  dataDir: string;
  baseUrl: string;
  /** Number of photos (at least 60 for the demo). */
  count?: number;
  onProgress?: (done: number, total: number) => void;
  /** Face stage of the ingest (indexes the demo photos' faces for selfie search). */
  faces?: FaceStage;
  /** Bib OCR stage of the ingest: the demo's BIB search works from what it reads on the photos. */
  bibtrack?: OcrStage;
  /**
   * Test-only: tag each photo with the bibs drawn on it, as a sidecar CSV would (for tests that run without
   * OCR). Default: only when no `bibtrack` stage is given.
   */
  sidecarBibs?: boolean;
  /** Folder of real face photos to paste on runners (see seed/faces.ts); needs `faces`. */
  facePhotos?: string | null;
  /**
   * Video ingest: with `facePhotos`, a finish-line video of the runners wearing real faces is generated and
   * ingested, and the event's video clips by selfie are switched on.
   */
  video?: VideoService;
  /** Photos of a second demo event that sells them through the test gateway (0 or unset: no shop). */
  shopPhotos?: number;
  /**
   * Serve first (`npm start`): the photos are stored with their renditions only, and this queues the reading of their
   * faces and bibs (seed/demo-search.ts, queueDemoSearch) once they are all in; demo.json gets a `processing` note.
   * Unset: every photo is read during the seed (the CLI's seed-demo, the tests).
   */
  searchLater?: (event: EventRow) => Promise<void>;
}

const SHIRTS = ['#e53935', '#1e88e5', '#43a047', '#fdd835', '#8e24aa', '#fb8c00', '#00acc1', '#6d4c41', '#3949ab', '#d81b60'];

/** The demo field: 24 runners with 3- and 4-digit bibs, one with a leading zero. */
export function demoRunners(): Runner[] {
  const r = prng(7);
  const bibs = new Set<string>(['0427']);
  while (bibs.size < 24) bibs.add(String(r.int(100, 2999)));
  return [...bibs].map((bib, i) => ({ bib, shirt: SHIRTS[i % SHIRTS.length]! }));
}

export function readDemoInfo(dataDir: string): DemoInfo | null {
  const f = demoFile(dataDir);
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as DemoInfo) : null;
}

/**
 * The demo already seeded in this data folder (demo.json names an event the store has): brought up to date and its
 * keys written again; null when there is none (seed/demo.ts seeds it).
 */
export async function refreshDemo(o: SeedOptions): Promise<{ info: DemoInfo; created: false } | null> {
  const existing = readDemoInfo(o.dataDir);
  if (!existing || !(await o.store.events.get(existing.event_id))) return null;
  const { owner_email, owner_password, owner_password_stamp, ...rest } = existing;
  const owner = await ensureDemoOwner(o.store, existing.org_id, {
    email: owner_email,
    password: owner_password,
    stamp: owner_password_stamp,
  });
  const info = await withShopDemo(o, { ...rest, base_url: o.baseUrl, ...owner });
  info.credits_org_id = await ensureCreditsDemo(o.store, info.owner_email);
  await seedDemoCertificates(o, info.event_id, demoRunners());
  writeSecretFile(demoFile(o.dataDir), JSON.stringify(info, null, 2) + '\n');
  return { info, created: false };
}

/**
 * What `--faces` (DEMO_FACES) did, in a sentence for the person who asked, or null when no face folder was given.
 * Faces are pasted on runners while the demo photos are generated, so on an already seeded folder they cannot be
 * added: the note says so, and how to seed again.
 */
export function demoFacesNote(
  o: Pick<SeedOptions, 'facePhotos' | 'faces' | 'dataDir'>,
  result: { created: boolean; info: DemoInfo },
): string | null {
  if (!o.facePhotos) return null;
  const pasted = result.info.faces ?? [];
  if (result.created) {
    if (!o.faces)
      return `faces: not pasted, face search is off on this server (no face models); the demo was seeded without them`;
    return pasted.length
      ? `faces: ${pasted.length} real faces from ${o.facePhotos} pasted on runners ${pasted.map((f) => f.bib).join(', ')}; try a selfie search with another photo of the same people`
      : `faces: no usable face found in ${o.facePhotos} (one folder per person, photos with one face each); the demo was seeded without them`;
  }
  const again = `to seed again with faces, stop the server and remove ${demoFile(o.dataDir)} and the database in ${o.dataDir} (or use another DATA_DIR)`;
  return pasted.length
    ? `faces: nothing done, the demo is already seeded and already wears ${pasted.length} real faces (runners ${pasted.map((f) => f.bib).join(', ')}) from an earlier --faces; ${again}`
    : `faces: nothing done, the demo is already seeded and its photos were made without real faces (they are pasted only while the photos are generated); ${again}`;
}
