// The two ways to serve: `npm start` (the demo: seeds the demo organisation once and prints its keys) and
// `photo-finish serve` (production: never seeds, never prints a secret, no test gateway, PUBLIC_URL required).
import { existsSync } from 'node:fs';
import { checkBlobsOrExit } from './blobs/check.ts';
import { createDeps } from './bootstrap.ts';
import type { AppDeps } from './deps.ts';
import { ConfigError, loadConfig, type Config, type ServeMode } from './config.ts';
import { startServer } from './serve.ts';
import type { SeedOptions } from './seed/demo-info.ts';
import { sweepOrphans } from './services/orphans.ts';

export async function runServer(mode: ServeMode): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env, mode);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(`photo-finish: ${e.message}\nSee docs/operations.md for every variable and its default.`);
    process.exit(2);
  }
  const deps = await createDeps(config, {
    serveSite: mode === 'demo' ? true : 'kit',
    work: config.jobs.inServer ?? !config.databaseUrl,
  });
  await checkBlobsOrExit(deps);
  if (!existsSync(config.staticRoot)) {
    deps.log.warn('the widget build is missing: run `npm run build` (npm start does it for you)', { dir: config.staticRoot });
  }
  const t0 = Date.now();
  const demo = mode === 'demo' ? await seed(deps, config) : null;
  const running = await startServer(deps, config.port, config.host);
  // A first start serves before the demo photos' faces and bibs are read (seed/demo-search.ts): say when they are.
  const searching = new AbortController();
  if (demo?.info.processing) void announceDemoSearch(deps, config, demo, searching.signal, t0);
  // What a crash or a kill left behind: spooled request bodies, originals written without their row. After listening
  // (it lists every blob, so it grows with the data; it only removes what is over an hour old).
  void sweepOrphans(deps, config.dataDir).catch((e: unknown) => deps.log.error('orphan sweep failed', { error: String(e) }));
  deps.faces?.startSweeper();
  // Uploads a stop left complete but unprocessed go through the ingest now (in the background).
  void deps.uploads.resume().catch((e: unknown) => deps.log.error('upload queue did not resume', { error: String(e) }));
  // Renditions drawn with an older watermark (an interrupted refresh, or photos from before thumbnails were
  // watermarked) are re-rendered in the background; the old files are served until then.
  void deps.renditions.resume();
  // Clip jobs a stopped server left queued or running start again.
  void deps.video.resume().catch((e: unknown) => deps.log.error('video clip jobs not resumed', { error: String(e) }));
  if (demo) {
    const { info, created } = demo;
    console.log(`
photo-finish is running at ${running.url}/
  demo page     ${running.url}/            (also /cms.html and /csp.html)
  photo shop    ${running.url}/shop.html   (a second event that sells its photos; test gateway)
  event page    ${running.url}/e/${info.org_id}/${(await deps.store.events.get(info.event_id))?.slug ?? info.event_id}   (QR code: …/qr.png)
  API           ${running.url}/api/v1/ext/${info.org_id}/event/${info.event_id}/images
  org_id ${info.org_id}, event_id ${info.event_id}${created ? ` (seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s)` : ''}${info.processing ? `\n  search        bib and selfie search are reading the demo photos in the background (the demo page says so until they are done)` : ''}
  secret key      ${info.secret_key}
  publishable key ${info.publishable_key}
  console         ${running.url}/console   owner ${info.owner_email ?? '-'} / ${info.owner_password ?? '(changed in the console)'}
  credits demo    organisation ${info.credits_org_id ?? '-'} "Demo Timing Co" (Pay As You Go; the same owner, also a server operator)
  data            ${config.dataDir} (keys also in ${demo.file})
`);
  } else {
    // Production: no key, no secret, nothing seeded. Organisations and keys come from the CLI.
    console.log(`photo-finish is running at ${running.url}/ (public URL ${config.publicUrl!}/, data in ${config.dataDir})`);
  }

  let stopping = false;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      if (stopping) process.exit(1);
      stopping = true;
      searching.abort();
      console.log(`${sig}: finishing in-flight requests…`);
      // Stops the HTTP server, then deps.close(): sweeper, worker threads, store.
      running.close().then(
        () => process.exit(0),
        (e: unknown) => {
          console.error(`shutdown failed: ${String(e)}`);
          process.exit(1);
        },
      );
      setTimeout(() => process.exit(1), 10_000).unref();
    });
  }
}

/** The demo seed (`npm start` only): the demo organisation, keys and events, once. */
async function seed(deps: AppDeps, config: Config) {
  const { demoFacesNote, demoFile, refreshDemo } = await import('./seed/demo-info.ts');
  const baseUrl = config.publicUrl ?? `http://${config.host}:${config.port}`;
  const o: SeedOptions = {
    store: deps.store,
    blobs: deps.blobs,
    certificates: deps.certificates,
    dataDir: config.dataDir,
    baseUrl,
    count: config.demo.photos,
    faces: deps.faces,
    video: deps.video,
    bibtrack: deps.bibtrack,
    facePhotos: config.demo.faces,
    shopPhotos: config.demo.shopPhotos,
    onProgress: (n: number, total: number) => {
      if (n === 1 || n % 12 === 0 || n === total) process.stdout.write(`seeding demo photos: ${n}/${total}\n`);
    },
  };
  // This process works the job queue (SQLite, or JOBS_IN_SERVER): serve first, read the faces and bibs after.
  if ((deps.faces || deps.bibtrack) && (config.jobs.inServer ?? !config.databaseUrl))
    o.searchLater = async (event) => (await import('./seed/demo-search.ts')).queueDemoSearch(deps, event);
  // A restart finds the demo seeded: the seed itself (scene renderer, sharp, the pipeline) is not even loaded.
  const seeded = (await refreshDemo(o)) ?? (await (await import('./seed/demo.ts')).seedDemo(o));
  const { info, created } = seeded;
  // A restart before the reads were done: queue what is not read (what is still queued is not queued twice).
  if (!created && info.processing && o.searchLater) {
    const event = await deps.store.events.get(info.event_id);
    if (event) await o.searchLater(event);
  }
  const bibs = 'bibs' in seeded ? seeded.bibs : undefined;
  if (bibs) process.stdout.write(`demo bibs read by OCR: ${bibs.read} of ${bibs.shown} (${bibs.wrong} wrong reads)\n`);
  const facesNote = demoFacesNote(
    { facePhotos: config.demo.faces, faces: deps.faces, dataDir: config.dataDir },
    { created, info },
  );
  if (facesNote) process.stdout.write(`${facesNote}\n`);
  return { info, created, file: demoFile(config.dataDir), truth: 'truth' in seeded ? seeded.truth : undefined };
}

/** Waits for the demo photos' faces and bibs to be read, then says so (with the OCR recall on a first start). */
async function announceDemoSearch(
  deps: AppDeps,
  config: Config,
  demo: { truth?: { image_id: string; bibs: string[] }[] | undefined },
  signal: AbortSignal,
  t0: number,
) {
  try {
    const { demoRecall, whenDemoSearchReady } = await import('./seed/demo-search.ts');
    const ready = await whenDemoSearchReady(deps, config.dataDir, { signal });
    if (!ready) return;
    const took = ((Date.now() - t0) / 1000).toFixed(1);
    const { faces, bibs: unread } = ready.unread;
    if (faces || unread)
      process.stdout.write(
        `demo: the reads stopped with photos left: ${faces} without their faces, ${unread} without their bibs read ` +
          `(${took} s after the start; the console's Failed jobs page and the log say why)\n`,
      );
    else process.stdout.write(`demo: bib and selfie search ready, ${ready.photos} photos read (${took} s after the start)\n`);
    if (demo.truth && deps.bibtrack) {
      const bibs = await demoRecall(deps.store, demo.truth);
      process.stdout.write(`demo bibs read by OCR: ${bibs.read} of ${bibs.shown} (${bibs.wrong} wrong reads)\n`);
    }
  } catch (e) {
    deps.log.error('demo search: could not follow the reads', { error: String(e) });
  }
}
