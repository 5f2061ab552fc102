import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normaliseBib, zoneOffsetMinutes, zonedToEpoch } from '../../core/index.ts';
import type { BlobStore } from '../blobs/types.ts';
import { seedDemoCertificates } from '../certify/demo.ts';
import { withShopDemo } from '../checkout/demo.ts';
import type { FaceStage } from '../ingest/faces.ts';
import type { OcrStage } from '../ingest/ocr.ts';
import { ingestPhoto, type IngestResult } from '../ingest/pipeline.ts';
import { writeSecretFile } from '../secret-file.ts';
import { createApiKey } from '../services/keys.ts';
import type { EventSettings, Store } from '../store/types.ts';
import type { CertificateService } from '../certify/service.ts';
import { ensureCreditsDemo } from './credits-demo.ts';
import { ensureDemoOwner } from './demo-owner.ts';
import { loadDemoFaces, type DemoFace } from './faces.ts';
import { prng } from './random.ts';
import { renderScene, type Runner } from './scene.ts';
import { seedDemoVideo } from '../video/demo.ts';
import type { VideoService } from '../video/service.ts';

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
  /** The metered demo organisation "Demo Timing Co" (Pay As You Go, the same owner; docs/credits.md). */
  credits_org_id?: number;
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
}

export const DEMO_EVENT = {
  name: 'Riverside Half Marathon 2026',
  date: '2026-11-22T08:00:00',
  timeZone: 'Europe/Paris',
  watermark: 'photo-finish · demo',
};

const SHIRTS = ['#e53935', '#1e88e5', '#43a047', '#fdd835', '#8e24aa', '#fb8c00', '#00acc1', '#6d4c41', '#3949ab', '#d81b60'];

/** The demo field: 24 runners with 3- and 4-digit bibs, one with a leading zero. */
export function demoRunners(): Runner[] {
  const r = prng(7);
  const bibs = new Set<string>(['0427']);
  while (bibs.size < 24) bibs.add(String(r.int(100, 2999)));
  return [...bibs].map((bib, i) => ({ bib, shirt: SHIRTS[i % SHIRTS.length]! }));
}

export const demoFile = (dataDir: string) => join(dataDir, 'demo.json');

export function readDemoInfo(dataDir: string): DemoInfo | null {
  const f = demoFile(dataDir);
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as DemoInfo) : null;
}

/** How many of the bibs drawn on the demo photos the OCR read (accepted reads), and accepted reads of no drawn bib. */
export interface DemoBibRecall {
  shown: number;
  read: number;
  wrong: number;
}

/**
 * Seeds the demo organisation, keys and event with generated race photos (readable bibs, capture times
 * spread over the morning, a few untimed). Does nothing when data/demo.json names an existing event.
 * With a `bibtrack` stage the bibs are read from the photos (`bibs` reports the recall); without, they are
 * given as sidecar tags.
 */
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

export async function seedDemo(o: SeedOptions): Promise<{ info: DemoInfo; created: boolean; bibs?: DemoBibRecall }> {
  const existing = readDemoInfo(o.dataDir);
  if (existing && (await o.store.events.get(existing.event_id))) {
    const { owner_email, owner_password, ...rest } = existing;
    const owner = await ensureDemoOwner(o.store, existing.org_id, { email: owner_email, password: owner_password });
    const info = await withShopDemo(o, { ...rest, base_url: o.baseUrl, ...owner });
    info.credits_org_id = await ensureCreditsDemo(o.store, info.owner_email);
    await seedDemoCertificates(o, info.event_id, demoRunners());
    writeSecretFile(demoFile(o.dataDir), JSON.stringify(info, null, 2) + '\n');
    return { info, created: false };
  }
  const count = Math.max(1, o.count ?? 72);
  const org = await o.store.orgs.create('Demo Running Club');
  const event = await o.store.events.create(org.id, {
    name: DEMO_EVENT.name,
    event_date: DEMO_EVENT.date,
    time_zone: DEMO_EVENT.timeZone,
    watermark_text: DEMO_EVENT.watermark,
    free_downloads: true,
    // Its results (certificate records) hold the runners' names: name search works out of the box.
    flags: { name_search: true } as EventSettings['flags'],
  });
  const secret = await createApiKey(o.store, org.id, { kind: 'secret', label: 'demo secret key' });
  const publishable = await createApiKey(o.store, org.id, { kind: 'publishable', label: 'demo widgets', eventIds: [event.id] });

  const r = prng(2026);
  const runners = demoRunners();
  const bibs = runners.map((x) => x.bib);
  const demoFaces = o.facePhotos && o.faces ? await loadDemoFaces(o.facePhotos, o.faces, bibs) : null;
  const start = zonedToEpoch(2026, 11, 22, 8, 5, 0, DEMO_EVENT.timeZone);
  const offsetMin = zoneOffsetMinutes(DEMO_EVENT.timeZone, start);
  const offset = `${offsetMin >= 0 ? '+' : '-'}${String(Math.floor(Math.abs(offsetMin) / 60)).padStart(2, '0')}:${String(Math.abs(offsetMin) % 60).padStart(2, '0')}`;
  // The results first: their bibs are the event's issued list, which the OCR reads are checked against.
  await seedDemoCertificates(o, event.id, runners);
  const sidecar = o.sidecarBibs ?? !o.bibtrack;
  const truth: { image_id: string; bibs: string[] }[] = [];
  const pending = new Set<Promise<IngestResult>>();
  let done = 0;
  for (let i = 0; i < count; i++) {
    // Spread over ~4.5 h with bunches (the leaders, the pack, the tail) and 3 untimed photos.
    const t = start + Math.round((i / count) ** 1.3 * 4.5 * 3600_000 + r.between(0, 120_000));
    const local = new Date(t + offsetMin * 60_000).toISOString();
    const exif =
      i % 25 === 24 ? null : { dateTimeOriginal: `${local.slice(0, 10).replaceAll('-', ':')} ${local.slice(11, 19)}`, offset };
    const field = [...runners].sort(() => r.next() - 0.5).slice(0, r.int(1, 3));
    const data = await renderScene(r, {
      width: 1600,
      height: 1067,
      runners: field,
      faces: demoFaces ? field.map((f) => demoFaces.cutouts.get(f.bib) ?? null) : undefined,
      banner: i % 6 === 0 ? 'FINISH · RIVERSIDE HALF' : null,
      exif,
    });
    // A few photos in flight: the OCR and face stages work while the next scene is drawn.
    const drawn = field.map((f) => f.bib);
    const work = ingestPhoto(o, event, {
      name: `demo-${String(i + 1).padStart(3, '0')}.jpg`,
      data,
      bibs: sidecar ? drawn : [],
    }).then((res) => {
      if (res.status === 'failed') throw new Error(`demo photo ${i + 1} failed: ${res.error}`);
      if (res.status === 'added') truth.push({ image_id: res.image_id, bibs: drawn });
      o.onProgress?.(++done, count);
      return res;
    });
    pending.add(work);
    void work.finally(() => pending.delete(work)).catch(() => undefined);
    if (pending.size >= 3) await Promise.race(pending);
  }
  await Promise.all(pending);
  if (o.video && demoFaces) {
    const runnersWithFaces = runners.flatMap((runner) => {
      const face = demoFaces.cutouts.get(runner.bib);
      return face ? [{ runner, face }] : [];
    });
    const res = await seedDemoVideo(o.video, event, () => prng(31), runnersWithFaces);
    if (res.status === 'failed') throw new Error(`demo video failed: ${res.error}`);
    await o.store.events.update(event.id, { flags: { ...event.flags, video_search: true, video_selfie_search: true } });
  }
  const recall = o.bibtrack && !sidecar ? await demoRecall(o.store, truth) : undefined;
  const info: DemoInfo = await withShopDemo(o, {
    org_id: org.id,
    event_id: event.id,
    secret_key: secret.key,
    publishable_key: publishable.key,
    base_url: o.baseUrl,
    ...(demoFaces ? { faces: demoFaces.faces } : {}),
    ...(await ensureDemoOwner(o.store, org.id, {})),
  });
  info.credits_org_id = await ensureCreditsDemo(o.store, info.owner_email);
  writeSecretFile(demoFile(o.dataDir), JSON.stringify(info, null, 2) + '\n');
  return { info, created: true, ...(recall ? { bibs: recall } : {}) };
}

/** Recall of the OCR over the demo photos: the bibs drawn on each photo against its accepted OCR reads. */
async function demoRecall(store: Store, truth: { image_id: string; bibs: string[] }[]): Promise<DemoBibRecall> {
  const r: DemoBibRecall = { shown: 0, read: 0, wrong: 0 };
  for (const { image_id, bibs } of truth) {
    const drawn = new Set(bibs.map(normaliseBib));
    const accepted = (await store.bibs.listForImage(image_id)).filter((t) => t.source === 'ocr' && t.status === 'accepted');
    const read = new Set(accepted.map((t) => t.bib_norm));
    r.shown += drawn.size;
    for (const b of drawn) if (read.has(b)) r.read++;
    for (const b of read) if (!drawn.has(b)) r.wrong++;
  }
  return r;
}
