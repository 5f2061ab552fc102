import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { FailedJob, FailedJobList, RetriedJob } from '../../core/api/jobs.ts';
import { msg, str } from '../i18n/index.ts';
import { href } from '../router.ts';
import { errorBox } from '../shared/console-element.ts';
import { ConsolePage } from '../shared/console-page.ts';
import { formatInstant, formatNumber } from '../shared/format.ts';

/** What a kind of job does, in words. */
function kindLabel(kind: FailedJob['kind']): string {
  switch (kind) {
    case 'upload.process':
      return msg('Race-day upload', { id: 'console.jobs.kind-upload' });
    case 'photo.ingest':
      return msg('Uploaded photo', { id: 'console.jobs.kind-photo' });
    case 'video.clip':
      return msg('Clip search', { id: 'console.jobs.kind-clip' });
    case 'faces.index':
      return msg('Face indexing', { id: 'console.jobs.kind-faces' });
    case 'bibs.read':
      return msg('Bib reading', { id: 'console.jobs.kind-bibs' });
    case 'certificate.render':
      return msg('Certificate render', { id: 'console.jobs.kind-certificate' });
  }
}

/**
 * The organisation's failed background jobs (the dead letters of the job queue: uploads, photos, face indexing, bib
 * reads, clip searches that failed after their retries), newest first, each with what it was about, the error, its
 * attempts and when it failed, and a Retry button (owners and admins) that puts it back in the queue.
 *
 * @element pfc-failed-jobs
 */
@customElement('pfc-failed-jobs')
export class PfcFailedJobs extends ConsolePage {
  @state() private jobs: FailedJob[] | null = null;
  @state() private retryError: { job: string; error: unknown } | null = null;
  @state() private busy = new Set<string>();
  @state() private notice = '';

  protected override get loaded() {
    return this.jobs !== null;
  }

  protected override async read() {
    this.jobs = (await this.api.get<FailedJobList>(this.api.admin(this.org, '/jobs/failed'))).jobs;
  }

  private async retry(job: FailedJob) {
    this.busy = new Set([...this.busy, job.job_id]);
    this.retryError = null;
    this.notice = '';
    try {
      await this.api.post<RetriedJob>(this.api.admin(this.org, `/jobs/${job.job_id}/retry`));
      this.jobs = (this.jobs ?? []).filter((j) => j.job_id !== job.job_id);
      this.notice = msg(str`${this.subject(job)}: queued again.`, { id: 'console.jobs.retried' });
      // The row is gone: keep the focus in the page (the heading), the notice says what happened.
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('h1')?.focus();
    } catch (e) {
      this.retryError = { job: job.job_id, error: e };
    } finally {
      const next = new Set(this.busy);
      next.delete(job.job_id);
      this.busy = next;
    }
  }

  /** What the job was about: the photo's name, else its kind. */
  private subject(j: FailedJob): string {
    return j.photo_name ?? kindLabel(j.kind);
  }

  override render() {
    return html`<h1 tabindex="-1">${msg('Failed jobs', { id: 'console.failed-jobs' })}</h1>
      <p class="muted">
        ${msg(
          'Background work that still failed after its retries: uploads, photos, face indexing, bib reading, clip searches. Fix the cause, then retry.',
          { id: 'console.jobs.intro' },
        )}
      </p>
      ${this.loadStatus()}
      <p class="notice" role="status">${this.notice}</p>
      ${this.jobs ? this.renderJobs(this.jobs) : nothing}`;
  }

  private renderJobs(jobs: FailedJob[]) {
    if (jobs.length === 0)
      return html`<p data-empty>${msg('No failed jobs: every background job went through.', { id: 'console.jobs.none' })}</p>`;
    return html`<div class="table-wrap">
      <table data-jobs>
        <caption class="visually-hidden">
          ${msg(str`${formatNumber(jobs.length, this.formatTag)} failed jobs`, { id: 'console.jobs.caption' })}
        </caption>
        <thead>
          <tr>
            <th scope="col">${msg('About', { id: 'console.jobs.about' })}</th>
            <th scope="col">${msg('Job', { id: 'console.jobs.kind' })}</th>
            <th scope="col">${msg('Error', { id: 'console.jobs.error' })}</th>
            <th scope="col" class="num">${msg('Attempts', { id: 'console.jobs.attempts' })}</th>
            <th scope="col">${msg('Failed', { id: 'console.jobs.failed-at' })}</th>
            ${this.canManage ? html`<th scope="col">${msg('Actions', { id: 'console.actions' })}</th>` : nothing}
          </tr>
        </thead>
        <tbody>
          ${jobs.map(
            (j) =>
              html`<tr data-job=${j.job_id}>
                <th scope="row">
                  ${this.subject(j)}
                  ${
                    j.event_id !== null
                      ? html`<br /><a class="muted" href=${href(`/events/${j.event_id}`)}
                            >${j.event_name ?? msg(str`Event ${j.event_id}`, { id: 'console.jobs.event-n' })}</a
                          >`
                      : nothing
                  }
                </th>
                <td>${kindLabel(j.kind)}</td>
                <td>${j.error ?? '—'} ${this.retryError?.job === j.job_id ? errorBox(this.retryError.error) : nothing}</td>
                <td class="num">${formatNumber(j.attempts, this.formatTag)}</td>
                <td>${formatInstant(j.failed_at, this.formatTag)}</td>
                ${
                  this.canManage
                    ? html`<td>
                        <button
                          class="btn small"
                          type="button"
                          ?disabled=${this.busy.has(j.job_id)}
                          @click=${() => void this.retry(j)}
                        >
                          ${msg('Retry', { id: 'console.jobs.retry' })}<span class="visually-hidden"> ${this.subject(j)}</span>
                        </button>
                      </td>`
                    : nothing
                }
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'pfc-failed-jobs': PfcFailedJobs;
  }
}
