/// <reference lib="dom" />
// Motion on the demo: the seed generated a finish-line video with the demo runners who wear real faces; a
// selfie of one of them on the demo page shows, next to the photos, that runner's clip, and the clip plays.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { baseUrl, demo, expect, expectNoAxeViolations, test } from './support.ts';

const FACES = resolve(process.env.FACES_DATASET ?? join(import.meta.dirname, '..', '..', '..', 'shared', 'datasets', 'faces'));
/** A photograph of the person that is not the one pasted into the demo scenes and video. */
const SELFIE = { person: 'obama', file: 'obama/obama_podium.jpg' };

test.describe('video clips by selfie (Motion)', () => {
  test.skip(!existsSync(join(FACES, SELFIE.file)), `face dataset not found at ${FACES}`);

  test('a selfie on the demo shows the clip of that runner, pending first, then playable and downloadable', async ({
    page,
    problems,
  }) => {
    test.setTimeout(120_000);
    expect(
      demo().faces?.some((f) => f.person === SELFIE.person),
      'the e2e seed pastes dataset faces on runners',
    ).toBe(true);
    const clipRequests: string[] = [];
    page.on('request', (req) => {
      if (/\/video-clipping\//.test(req.url())) clipRequests.push(`${req.method()} ${new URL(req.url()).pathname}`);
    });

    await page.goto(`${baseUrl()}/`);
    // The demo pages search through pf-finder: the selfie search is its Selfie tab.
    await page.locator('pf-finder').getByRole('tab', { name: 'Selfie' }).click();
    const el = page.locator('pf-selfie-search');
    await el.getByRole('checkbox').check();
    await el.locator('input#file').setInputFiles(join(FACES, SELFIE.file));
    await el.getByRole('button', { name: 'Find my photos' }).click({ timeout: 60_000 });
    await expect(el.locator('[part~="summary"]')).toContainText(/\d+ photos? found/, { timeout: 30_000 });

    const clips = el.locator('pf-video-clips');
    await expect(clips.getByRole('heading', { name: 'Your video clips' })).toBeVisible();
    await expect(clips.locator('[part~="count"]')).toHaveText(/1 video clip found/, { timeout: 60_000 });
    // The clip search started from the photo search's request_id: no second upload, then polled.
    const requestId = new URL(page.url()).searchParams.get('selfie')!;
    expect(clipRequests[0]).toMatch(/^POST .*\/video-clipping\/search-by-selfie$/);
    expect(clipRequests).toContain(`GET /api/v1/ext/${demo().org_id}/event/${demo().event_id}/video-clipping/${requestId}`);

    const video = clips.locator('video');
    await expect(video).toHaveCount(1);
    await expect(clips.locator('[part~="download"]')).toHaveAttribute('href', /download=1/);
    // It plays: metadata loads, and after play() the current time moves.
    const played = await video.evaluate(async (v: HTMLVideoElement) => {
      v.muted = true;
      if (v.readyState < 1) await new Promise((r) => v.addEventListener('loadedmetadata', r, { once: true }));
      await v.play();
      await new Promise<void>((r) => {
        const check = () => (v.currentTime > 0.3 ? r() : requestAnimationFrame(check));
        check();
      });
      return { duration: v.duration, time: v.currentTime, width: v.videoWidth, error: v.error?.code ?? null };
    });
    expect(played.error).toBeNull();
    expect(played.width).toBe(1280);
    expect(played.duration).toBeGreaterThan(3);
    expect(played.time).toBeGreaterThan(0.3);
    await expectNoAxeViolations(page);
    await page.screenshot({ path: 'test-results/screenshots/selfie-video-clips.png' });
    expect(problems.filter((p) => !p.startsWith('console: Failed to load resource'))).toEqual([]);
  });
});
