import { readFile } from 'node:fs/promises';
import type { AppDeps } from '../deps.ts';
import { ApiError } from '../http/errors.ts';
import type { BibTrack } from '../services/bibtrack.ts';
import { OcrModelsError } from '../vision/ocr/errors.ts';
import { CliError, EXIT } from './errors.ts';

async function eventOf(deps: AppDeps, id: number) {
  const event = await deps.store.events.get(id);
  if (!event) throw new CliError(EXIT.failed, `event ${id} not found (photo-finish event list --org N shows them)`);
  return event;
}

function service(deps: AppDeps): BibTrack {
  if (!deps.bibtrack) throw new CliError(EXIT.failed, 'bib OCR is not configured in this build');
  return deps.bibtrack;
}

/** `photo-finish bibs rerun --event N [--unread]`: reads the bibs of the event's photos again. */
export async function runBibsRerun(
  deps: AppDeps,
  o: { eventId: number; unread: boolean; concurrency?: number; json: boolean; queue?: boolean },
): Promise<number> {
  const ocr = service(deps);
  const event = await eventOf(deps, o.eventId);
  if (o.queue) {
    // One bibs.read job per photo for the workers (or the server, on SQLite); 409 while the last re-run still runs.
    let job;
    try {
      job = await ocr.startRerun(event, { unreadOnly: o.unread });
    } catch (e) {
      if (e instanceof ApiError) throw new CliError(EXIT.failed, e.message);
      throw e;
    }
    if (o.json) console.log(JSON.stringify(job, null, 2));
    else
      console.log(
        `event ${event.id}: ${job.total} photos queued (bibs.read jobs); the workers (or the server, on SQLite) read them: ` +
          'photo-finish bibs status and GET …/bibs/rerun show the progress',
      );
    return EXIT.ok;
  }
  const tty = process.stderr.isTTY;
  let last = 0;
  let report;
  try {
    report = await ocr.rerunEvent(deps.blobs, event, {
      unreadOnly: o.unread,
      concurrency: o.concurrency,
      onProgress: (done, total) => {
        const now = Date.now();
        if (tty) process.stderr.write(`\r\x1b[Kbibs: ${done}/${total} photos`);
        else if (now - last >= 2000 || done === total) {
          last = now;
          process.stderr.write(`bibs: ${done}/${total} photos\n`);
        }
      },
    });
  } catch (e) {
    if (e instanceof OcrModelsError) throw new CliError(EXIT.failed, `bibs not read: ${e.message}`);
    throw e;
  }
  if (tty) process.stderr.write('\n');
  if (o.json) console.log(JSON.stringify(report, null, 2));
  else {
    console.log(
      `event ${event.id}: ${report.read} of ${report.photos} photos read in ${report.seconds} s; ` +
        `${report.accepted} bibs accepted, ${report.candidates} candidates outside the issued list; ` +
        `tags ${report.added} added, ${report.updated} updated, ${report.removed} removed, ${report.kept} reviewed kept` +
        (report.failed.length ? `; ${report.failed.length} failed` : ''),
    );
    for (const f of report.failed) console.log(`  ${f.image_id}: ${f.error}`);
    if (!event.flags.bib_search) console.log('note: bib search is switched off for this event (flags.bib_search)');
  }
  return report.failed.length ? EXIT.someFilesFailed : EXIT.ok;
}

/** `photo-finish bibs issued <file.csv> --event N [--append]` or `--clear`: the event's issued-bib list. */
export async function runBibsIssued(
  deps: AppDeps,
  o: { eventId: number; file: string | null; append: boolean; clear: boolean; json: boolean },
): Promise<number> {
  const ocr = service(deps);
  const event = await eventOf(deps, o.eventId);
  let report;
  if (o.clear) report = await ocr.clearIssued(event);
  else {
    const text = await readFile(o.file!).catch((e: Error) => {
      throw new CliError(EXIT.failed, `cannot read ${o.file}: ${e.message}`);
    });
    try {
      report = await ocr.putIssued(event, text, o.append ? 'append' : 'replace');
    } catch (e) {
      if (e instanceof ApiError) throw new CliError(EXIT.failed, `${o.file}: ${e.message.replace(/^file: /, '')}`);
      throw e;
    }
  }
  if (o.json) console.log(JSON.stringify(report, null, 2));
  else {
    for (const p of report.problems) console.error(`${o.file}:${p.line}: ${p.error}`);
    console.log(
      (o.clear
        ? `event ${event.id}: issued-bib list removed`
        : `event ${event.id}: ${report.issued} issued bibs (${report.bibs} read from ${report.rows} rows` +
          `${report.problems.length ? `, ${report.problems.length} rows skipped` : ''})`) +
        `${report.certificate_bibs ? `; the ${report.certificate_bibs} bibs of the certificate records count too` : ''}; ` +
        `reads already stored: ${report.now_accepted} now accepted, ${report.now_candidates} now candidates`,
    );
  }
  return EXIT.ok;
}

/** `photo-finish bibs status --event N`. */
export async function runBibsStatus(deps: AppDeps, o: { eventId: number; json: boolean }): Promise<number> {
  const ocr = service(deps);
  const event = await eventOf(deps, o.eventId);
  const s = await ocr.overview(event);
  if (o.json) console.log(JSON.stringify(s, null, 2));
  else {
    console.log(
      `event ${event.id}: ${s.images} photos; ${s.read} read by OCR, ${s.failed} failed, ${s.not_read} not read; ` +
        `${s.tagged} with a bib, ${s.untagged} without; ${s.ocr_accepted} OCR reads accepted, ${s.ocr_candidates} candidates, ` +
        `${s.rejected} rejected, ${s.manual} manual; issued list ${s.issued} bibs (+${s.certificate_bibs} from certificates)` +
        `${s.bib_search ? '' : '; bib search is off'}`,
    );
    if (s.not_read || s.failed) console.log(`read the rest with: photo-finish bibs rerun --event ${event.id} --unread`);
  }
  return EXIT.ok;
}
