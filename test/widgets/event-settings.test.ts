// The event settings as the widgets show them, against the real server: the page password (pf-event's form,
// the token kept for the tab, asked again after a 401), search-only events, the hidden photo count, the Call to
// Action, a site the key does not allow, photos without capture time, days with their year when an event spans
// years, and a certificate widget on an event
// without certificates.
import { expect, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { PfEvent } from '../../widgets/pf-event/pf-event.ts';
import type { PfGallery } from '../../widgets/pf-gallery/pf-gallery.ts';
import type { PfBibSearch } from '../../widgets/pf-bib-search/pf-bib-search.ts';
import { admin, demoEvent, demoKey, fixtureInfo, makeEvent, shadowFind, uploadDemoPhotos } from './fixture.ts';

describe('event settings in the widgets', () => {
  afterEach(() => {
    history.replaceState(null, '', location.pathname);
    sessionStorage.clear();
  });

  it('asks for the page password, keeps the token for the tab, and asks again when it is refused', async () => {
    const ev = await makeEvent({ page_password: 'riverside-2026' });
    await uploadDemoPhotos(ev.event_id, 3);
    const root = (await demoEvent(html`<pf-gallery></pf-gallery>`, { event: ev.event_id, key: ev.key })) as PfEvent;
    const gallery = root.querySelector<PfGallery>('pf-gallery')!;
    const form = await shadowFind<HTMLFormElement>(root, '[part=password]', 'password form');
    // The widgets are hidden until the password is given; nothing but the details was read.
    expect(root.shadowRoot!.querySelector('slot')!.hidden).to.equal(true);
    expect(root.details).to.equal(null);
    await expect(root).to.be.accessible();

    const field = form.querySelector<HTMLInputElement>('[part=password-input]')!;
    expect(form.querySelector(`label[for=${field.id}]`)!.textContent).to.equal('Event password');
    field.focus();
    await sendKeys({ type: 'not-the-password' });
    await sendKeys({ press: 'Enter' });
    const problem = await shadowFind(root, '[part=password-problem]', 'wrong password message');
    expect(problem.textContent).to.contain('That password is not right');
    expect(field.getAttribute('aria-invalid')).to.equal('true');

    field.value = '';
    await sendKeys({ type: 'riverside-2026' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => gallery.count === 3, 'gallery did not load after the password', { timeout: 10000 });
    expect(root.shadowRoot!.querySelector('[part=password]')).to.equal(null);
    const stored = Object.keys(sessionStorage).find((k) => k.startsWith('photo-finish:event-token:'));
    expect(stored, 'token kept for the tab').to.be.a('string');

    // Another pf-event of the same event in this tab uses the kept token: no password asked.
    const again = (await demoEvent(html`<pf-gallery></pf-gallery>`, { event: ev.event_id, key: ev.key })) as PfEvent;
    await waitUntil(() => again.querySelector<PfGallery>('pf-gallery')!.count === 3, 'kept token not used', { timeout: 10000 });
    expect(again.shadowRoot!.querySelector('[part=password]')).to.equal(null);

    // The token is refused later (expired): the next read answers 401 and the password is asked again.
    again.contextValue!.client.eventToken = 'expired-or-forged';
    again.querySelector<PfGallery>('pf-gallery')!.reset();
    await shadowFind(again, '[part=password]', 'password asked again after a 401');
    expect(Object.keys(sessionStorage).some((k) => k.startsWith('photo-finish:event-token:'))).to.equal(false);
  });

  it('search-only event: no browsing (gallery and timeline say so), while a BIB search still finds photos', async () => {
    const { demo } = await fixtureInfo();
    await admin(`/events/${demo.event_id}`, { method: 'PATCH', body: JSON.stringify({ show_all_images: false }) });
    try {
      const root = await demoEvent(html`<pf-bib-search></pf-bib-search><pf-timeline></pf-timeline><pf-gallery></pf-gallery>`);
      const notice = await shadowFind(root.querySelector('pf-gallery')!, '[part=search-only]', 'search-only notice');
      expect(notice.textContent!.trim()).to.equal('Search by BIB number, name or selfie to see your photos.');
      const time = await shadowFind(root.querySelector('pf-timeline')!, '[part=unavailable]');
      expect(time.textContent).to.contain('only through a search');
      const search = root.querySelector<PfBibSearch>('pf-bib-search')!;
      await shadowFind(search, '[part=search-input]');
      search.search('0427');
      const results = await shadowFind<PfGallery>(search, 'pf-gallery');
      await waitUntil(() => (results.count ?? 0) > 0, 'BIB search found nothing on a search-only event', { timeout: 10000 });
      await expect(root).to.be.accessible();
    } finally {
      await admin(`/events/${demo.event_id}`, { method: 'PATCH', body: JSON.stringify({ show_all_images: true }) });
    }
  });

  it('hides the photo count of the whole event when the organiser asks', async () => {
    const ev = await makeEvent({ show_photo_count: false });
    await uploadDemoPhotos(ev.event_id, 2);
    const root = await demoEvent(html`<pf-gallery></pf-gallery>`, { event: ev.event_id, key: ev.key });
    const gallery = root.querySelector<PfGallery>('pf-gallery')!;
    await waitUntil(() => gallery.count === 2, 'photos not shown', { timeout: 10000 });
    await gallery.updateComplete;
    expect(gallery.shadowRoot!.querySelector('[part=status]')!.textContent!.trim()).to.equal('');
  });

  it('shows the Call to Action with the participant’s context in its link', async () => {
    const ev = await makeEvent({
      cta: { url: 'https://shop.example.org/medals?lang=en', text: 'Engrave your medal', placement: 'gallery', style: 'button' },
    });
    await uploadDemoPhotos(ev.event_id, 2);
    const root = await demoEvent(html`<pf-gallery></pf-gallery>`, { event: ev.event_id, key: ev.key });
    const gallery = root.querySelector<PfGallery>('pf-gallery')!;
    const cta = await shadowFind<HTMLAnchorElement>(gallery, '[part=cta]', 'call to action', 10000);
    expect(cta.textContent!.trim()).to.equal('Engrave your medal');
    expect(cta.classList.contains('btn')).to.equal(true);
    let url = new URL(cta.href);
    expect(url.origin + url.pathname).to.equal('https://shop.example.org/medals');
    expect(url.searchParams.get('lang')).to.equal('en');
    expect(url.searchParams.get('eventId')).to.equal(String(ev.event_id));
    expect(atob(url.searchParams.get('ref')!)).to.equal(location.href);
    expect(url.searchParams.has('bibNumber')).to.equal(false);
    // A BIB search on the page puts the participant's BIB (and a selfie search its request_id) into the link.
    root.dispatchEvent(new CustomEvent('pf-search', { detail: { method: 'bib', query: '427' }, bubbles: true, composed: true }));
    await waitUntil(
      () =>
        new URL(gallery.shadowRoot!.querySelector<HTMLAnchorElement>('[part=cta]')!.href).searchParams.get('bibNumber') === '427',
    );
    url = new URL(gallery.shadowRoot!.querySelector<HTMLAnchorElement>('[part=cta]')!.href);
    expect(url.searchParams.has('selfieRequestId')).to.equal(false);
    await expect(gallery).to.be.accessible();
  });

  it('says when the page’s site is not allowed for the key, instead of "could not be reached"', async () => {
    const key = await demoKey({ origins: ['https://club.example.org'] });
    const root = await demoEvent(html`<pf-gallery></pf-gallery><pf-bib-search></pf-bib-search>`, { key });
    const error = await shadowFind(root.querySelector('pf-bib-search')!, '[part=error]', 'origin error', 10000);
    expect(error.textContent).to.contain('This site is not allowed to show these photos.');
    expect(error.textContent).not.to.contain('could not be reached');
    // Trying again cannot help: no retry button.
    expect(error.querySelector('[part=retry]')).to.equal(null);
    const fr = await demoEvent(html`<pf-bib-search></pf-bib-search>`, { key, lang: 'fr' });
    const frError = await shadowFind(fr.querySelector('pf-bib-search')!, '[part=error]', 'origin error (fr)', 10000);
    expect(frError.textContent).to.contain("Ce site n'est pas autorisé à afficher ces photos.");
  });

  it('the timeline says how many photos have no capture time', async () => {
    const ev = await makeEvent({});
    // The demo previews carry no EXIF: no capture time.
    await uploadDemoPhotos(ev.event_id, 2);
    const root = await demoEvent(html`<pf-timeline></pf-timeline>`, { event: ev.event_id, key: ev.key });
    const note = await shadowFind(root.querySelector('pf-timeline')!, '[part=undated]', 'undated note', 10000);
    expect(note.textContent!.trim()).to.equal('2 photos have no capture time, so they are not in the timeline.');
    await expect(root).to.be.accessible();
  });

  it('a certificate widget on an event without certificates stays silent when it follows a BIB search', async () => {
    const ev = await makeEvent({});
    await uploadDemoPhotos(ev.event_id, 2);
    const root = await demoEvent(html`<pf-bib-search></pf-bib-search><pf-certificate></pf-certificate>`, {
      event: ev.event_id,
      key: ev.key,
    });
    const cert = root.querySelector('pf-certificate')!;
    await shadowFind(cert, '[part=search-input]');
    const errors: Event[] = [];
    root.addEventListener('pf-error', (e) => errors.push(e));
    // Every request the page starts, as it starts.
    const asked: string[] = [];
    const realFetch = window.fetch;
    window.fetch = (input, init) => {
      asked.push(String(input instanceof Request ? input.url : input));
      return realFetch(input, init);
    };
    const search = root.querySelector<PfBibSearch>('pf-bib-search')!;
    await shadowFind(search, '[part=search-input]');
    // The details say `certificates: false`: a followed search (looked up at once, in the same task) asks nothing.
    const results = new Promise((r) => root.addEventListener('pf-results', r, { once: true }));
    search.search('0427');
    await results;
    expect(
      asked.some((u) => u.includes('/bibs/0427')),
      'the BIB search ran',
    ).to.equal(true);
    search.search('0428');
    window.fetch = realFetch;
    expect(asked.filter((u) => u.includes('/certificates/'))).to.deep.equal([]);
    expect(cert.shadowRoot!.querySelector('[part=base]')).to.equal(null);
    expect(errors).to.deep.equal([]);
  });
});

describe('analytics from the widgets', () => {
  afterEach(() => history.replaceState(null, '', location.pathname));

  it('counts one visit per page load and event, with the page’s source, and a share', async () => {
    const ev = await makeEvent({});
    await uploadDemoPhotos(ev.event_id, 1);
    const analytics = () =>
      admin<{ totals: { visits: number; shares: number }; sources: { source: string; visits: number }[] }>(
        `/events/${ev.event_id}/analytics`,
      );
    history.replaceState(null, '', '?source=poster-a');
    const one = (await demoEvent(html`<pf-gallery></pf-gallery>`, { event: ev.event_id, key: ev.key })) as PfEvent;
    const two = (await demoEvent(html`<pf-gallery></pf-gallery>`, { event: ev.event_id, key: ev.key })) as PfEvent;
    await waitUntil(() => one.details && two.details, 'details not loaded', { timeout: 10000 });
    let data = await analytics();
    await waitUntil(async () => (data = await analytics()).totals.visits > 0, 'visit not counted', { timeout: 10000 });
    expect(data.totals.visits).to.equal(1);
    expect(data.sources.find((s) => s.source === 'poster-a')?.visits).to.equal(1);

    // Sharing a photo from the lightbox counts a share.
    const gallery = one.querySelector<PfGallery>('pf-gallery')!;
    await waitUntil(() => gallery.count === 1, 'photo not shown', { timeout: 10000 });
    await gallery.open(0);
    const lightbox = gallery.shadowRoot!.querySelector('pf-lightbox')!;
    const share = [...lightbox.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~=lightbox-button]')].find(
      (b) => b.textContent!.trim() === 'Share',
    )!;
    share.click();
    await waitUntil(async () => (data = await analytics()).totals.shares === 1, 'share not counted', { timeout: 10000 });
    (lightbox as unknown as { close(): void }).close();
  });
});

/** A JPEG with an EXIF DateTimeOriginal (`YYYY:MM:DD HH:MM:SS`, no offset) put in front of `jpeg`'s own segments. */
function withCaptureTime(jpeg: ArrayBuffer, when: string): Blob {
  const tiff = new DataView(new ArrayBuffer(8 + 2 + 12 + 4 + 2 + 12 + 4 + 20));
  tiff.setUint16(0, 0x4949); // "II": little-endian
  tiff.setUint16(2, 42, true);
  tiff.setUint32(4, 8, true); // IFD0 at 8
  tiff.setUint16(8, 1, true); // one entry: the Exif IFD pointer
  tiff.setUint16(10, 0x8769, true);
  tiff.setUint16(12, 4, true); // LONG
  tiff.setUint32(14, 1, true);
  tiff.setUint32(18, 26, true); // Exif IFD at 26
  tiff.setUint32(22, 0, true); // no next IFD
  tiff.setUint16(26, 1, true); // one entry: DateTimeOriginal
  tiff.setUint16(28, 0x9003, true);
  tiff.setUint16(30, 2, true); // ASCII
  tiff.setUint32(32, 20, true);
  tiff.setUint32(36, 44, true); // the string at 44
  tiff.setUint32(40, 0, true);
  for (let i = 0; i < 19; i++) tiff.setUint8(44 + i, when.charCodeAt(i));
  const payload = new Uint8Array([...new TextEncoder().encode('Exif\0\0'), ...new Uint8Array(tiff.buffer)]);
  const app1 = new Uint8Array([0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]);
  return new Blob([new Uint8Array([0xff, 0xd8]), app1, payload, new Uint8Array(jpeg).slice(2)], { type: 'image/jpeg' });
}

describe('the timeline across years', () => {
  it('shows the year on each day when the event spans two years', async () => {
    const ev = await makeEvent({ time_zone: 'UTC' });
    const { url, demo } = await fixtureInfo();
    const res = await fetch(`${url}/api/v1/ext/${demo.org_id}/event/${demo.event_id}/images?page_size=1`, {
      headers: { 'X-API-Key': demo.publishable_key },
    });
    const { data } = (await res.json()) as { data: { images: { img_url: string }[] } };
    const jpeg = await (await fetch(data.images[0]!.img_url)).arrayBuffer();
    const form = new FormData();
    form.append('files', withCaptureTime(jpeg, '2025:12:31 23:30:00'), 'eve.jpg');
    form.append('files', withCaptureTime(jpeg, '2026:01:01 00:30:00'), 'day.jpg');
    await admin(`/events/${ev.event_id}/photos`, { method: 'POST', body: form });
    const root = await demoEvent(html`<pf-timeline></pf-timeline>`, { event: ev.event_id, key: ev.key });
    const timeline = root.querySelector('pf-timeline')!;
    await shadowFind(timeline, '[part=day]', 'day buttons', 10000);
    const days = [...timeline.shadowRoot!.querySelectorAll('[part=day]')].map((d) => d.textContent!.trim());
    expect(days).to.deep.equal(['Wednesday, December 31, 2025', 'Thursday, January 1, 2026']);
    await expect(root).to.be.accessible();
  });
});
