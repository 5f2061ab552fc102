// `npm start`'s first run serves the demo as soon as its gallery is browsable (issue 20, first run): the seed stores
// the photos with their renditions only (a few seconds), and the faces and bibs of the demo event are read afterwards
// by the job queue (`faces.index` and `bibs.read` jobs, as when a search is switched on later). Until they are done,
// data/demo.json holds a `processing` note that the demo pages show (`{{PROCESSING}}`) and the console says so; when
// the last photo is read, the note goes and the console prints the OCR recall. A server stopped before the end
// resumes the jobs on its next start (the queue is in the store) and the note stays until they are done.
import { readDemoInfo, type DemoInfo } from './demo-info.ts';
import { demoFile } from './demo-file.ts';
import { normaliseBib } from '../../core/index.ts';
import type { AppDeps } from '../deps.ts';
import { queueFaceIndex } from '../jobs/search-jobs.ts';
import { writeSecretFile } from '../secret-file.ts';
import type { EventRow, Store } from '../store/types.ts';

/** What is left to read in the demo event: photos whose faces / bibs were not read yet (0 when that search is off). */
export async function demoSearchLeft(
  deps: Pick<AppDeps, 'store' | 'faces' | 'bibtrack'>,
  event: EventRow,
): Promise<{ photos: number; faces: number; bibs: number }> {
  const [faces, bibs] = await Promise.all([
    deps.faces && event.flags.selfie_search ? deps.store.faces.stats(event.id) : null,
    deps.bibtrack && event.flags.bib_search ? deps.store.bibs.stats(event.id) : null,
  ]);
  return {
    photos: faces?.images ?? bibs?.images ?? 0,
    faces: faces ? faces.images - faces.scanned : 0,
    bibs: bibs ? bibs.images - bibs.read - bibs.failed : 0,
  };
}

/** Queues the reads of the photos not read yet (again on a restart: a photo already queued is not queued twice). */
export async function queueDemoSearch(deps: Pick<AppDeps, 'store' | 'faces' | 'bibtrack' | 'jobs' | 'log'>, event: EventRow) {
  if (deps.faces && event.flags.selfie_search)
    await queueFaceIndex({ store: deps.store, jobs: deps.jobs, faces: deps.faces }, event, { missingOnly: true });
  if (deps.bibtrack && event.flags.bib_search) {
    // 409 while a read of this event is still queued or running: those jobs finish the work.
    await deps.bibtrack.startRerun(event, { unreadOnly: true }).catch((e: unknown) => {
      if ((e as { status?: number }).status !== 409) throw e;
    });
  }
}

/** The note the demo pages show while the photos are read. */
export function processingNote(photos: number, since: Date): string {
  const at = since.toISOString().slice(11, 16);
  return (
    `Bib and selfie search are still reading the ${photos} demo photos (since ${at} UTC): ` +
    'the gallery and the timeline work now; reload this page in a minute or two to search.'
  );
}

/** Recall of the OCR over the demo photos: the bibs drawn on each photo against its accepted OCR reads. */
export async function demoRecall(
  store: Store,
  truth: readonly { image_id: string; bibs: string[] }[],
): Promise<{ shown: number; read: number; wrong: number }> {
  const r = { shown: 0, read: 0, wrong: 0 };
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

/**
 * Waits (polling the store every `everyMs`) until the demo event's photos are read — or until the job queue has
 * nothing left queued or running while some are still unread (their jobs failed for good, e.g. the models are
 * missing: `unread` says how many) — then removes the note from demo.json. Resolves null when `signal` aborts first
 * (the server stops).
 */
export async function whenDemoSearchReady(
  deps: Pick<AppDeps, 'store' | 'faces' | 'bibtrack' | 'jobs'>,
  dataDir: string,
  opts: { signal?: AbortSignal; everyMs?: number } = {},
): Promise<{ info: DemoInfo; photos: number; unread: { faces: number; bibs: number } } | null> {
  for (;;) {
    if (opts.signal?.aborted) return null;
    const info = readDemoInfo(dataDir);
    const event = info && (await deps.store.events.get(info.event_id));
    if (!info || !event) return null;
    const left = await demoSearchLeft(deps, event);
    const done = left.faces === 0 && left.bibs === 0;
    const counts = done ? null : await deps.jobs.counts();
    if (done || counts!.queued + counts!.active === 0) {
      const { processing: _done, ...rest } = info;
      writeSecretFile(demoFile(dataDir), JSON.stringify(rest, null, 2) + '\n');
      return { info: rest, photos: left.photos, unread: { faces: left.faces, bibs: left.bibs } };
    }
    await new Promise<void>((resolve) => {
      const stop = () => {
        clearTimeout(t);
        resolve();
      };
      // Not unref'd: the wait itself keeps a process alive (a server stopping aborts it).
      const t = setTimeout(() => {
        opts.signal?.removeEventListener('abort', stop);
        resolve();
      }, opts.everyMs ?? 1000);
      opts.signal?.addEventListener('abort', stop, { once: true });
    });
  }
}
