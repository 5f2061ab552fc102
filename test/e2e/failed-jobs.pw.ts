// The console's Failed jobs page, on a job that really fails: a photo stored with bib search off whose original
// then disappears from the blob folder; switching bib search on queues its `bibs.read` job, which fails (the
// original is missing), is retried once (the e2e server's JOB_RETRY_LIMIT) and lands in the dead letters. The page
// lists it (photo, event, kind, error, attempts), in English and French, passes axe, and its Retry button (by
// keyboard) queues it again once the file is back: the photo is read and the list is empty.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { baseUrl, dataDir, demo, expect, expectNoAxeViolations, test, signInAsOwner } from './support.ts';

/** The admin API of the demo organisation, with its secret key. */
async function admin<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const d = demo();
  const body = init.body instanceof FormData ? init.body : init.body === undefined ? undefined : JSON.stringify(init.body);
  const res = await fetch(`${baseUrl()}/api/v1/admin/${d.org_id}${path}`, {
    method: init.method ?? (body ? 'POST' : 'GET'),
    headers: { 'X-API-Key': d.secret_key, ...(typeof body === 'string' ? { 'Content-Type': 'application/json' } : {}) },
    body,
  });
  const text = await res.text();
  expect(res.ok, `${path}: ${res.status} ${text.slice(0, 300)}`).toBe(true);
  return (JSON.parse(text) as { data: T }).data;
}

test('a failed bib read is listed on the Failed jobs page, and Retry reads the photo once its file is back', async ({
  page,
  problems,
}) => {
  test.setTimeout(120_000);
  // An event with bib search off and one stored photo.
  const event = await admin<{ event_id: number }>('/events', { body: { name: 'Dead letter 10K' } });
  await admin(`/events/${event.event_id}`, { method: 'PATCH', body: { flags: { bib_search: false } } });
  const jpeg = await sharp({ create: { width: 640, height: 427, channels: 3, background: '#3a6' } })
    .jpeg()
    .toBuffer();
  const form = new FormData();
  form.append('files', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'finish-line.jpg');
  const upload = await admin<{ added: number; results: { image_id: string }[] }>(`/events/${event.event_id}/photos`, {
    body: form,
  });
  expect(upload.added).toBe(1);
  const imageId = upload.results[0]!.image_id;
  // The original disappears from the blob folder.
  const original = join(dataDir(), 'blobs', 'originals', `${imageId}.jpg`);
  const bytes = readFileSync(original);
  rmSync(original);

  await signInAsOwner(page);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Failed jobs' }).click();
  await expect(page.getByRole('heading', { name: 'Failed jobs', level: 1 })).toBeVisible();
  await expect(page.locator('pfc-failed-jobs [data-empty], pfc-failed-jobs table[data-jobs]')).toBeVisible();
  const rowsBefore = await page.locator('pfc-failed-jobs tr[data-job]').count();

  // Bib search on: the photo's bibs.read job fails (its original is missing), once more a second later, for good.
  await admin(`/events/${event.event_id}`, { method: 'PATCH', body: { flags: { bib_search: true } } });
  await expect.poll(async () => (await admin<{ state: string }>(`/events/${event.event_id}/bibs/rerun`)).state).toBe('failed');

  await page.reload();
  const row = page.getByRole('row', { name: /finish-line\.jpg/ });
  await expect(row).toBeVisible();
  await expect(page.locator('pfc-failed-jobs tr[data-job]')).toHaveCount(rowsBefore + 1);
  await expect(row.getByRole('rowheader')).toContainText('Dead letter 10K');
  await expect(row).toContainText('Bib reading');
  await expect(row).toContainText('the original file is missing');
  await expect(row.getByRole('cell').nth(2)).toHaveText('2');
  await expectNoAxeViolations(page);

  // In French.
  await page.getByLabel('Language').selectOption('fr');
  await expect(page.getByRole('heading', { name: 'Tâches en échec', level: 1 })).toBeVisible();
  await expect(row).toContainText('Lecture des dossards');
  await expect(row.getByRole('button', { name: 'Relancer finish-line.jpg' })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByLabel('Langue').selectOption('en');
  await expect(page.getByRole('heading', { name: 'Failed jobs', level: 1 })).toBeVisible();

  // The file is back; Retry by keyboard.
  writeFileSync(original, bytes);
  const retry = row.getByRole('button', { name: 'Retry finish-line.jpg' });
  await retry.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'finish-line.jpg: queued again.' })).toBeVisible();
  await expect(page.getByRole('row', { name: /finish-line\.jpg/ })).toHaveCount(0);
  // The job runs again and reads the photo.
  await expect
    .poll(
      async () =>
        (await admin<{ state: string; report: { read: number } | null }>(`/events/${event.event_id}/bibs/rerun`)).report?.read,
    )
    .toBe(1);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Failed jobs', level: 1 })).toBeVisible();
  await expect(page.getByRole('row', { name: /finish-line\.jpg/ })).toHaveCount(0);
  if (rowsBefore === 0) await expect(page.getByText('No failed jobs: every background job went through.')).toBeVisible();
  await expectNoAxeViolations(page);
  // Before signing in the session check is a 401 (as in credits.pw.ts).
  expect(problems.filter((p) => !/http 401: GET .*\/auth\/session$|Failed to load resource/.test(p))).toEqual([]);
});
