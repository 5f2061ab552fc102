import type { AppDeps } from '../deps.ts';
import { relinkEvent } from '../ingest/face-bib-links.ts';
import { queueFaceIndex } from '../jobs/search-jobs.ts';
import { FaceModelsError } from '../vision/face-errors.ts';
import { CliError, EXIT } from './errors.ts';

export interface FacesOptions {
  eventId: number;
  /** Only photos whose faces were never indexed (e.g. ingested while the models were missing). */
  missing: boolean;
  concurrency?: number;
  json: boolean;
  /** Queue a `faces.index` job per photo for the workers (or the server on SQLite) instead of indexing here. */
  queue?: boolean;
}

async function eventOf(deps: AppDeps, id: number) {
  const event = await deps.store.events.get(id);
  if (!event) throw new CliError(EXIT.failed, `event ${id} not found (photo-finish event list --org N shows them)`);
  return event;
}

/** `photo-finish faces reindex --event N [--missing]`: rebuilds the event's faces from the originals. */
export async function runFacesReindex(deps: AppDeps, o: FacesOptions): Promise<number> {
  const faces = deps.faces;
  if (!faces) throw new CliError(EXIT.failed, 'face search is not configured in this build');
  const event = await eventOf(deps, o.eventId);
  if (o.queue) {
    const queued = await queueFaceIndex({ store: deps.store, jobs: deps.jobs, faces }, event, { missingOnly: o.missing });
    if (o.json) console.log(JSON.stringify({ event_id: event.id, kind: 'faces.index', queued }));
    else
      console.log(
        `event ${event.id}: ${queued} photos queued (faces.index jobs); the workers (or the server, on SQLite) index them: ` +
          'photo-finish faces status shows the progress, photo-finish jobs failed the photos that failed',
      );
    return EXIT.ok;
  }
  const tty = process.stderr.isTTY;
  let last = 0;
  let report;
  try {
    report = await faces.reindexEvent(deps.blobs, event, {
      missingOnly: o.missing,
      concurrency: o.concurrency,
      onProgress: (done, total) => {
        const now = Date.now();
        if (tty) process.stderr.write(`\r\x1b[Kfaces: ${done}/${total} photos`);
        else if (now - last >= 2000 || done === total) {
          last = now;
          process.stderr.write(`faces: ${done}/${total} photos\n`);
        }
      },
    });
  } catch (e) {
    if (e instanceof FaceModelsError) throw new CliError(EXIT.failed, e.message);
    throw e;
  }
  if (tty) process.stderr.write('\n');
  if (o.json) console.log(JSON.stringify(report, null, 2));
  else {
    console.log(
      `event ${event.id}: ${report.indexed} of ${report.photos} photos indexed, ${report.faces} faces, in ${report.seconds} s` +
        (report.failed.length ? `; ${report.failed.length} failed` : ''),
    );
    for (const f of report.failed) console.log(`  ${f.image_id}: ${f.error}`);
    console.log('running servers pick up the new faces on their next search');
  }
  return report.failed.length ? EXIT.someFilesFailed : EXIT.ok;
}

/** `photo-finish faces status --event N`: photos, photos indexed, faces. */
export async function runFacesStatus(deps: AppDeps, o: { eventId: number; json: boolean }): Promise<number> {
  const event = await eventOf(deps, o.eventId);
  const s = await deps.store.faces.stats(event.id);
  const links = await deps.store.faceLinks.counts(event.id);
  const missing = s.images - s.scanned;
  if (o.json) console.log(JSON.stringify({ event_id: event.id, ...s, not_indexed: missing, bib_links: links.links }, null, 2));
  else {
    console.log(`event ${event.id}: ${s.images} photos, ${s.scanned} with faces indexed (${s.faces} faces)`);
    console.log(`${links.links} faces linked to a bib, in ${links.photos} photos`);
    if (missing) console.log(`${missing} photos were never indexed: photo-finish faces reindex --event ${event.id} --missing`);
  }
  return EXIT.ok;
}

/** `photo-finish faces link --event N`: links the faces of every photo to its bibs again (from the stored boxes). */
export async function runFacesLink(deps: AppDeps, o: { eventId: number; json: boolean }): Promise<number> {
  const event = await eventOf(deps, o.eventId);
  const t0 = performance.now();
  const report = await relinkEvent(deps.store, event.id);
  const seconds = Math.round((performance.now() - t0) / 100) / 10;
  if (o.json) console.log(JSON.stringify({ ...report, seconds }, null, 2));
  else
    console.log(
      `event ${event.id}: ${report.links} faces linked to a bib in ${report.photos} photos with faces and bib boxes (${seconds} s)`,
    );
  return EXIT.ok;
}
