import { zoneOffsetMinutes, zonedToEpoch } from '../../core/index.ts';
import { seedDemoCertificates } from '../certify/demo.ts';
import { withShopDemo } from '../checkout/demo.ts';
import { ingestPhoto, type IngestResult } from '../ingest/pipeline.ts';
import { writeSecretFile } from '../secret-file.ts';
import { createApiKey } from '../services/keys.ts';
import type { EventSettings } from '../store/types.ts';
import { seedDemoVideo } from '../video/demo.ts';
import { ensureCreditsDemo } from './credits-demo.ts';
import { demoFile } from './demo-file.ts';
import { demoRunners, refreshDemo, type DemoInfo, type SeedOptions } from './demo-info.ts';
import { ensureDemoOwner } from './demo-owner.ts';
import { demoRecall, processingNote } from './demo-search.ts';
import { loadDemoFaces } from './faces.ts';
import { prng } from './random.ts';
import { renderScene } from './scene.ts';

export { demoFile } from './demo-file.ts';
export { demoFacesNote, demoRunners, readDemoInfo, refreshDemo, type DemoInfo, type SeedOptions } from './demo-info.ts';

export const DEMO_EVENT = {
  name: 'Riverside Half Marathon 2026',
  date: '2026-11-22T08:00:00',
  timeZone: 'Europe/Paris',
  watermark: 'photo-finish · demo',
};

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

export async function seedDemo(o: SeedOptions): Promise<{
  info: DemoInfo;
  created: boolean;
  bibs?: DemoBibRecall;
  /** The bibs drawn on each photo (a first seed): the OCR recall of photos read later is measured against them. */
  truth?: { image_id: string; bibs: string[] }[];
}> {
  const again = await refreshDemo(o);
  if (again) return again;
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
  // Serving first: renditions only now, the faces and bibs by the job queue after (seed/demo-search.ts).
  const ingestDeps = o.searchLater ? { store: o.store, blobs: o.blobs } : o;
  const startedAt = new Date();
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
    const work = ingestPhoto(ingestDeps, event, {
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
  const recall = o.bibtrack && !sidecar && !o.searchLater ? await demoRecall(o.store, truth) : undefined;
  // Not read yet when serving first: the shop's photos get the bibs drawn on them (what the OCR reads: 148 of 148).
  const drawnBibs = o.searchLater ? new Map(truth.map((t) => [t.image_id, t.bibs])) : undefined;
  const info: DemoInfo = await withShopDemo(
    { ...o, ...(drawnBibs ? { bibsOf: drawnBibs } : {}) },
    {
      org_id: org.id,
      event_id: event.id,
      secret_key: secret.key,
      publishable_key: publishable.key,
      base_url: o.baseUrl,
      ...(demoFaces ? { faces: demoFaces.faces } : {}),
      ...(await ensureDemoOwner(o.store, org.id, {})),
    },
  );
  info.credits_org_id = await ensureCreditsDemo(o.store, info.owner_email);
  if (o.searchLater) {
    info.processing = processingNote(count, startedAt);
    await o.searchLater(event);
  }
  writeSecretFile(demoFile(o.dataDir), JSON.stringify(info, null, 2) + '\n');
  return { info, created: true, truth, ...(recall ? { bibs: recall } : {}) };
}
