// pf-finder against the real server: tabs for the searches the event has on (WAI-ARIA tabs, keyboard), the name
// search (type-ahead, a name shared by several runners as a choice, the runner's photos through their bib, the
// certificate following), and "Download all my photos" (the ZIP's entries counted) and its web-size variant.
import { expect, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { PfDownloadDetail } from '../../widgets/events.ts';
import type { PfFinder } from '../../widgets/pf-finder/pf-finder.ts';
import type { PfGallery } from '../../widgets/pf-gallery/pf-gallery.ts';
import { admin, deepActive, demoEvent, fixtureInfo, makeEvent, shadowFind, uploadDemoPhotos } from './fixture.ts';

const tabs = (f: PfFinder) => [...f.shadowRoot!.querySelectorAll<HTMLButtonElement>('[role=tab]')];
const selectedTab = (f: PfFinder) => f.shadowRoot!.querySelector('[role=tab][aria-selected=true]')?.textContent?.trim();

async function mount(opts: { key?: string; event?: number; lang?: string } = {}, extra = html``) {
  const root = await demoEvent(html`<pf-finder></pf-finder>${extra}`, opts);
  const finder = root.querySelector<PfFinder>('pf-finder')!;
  await waitUntil(() => finder.tab, 'finder never picked a tab', { timeout: 10000 });
  return { root, finder };
}

/** Entries of a ZIP file, from its end-of-central-directory record. */
function zipEntries(buf: ArrayBuffer): number {
  const v = new DataView(buf);
  for (let i = buf.byteLength - 22; i >= 0; i--) {
    if (v.getUint32(i, true) === 0x06054b50) {
      const n = v.getUint16(i + 10, true);
      if (n !== 0xffff) return n;
      // ZIP64: the count is in the ZIP64 end record, located by the locator just before.
      const end64 = Number(v.getBigUint64(i - 20 + 8, true));
      return Number(v.getBigUint64(end64 + 32, true));
    }
  }
  throw new Error('not a ZIP file');
}

async function bibTotal(bib: string, event?: number, key?: string): Promise<number> {
  const { url, demo } = await fixtureInfo();
  const res = await fetch(`${url}/api/v1/ext/${demo.org_id}/event/${event ?? demo.event_id}/bibs/${bib}`, {
    headers: { 'X-API-Key': key ?? demo.publishable_key },
  });
  return ((await res.json()) as { data: { pagination: { total: number } } }).data.pagination.total;
}

describe('pf-finder', () => {
  afterEach(() => history.replaceState(null, '', location.pathname));

  it('shows one tab per search the event has on; arrow keys, Home and End move between them', async () => {
    const { finder } = await mount();
    expect(tabs(finder).map((t) => t.textContent!.trim())).to.deep.equal(['BIB number', 'Name', 'Selfie']);
    expect(selectedTab(finder)).to.equal('BIB number');
    const list = finder.shadowRoot!.querySelector('[role=tablist]')!;
    expect(list.getAttribute('aria-label')).to.equal('Find your photos by');
    // One panel shows, labelled by its tab; the others are hidden.
    const panels = [...finder.shadowRoot!.querySelectorAll<HTMLElement>('[role=tabpanel]')];
    expect(panels.filter((p) => !p.hidden).map((p) => p.getAttribute('aria-labelledby'))).to.deep.equal(['tab-bib']);
    await shadowFind(finder.shadowRoot!.querySelector('pf-bib-search')!, '[part=search-input]');
    await expect(finder).to.be.accessible();

    tabs(finder)[0]!.focus();
    await sendKeys({ press: 'ArrowRight' });
    await waitUntil(() => selectedTab(finder) === 'Name', 'ArrowRight did not select Name');
    expect(deepActive()?.id).to.equal('tab-name');
    expect(tabs(finder).map((t) => t.tabIndex)).to.deep.equal([-1, 0, -1]);
    await sendKeys({ press: 'End' });
    await waitUntil(() => selectedTab(finder) === 'Selfie', 'End did not select Selfie');
    // The selfie search's code loads when its tab opens.
    await shadowFind(finder, 'pf-selfie-search', 'selfie search');
    await sendKeys({ press: 'ArrowRight' });
    await waitUntil(() => selectedTab(finder) === 'BIB number', 'ArrowRight did not wrap to the first tab');
    await sendKeys({ press: 'ArrowLeft' });
    await waitUntil(() => selectedTab(finder) === 'Selfie', 'ArrowLeft did not wrap to the last tab');
    await sendKeys({ press: 'Home' });
    await waitUntil(() => selectedTab(finder) === 'BIB number', 'Home did not select the first tab');
    await expect(finder).to.be.accessible();
  });

  it('with one search on it shows that search alone; with none, says so', async () => {
    const one = await makeEvent({ flags: { name_search: false, selfie_search: false } });
    const { finder } = await mount({ event: one.event_id, key: one.key });
    expect(tabs(finder)).to.have.length(0);
    expect(finder.tab).to.equal('bib');
    await shadowFind(finder.shadowRoot!.querySelector('pf-bib-search')!, '[part=search-input]');
    await expect(finder).to.be.accessible();

    const none = await makeEvent({ flags: { bib_search: false, name_search: false, selfie_search: false } });
    const root = await demoEvent(html`<pf-finder lang="fr"></pf-finder>`, { event: none.event_id, key: none.key });
    const notice = await shadowFind(root.querySelector('pf-finder')!, '[part=unavailable]');
    expect(notice.textContent!.trim()).to.equal("La recherche de photos n'est pas disponible pour cet événement.");
  });

  it('finds a runner by name as you type, offers a shared name as a choice, and shows their photos', async () => {
    const { root, finder } = await mount({}, html`<pf-certificate></pf-certificate>`);
    finder.show('name');
    const field = await shadowFind<HTMLInputElement>(finder, '[part=name-input]');
    field.focus();
    // Accents and case do not matter, part of a name is enough; no Enter needed.
    await sendKeys({ type: 'zoe MAR' });
    await waitUntil(() => finder.shadowRoot!.querySelectorAll('[part~=runner]').length >= 2, 'no runners listed', {
      timeout: 10000,
    });
    const buttons = [...finder.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~=runner]')];
    // The demo field has two runners called Zoë Martin: both are offered, each with their BIB.
    const zoes = buttons.filter((b) => b.querySelector('.runner-name')!.textContent === 'Zoë Martin');
    expect(zoes.length).to.be.greaterThanOrEqual(2);
    const status = finder.shadowRoot!.querySelector('[part=name-status]')!;
    expect(status.textContent).to.match(/^\d+ runners found: choose yours$/);
    await expect(finder).to.be.accessible();

    // Down arrow from the field into the list; choosing one is a BIB search (the certificate follows it).
    await sendKeys({ press: 'ArrowDown' });
    expect(deepActive()).to.equal(buttons[0]);
    const mine = zoes.find((b) => b.textContent!.includes('0427'))!;
    setTimeout(() => mine.click());
    const ev = await oneEvent(root, 'pf-search');
    expect(ev.detail).to.deep.equal({ method: 'bib', query: '0427' });
    const gallery = await shadowFind<PfGallery>(finder, 'pf-gallery');
    await waitUntil(() => (gallery.count ?? 0) > 0, 'runner has no photos', { timeout: 10000 });
    expect(gallery.count).to.equal(await bibTotal('0427'));
    const summary = finder.shadowRoot!.querySelector('[part=summary]')!.textContent!.trim();
    expect(summary).to.equal(`${gallery.count} photos of Zoë Martin (BIB 0427)`);
    expect(mine.getAttribute('aria-pressed')).to.equal('true');
    expect(new URLSearchParams(location.search).get('bib')).to.equal('0427');
    const cert = root.querySelector('pf-certificate')!;
    await shadowFind(cert, '[part=certificate]', 'certificate of the runner found by name', 10000);

    // A name nobody has.
    field.focus();
    field.select();
    await sendKeys({ type: 'Qxzv' });
    await waitUntil(() => status.textContent!.startsWith('No runner named'), 'no "no runner" message', { timeout: 10000 });
    await expect(finder).to.be.accessible();
  });

  it('"Download all my photos" gets one ZIP of the runner’s photos', async () => {
    const { finder } = await mount();
    const bibSearch = finder.shadowRoot!.querySelector('pf-bib-search')!;
    await shadowFind(bibSearch, '[part=search-input]');
    bibSearch.search('0427');
    const button = await shadowFind<HTMLButtonElement>(bibSearch, '[part=download-all-button]', 'download-all button', 10000);
    expect(button.textContent!.trim()).to.equal('Download all my photos');
    await expect(bibSearch).to.be.accessible();
    // The page handles the link itself (cancelling pf-download), so the test can open the ZIP.
    let detail: PfDownloadDetail | null = null;
    finder.addEventListener(
      'pf-download',
      (e) => {
        detail = e.detail;
        e.preventDefault();
      },
      { once: true },
    );
    button.click();
    await waitUntil(() => detail, 'no pf-download', { timeout: 20000 });
    const d = detail as unknown as PfDownloadDetail;
    expect(d.ok).to.equal(true);
    expect(d.method).to.equal('bib');
    expect(d.kind).to.equal('original');
    const total = await bibTotal('0427');
    expect(d.count).to.equal(total);
    const zip = await fetch(d.zipUrl!);
    expect(zip.headers.get('content-type')).to.equal('application/zip');
    expect(zipEntries(await zip.arrayBuffer())).to.equal(total);
    const note = bibSearch.shadowRoot!.querySelector('[part=download-all-status]')!;
    expect(note.textContent).to.equal(`Your ZIP file of ${total} photos is downloading.`);
  });

  it('offers "Download web-size photos" on an event that sells its originals, and nothing when bulk download is off', async () => {
    const sold = await makeEvent({ free_downloads: false, web_download: true });
    const ids = await uploadDemoPhotos(sold.event_id, 2);
    for (const id of ids) {
      await admin(`/events/${sold.event_id}/photos/${id}/bibs`, { method: 'POST', body: JSON.stringify({ bib: '777' }) });
    }
    const { finder } = await mount({ event: sold.event_id, key: sold.key });
    const bibSearch = finder.shadowRoot!.querySelector('pf-bib-search')!;
    await shadowFind(bibSearch, '[part=search-input]');
    bibSearch.search('777');
    const button = await shadowFind<HTMLButtonElement>(bibSearch, '[part=download-all-button]', 'web-size button', 10000);
    expect(button.textContent!.trim()).to.equal('Download web-size photos');
    let detail: PfDownloadDetail | null = null;
    finder.addEventListener('pf-download', (e) => ((detail = e.detail), e.preventDefault()), { once: true });
    button.click();
    await waitUntil(() => detail, 'no pf-download', { timeout: 20000 });
    expect((detail as unknown as PfDownloadDetail).kind).to.equal('web');
    expect((detail as unknown as PfDownloadDetail).count).to.equal(2);

    const off = await makeEvent({ bulk_download: false });
    const offIds = await uploadDemoPhotos(off.event_id, 1);
    await admin(`/events/${off.event_id}/photos/${offIds[0]}/bibs`, { method: 'POST', body: JSON.stringify({ bib: '778' }) });
    const other = await mount({ event: off.event_id, key: off.key });
    const search = other.finder.shadowRoot!.querySelector('pf-bib-search')!;
    await shadowFind(search, '[part=search-input]');
    search.search('778');
    const gallery = await shadowFind<PfGallery>(search, 'pf-gallery');
    await waitUntil(() => gallery.count === 1, 'bib 778 not found', { timeout: 10000 });
    await search.updateComplete;
    expect(search.shadowRoot!.querySelector('[part=download-all-button]')).to.equal(null);
  });
});
