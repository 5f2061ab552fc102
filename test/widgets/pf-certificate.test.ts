import { expect, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { CertificateRecordPage, PublicCertificate } from '../../core/api/certificates.ts';
import type { PfBibSearch } from '../../widgets/pf-bib-search/pf-bib-search.ts';
import type { PfCertificate } from '../../widgets/pf-certificate/pf-certificate.ts';
import type { PfEvent } from '../../widgets/pf-event/pf-event.ts';
import { admin, demoEvent, fixtureInfo, makeEvent, shadowFind } from './fixture.ts';

const part = <T extends Element = HTMLElement>(el: PfCertificate, name: string) =>
  el.shadowRoot!.querySelector<T>(`[part~=${name}]`);
const input = (el: PfCertificate) => part<HTMLInputElement>(el, 'search-input')!;
const status = (el: PfCertificate) => part(el, 'status')?.textContent?.trim() ?? '';

async function mount(attrs = '', opts: { key?: string; event?: number; lang?: string } = {}) {
  const root = await demoEvent(html``, opts);
  root.innerHTML = `<pf-certificate ${attrs}></pf-certificate>`;
  const el = root.querySelector('pf-certificate')!;
  return { root, el };
}

async function type(el: PfCertificate, text: string) {
  const field = await shadowFind<HTMLInputElement>(el, '[part~=search-input]', 'the BIB field');
  field.focus();
  field.select();
  if (text) await sendKeys({ type: text });
  else await sendKeys({ press: 'Backspace' });
}

/** Waits for the preview image to be decoded. */
async function previewLoaded(el: PfCertificate): Promise<HTMLImageElement> {
  const img = await shadowFind<HTMLImageElement>(el, '[part~=preview]', 'the preview image', 15000);
  await waitUntil(() => img.complete && img.naturalWidth > 0 && !img.classList.contains('loading'), 'preview never loaded', {
    timeout: 15000,
  });
  return img;
}

/** The certificate the server has for a BIB of the demo event. */
async function serverCertificate(bib: string): Promise<PublicCertificate> {
  const { url, demo } = await fixtureInfo();
  const res = await fetch(`${url}/api/v1/ext/${demo.org_id}/event/${demo.event_id}/certificates/${bib}`, {
    headers: { 'X-API-Key': demo.publishable_key },
  });
  return ((await res.json()) as { data: PublicCertificate }).data;
}

describe('pf-certificate', () => {
  afterEach(() => history.replaceState(null, '', location.pathname));

  it('shows the certificate of the `bib` attribute: preview, name, facts, downloads; passes axe', async () => {
    const expected = await serverCertificate('0427');
    const { root, el } = await mount('bib="0427"');
    const shown = oneEvent(root, 'pf-certificate');
    const img = await previewLoaded(el);
    expect((await shown).detail).to.deep.equal({ action: 'shown', bib: '0427', name: expected.name });
    expect(img.naturalWidth).to.equal(1123);
    expect(img.getAttribute('width')).to.equal('1123');
    expect(img.getAttribute('height')).to.equal('794');
    expect(img.alt).to.equal(`Finisher certificate of ${expected.name}, BIB 0427, Riverside Half Marathon 2026`);
    const summary = part(el, 'summary')!.textContent!.replace(/\s+/g, ' ');
    expect(summary).to.contain(expected.name);
    expect(summary).to.contain(`Time ${expected.finish_time}`);
    expect(summary).to.contain(`Place ${expected.rank}`);
    expect(status(el)).to.equal(`Certificate of ${expected.name}`);
    expect(part(el, 'download-png')!.textContent).to.contain('Download image (PNG)');
    expect(part(el, 'download-pdf')!.textContent).to.contain('Download PDF');
    expect(input(el).value).to.equal('0427');
    // The attribute does not write the page URL.
    expect(new URLSearchParams(location.search).get('bib')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('validates in place, looks a typed BIB up on Enter, keeps it in the URL, and reads it back', async () => {
    const { el } = await mount();
    await type(el, '42 7!');
    await sendKeys({ press: 'Enter' });
    const problem = await shadowFind(el, '[part~=problem]', 'validation message');
    expect(problem.textContent).to.contain('only letters and digits');
    expect(input(el).value).to.equal('42 7!');
    expect(input(el).getAttribute('aria-invalid')).to.equal('true');
    await expect(el).to.be.accessible();
    await type(el, '');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => part(el, 'problem')?.textContent?.includes('Enter your BIB number'), 'empty not refused');

    // "427" finds the runner whose BIB is 0427
    await type(el, '427');
    await sendKeys({ press: 'Enter' });
    await previewLoaded(el);
    expect(el.certificate?.bib).to.equal('0427');
    expect(new URLSearchParams(location.search).get('bib')).to.equal('427');

    // A page opened with ?bib= shows that certificate
    const other = (
      await admin<CertificateRecordPage>(`/events/${(await fixtureInfo()).demo.event_id}/certificates/records?page_size=2`)
    ).records[0]!;
    history.replaceState(null, '', `${location.pathname}?bib=${other.bib}`);
    const { el: fromUrl } = await mount();
    await previewLoaded(fromUrl);
    expect(fromUrl.certificate?.name).to.equal(other.name);
  });

  it('unknown BIB: a clear notice in place, the typed text kept', async () => {
    const { el } = await mount();
    await type(el, '99999');
    await sendKeys({ press: 'Enter' });
    const notice = await shadowFind(el, '[part~=not-found]', 'not-found notice');
    expect(notice.textContent).to.contain('No certificate for BIB 99999.');
    expect(notice.getAttribute('role')).to.equal('alert');
    expect(input(el).value).to.equal('99999');
    expect(part(el, 'preview')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('an event whose certificates are not published says so; once published the same BIB shows', async () => {
    const { event_id, key } = await makeEvent({});
    const { el } = await mount('bib="12"', { event: event_id, key });
    const notice = await shadowFind(el, '[part~=unavailable]', 'unavailable notice');
    expect(notice.textContent).to.contain('Certificates for this event are not available yet');
    await expect(el).to.be.accessible();

    await admin(`/events/${event_id}/certificates/template`, { method: 'PUT', body: JSON.stringify({ builtin: 'modern' }) });
    const form = new FormData();
    form.append('file', new Blob(['bib,name,time\n12,Widget Tester,1:23:45\n']), 'results.csv');
    await admin(`/events/${event_id}/certificates/records`, { method: 'POST', body: form });
    await admin(`/events/${event_id}/certificates/publish`, { method: 'POST' });
    input(el).focus();
    await sendKeys({ press: 'Enter' });
    const img = await previewLoaded(el);
    expect(img.naturalHeight).to.equal(1123); // the modern template is A4 portrait
    expect(el.certificate?.name).to.equal('Widget Tester');
  });

  it('a failed look-up shows the error in place with a retry that works', async () => {
    const realFetch = window.fetch;
    let failures = 1;
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input instanceof Request ? input.url : input).includes('/certificates/') && failures-- > 0) {
        return Promise.reject(new TypeError('Failed to fetch'));
      }
      return realFetch(input, init);
    };
    try {
      const { root, el } = await mount('bib="0427"');
      const failed = oneEvent(root, 'pf-error');
      const error = await shadowFind(el, '[part~=error]', 'error notice');
      expect(error.textContent).to.contain('The photo server could not be reached');
      expect((await failed).detail.source).to.equal('pf-certificate');
      await expect(el).to.be.accessible();
      part<HTMLButtonElement>(el, 'retry')!.click();
      await previewLoaded(el);
      expect(part(el, 'error')).to.equal(null);
    } finally {
      window.fetch = realFetch;
    }
  });

  it('downloads the PDF (a real PDF, the friendly file name) and the PNG', async () => {
    const { root, el } = await mount('bib="0427"');
    await previewLoaded(el);
    const saved: { href: string; download: string }[] = [];
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      saved.push({ href: this.href, download: this.download });
    };
    try {
      const done = oneEvent(root, 'pf-certificate');
      part<HTMLButtonElement>(el, 'download-pdf')!.click();
      expect((await done).detail).to.include({ action: 'download', format: 'pdf', bib: '0427' });
      expect(saved).to.have.length(1);
      expect(saved[0]!.download).to.equal('riverside-half-marathon-2026-certificate-0427.pdf');
      expect(saved[0]!.href).to.match(/^blob:/);
      const bytes = new Uint8Array(await (await fetch(saved[0]!.href)).arrayBuffer());
      expect(new TextDecoder().decode(bytes.subarray(0, 5))).to.equal('%PDF-');
      await waitUntil(() => status(el).includes('PDF is downloading'), 'no confirmation');

      part<HTMLButtonElement>(el, 'download-png')!.click();
      await waitUntil(() => saved.length === 2, 'PNG not saved');
      expect(saved[1]!.download).to.equal('riverside-half-marathon-2026-certificate-0427.png');
      const png = new Uint8Array(await (await fetch(saved[1]!.href)).arrayBuffer());
      expect([...png.subarray(1, 4)]).to.deep.equal([0x50, 0x4e, 0x47]);
    } finally {
      HTMLAnchorElement.prototype.click = click;
    }
  });

  it('share copies the page link with the BIB, or shows it to copy by hand', async () => {
    const { el } = await mount('bib="0427"');
    await previewLoaded(el);
    const nav = navigator;
    const hadShare = Object.getOwnPropertyDescriptor(nav, 'share');
    Object.defineProperty(nav, 'share', { value: undefined, configurable: true });
    const copied: string[] = [];
    const clip = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard');
    let refuse = false;
    Object.defineProperty(nav, 'clipboard', {
      configurable: true,
      value: { writeText: (t: string) => (refuse ? Promise.reject(new Error('denied')) : (copied.push(t), Promise.resolve())) },
    });
    try {
      part<HTMLButtonElement>(el, 'share')!.click();
      await waitUntil(() => status(el).startsWith('Link copied'), 'not copied');
      expect(new URL(copied[0]!).searchParams.get('bib')).to.equal('0427');
      refuse = true;
      part<HTMLButtonElement>(el, 'share')!.click();
      const field = await shadowFind<HTMLInputElement>(el, '[part~=copy-link]', 'link field');
      expect(new URL(field.value).searchParams.get('bib')).to.equal('0427');
      await expect(el).to.be.accessible();
    } finally {
      delete (nav as { clipboard?: unknown }).clipboard;
      if (clip) Object.defineProperty(Navigator.prototype, 'clipboard', clip);
      if (hadShare) Object.defineProperty(nav, 'share', hadShare);
      else delete (nav as { share?: unknown }).share;
    }
  });

  it('follows a BIB search made on the page', async () => {
    const root = await demoEvent(html``);
    root.innerHTML = `<pf-bib-search no-url></pf-bib-search><pf-certificate></pf-certificate>`;
    const search = root.querySelector<PfBibSearch>('pf-bib-search')!;
    const el = root.querySelector('pf-certificate')!;
    await shadowFind(search, '[part~=search-input]', 'bib search field');
    await shadowFind(el, '[part~=search-input]', 'certificate field');
    search.search('0427');
    await previewLoaded(el);
    expect(input(el).value).to.equal('0427');
  });

  it('on an event without certificates (details say so), a followed search or a ?bib= link asks nothing', async () => {
    const { event_id, key } = await makeEvent({});
    const realFetch = window.fetch;
    const asked: string[] = [];
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      const u = String(input instanceof Request ? input.url : input);
      if (u.includes('/certificates/')) asked.push(u);
      return realFetch(input, init);
    };
    try {
      history.replaceState(null, '', '?bib=12');
      const root = await demoEvent(html``, { event: event_id, key });
      root.innerHTML = `<pf-bib-search no-url></pf-bib-search><pf-certificate></pf-certificate>`;
      const search = root.querySelector<PfBibSearch>('pf-bib-search')!;
      const el = root.querySelector('pf-certificate')!;
      await shadowFind(search, '[part~=search-input]', 'bib search field');
      await waitUntil(() => (root as PfEvent).details !== null, 'details not loaded', { timeout: 10000 });
      expect((root as PfEvent).details!.certificates).to.equal(false);
      const searched = oneEvent(root, 'pf-search');
      search.search('12');
      await searched;
      await el.updateComplete;
      expect(part(el, 'base')).to.equal(null, 'stays silent');
      expect(asked).to.deep.equal([]);
      // An explicit `bib` attribute still asks (the count above would have seen a request), and says why.
      root.insertAdjacentHTML('beforeend', '<pf-certificate bib="12"></pf-certificate>');
      const explicit = root.querySelectorAll('pf-certificate')[1]!;
      const notice = await shadowFind(explicit, '[part~=unavailable]', 'unavailable notice');
      expect(notice.textContent).to.contain('not available yet');
      expect(asked).to.have.length(1, asked.join(', '));
      expect(part(el, 'base')).to.equal(null, 'the followed one still silent');
    } finally {
      window.fetch = realFetch;
    }
  });

  it('speaks French on a French page', async () => {
    const { el } = await mount('bib="99999"', { lang: 'fr' });
    const notice = await shadowFind(el, '[part~=not-found]', 'not-found notice');
    expect(notice.textContent).to.contain('Aucun diplôme pour le dossard 99999.');
    expect(part(el, 'label')!.textContent).to.equal('Votre numéro de dossard');
    expect(part(el, 'search-button')!.textContent).to.contain('Afficher mon diplôme');
    await expect(el).to.be.accessible();
  });
});
