import { expect, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { TimelineDays } from '../../core/api/models.ts';
import type { PfGallery } from '../../widgets/pf-gallery/pf-gallery.ts';
import type { PfTimeline } from '../../widgets/pf-timeline/pf-timeline.ts';
import { deepActive, demoEvent, fixtureInfo, makeEvent, shadowFind } from './fixture.ts';

const bars = (t: PfTimeline) => [...t.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part=bar]')];

async function mount(attrs = '', opts: { key?: string; event?: number; lang?: string } = {}) {
  const root = await demoEvent(html``, opts);
  root.innerHTML = `<pf-timeline ${attrs}></pf-timeline>`;
  const timeline = root.querySelector('pf-timeline')!;
  await waitUntil(
    () => bars(timeline).length > 0 || timeline.shadowRoot?.querySelector('[part=unavailable],[part=error]'),
    'nothing drawn',
    {
      timeout: 10000,
    },
  );
  return { root, timeline };
}

async function serverDays(): Promise<TimelineDays> {
  const { url, demo } = await fixtureInfo();
  const res = await fetch(`${url}/api/v1/ext/${demo.org_id}/event/${demo.event_id}/timeline/days`, {
    headers: { 'X-API-Key': demo.publishable_key },
  });
  return ((await res.json()) as { data: TimelineDays }).data;
}

/** Spec §3.9 widget note: an hour bucket starts at Date.UTC(y, m-1, d, hour) / 1000. */
function bucketFrom(date: string, hour: number): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d, hour) / 1000;
}

describe('pf-timeline', () => {
  afterEach(() => history.replaceState(null, '', location.pathname));

  it("draws the server's hour buckets in the event's time zone with their counts read out", async () => {
    const { timeline } = await mount();
    const { days } = await serverDays();
    const hours = days.flatMap((d) => d.hours);
    const withPhotos = bars(timeline).filter((b) => !b.disabled);
    expect(withPhotos).to.have.length(hours.length);
    // The demo race starts at 08:05 in Europe/Paris (07:05 UTC): the first bar is 08:00–09:00 local time.
    const first = withPhotos[0]!.getAttribute('aria-label')!;
    expect(first).to.match(/^8\sAM to 9\sAM: \d+ photos?$/);
    expect(first).to.contain(`${hours[0]!.count} photo`);
    expect(timeline.shadowRoot!.querySelector('[part=chart]')!.getAttribute('role')).to.equal('toolbar');
    await expect(timeline).to.be.accessible();
  });

  it('moves with the arrow keys, shows an hour on Enter, and pages earlier/later', async () => {
    const { root, timeline } = await mount('page-size="12"');
    const { days } = await serverDays();
    const first = days[0]!.hours[0]!;
    bars(timeline)[0]!.focus();
    await sendKeys({ press: 'ArrowRight' });
    await waitUntil(() => deepActive() === bars(timeline).filter((b) => !b.disabled)[1], 'ArrowRight did not move');
    await sendKeys({ press: 'Home' });
    await waitUntil(() => deepActive() === bars(timeline)[0], 'Home did not move');
    setTimeout(() => sendKeys({ press: 'Enter' }));
    const ev = await oneEvent(root, 'pf-search');
    const from = bucketFrom(days[0]!.date, first.hour);
    expect(ev.detail).to.deep.include({ method: 'timeline', from, to: from + 3600 });
    const gallery = await shadowFind<PfGallery>(timeline, 'pf-gallery', 'hour gallery');
    await waitUntil(() => gallery.count === first.count, `gallery should hold ${first.count} photos`, { timeout: 10000 });
    expect(bars(timeline)[0]!.getAttribute('aria-pressed')).to.equal('true');
    expect(new URLSearchParams(location.search).get('time')).to.equal(new Date(from * 1000).toISOString().slice(0, 16) + 'Z');
    const earlier = timeline.shadowRoot!.querySelector<HTMLButtonElement>('[part=earlier]')!;
    const later = timeline.shadowRoot!.querySelector<HTMLButtonElement>('[part=later]')!;
    expect(earlier.disabled).to.equal(true);
    later.click();
    const second = days[0]!.hours[1]!;
    await waitUntil(() => gallery.count === second.count, 'later hour not shown', { timeout: 10000 });
    expect(timeline.shadowRoot!.querySelector('[part=window] [role=status]')!.textContent).to.contain(`${second.count} photo`);
    await expect(timeline).to.be.accessible();
  });

  it('restores the chosen hour from ?time=', async () => {
    const { days } = await serverDays();
    const h = days[0]!.hours[2]!;
    history.replaceState(null, '', `?time=${new Date(bucketFrom(days[0]!.date, h.hour) * 1000).toISOString().slice(0, 16)}Z`);
    const { timeline } = await mount();
    const gallery = await shadowFind<PfGallery>(timeline, 'pf-gallery', 'hour gallery');
    await waitUntil(() => gallery.count === h.count, 'hour not restored', { timeout: 10000 });
  });

  it('shows a notice when the event has the timeline off', async () => {
    const ev = await makeEvent({ flags: { timeline_search: false } });
    const { timeline } = await mount('', { event: ev.event_id, key: ev.key });
    expect(timeline.shadowRoot!.querySelector('[part=unavailable]')!.textContent).to.contain('not available for this event');
    await expect(timeline).to.be.accessible();
  });

  it('says so when no photo has a capture time', async () => {
    const ev = await makeEvent({});
    const root = await demoEvent(html``, { event: ev.event_id, key: ev.key });
    root.innerHTML = '<pf-timeline></pf-timeline>';
    const timeline = root.querySelector('pf-timeline')!;
    const empty = await shadowFind(timeline, '[part=empty]', 'empty notice');
    expect(empty.textContent).to.contain('No photos with a capture time yet.');
  });

  it('speaks French with 24-hour times when lang="fr"', async () => {
    const { timeline } = await mount('', { lang: 'fr' });
    const label = bars(timeline)
      .find((b) => !b.disabled)!
      .getAttribute('aria-label')!;
    expect(label).to.match(/^De 08\sh à 09\sh : \d+ photos?$/);
  });
});
