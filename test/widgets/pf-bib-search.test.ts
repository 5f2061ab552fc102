import { expect, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { PfBibSearch } from '../../widgets/pf-bib-search/pf-bib-search.ts';
import type { PfGallery } from '../../widgets/pf-gallery/pf-gallery.ts';
import { demoEvent, fixtureInfo, makeEvent, shadowFind } from './fixture.ts';

const input = (s: PfBibSearch) => s.shadowRoot!.querySelector<HTMLInputElement>('[part=search-input]')!;
const results = (s: PfBibSearch) => s.shadowRoot!.querySelector<PfGallery>('pf-gallery');
const summary = (s: PfBibSearch) => s.shadowRoot!.querySelector('[part=summary]')!.textContent!.trim();

async function mount(attrs = '', opts: { key?: string; event?: number; lang?: string } = {}) {
  const root = await demoEvent(html``, opts);
  root.innerHTML = `<pf-bib-search ${attrs}></pf-bib-search>`;
  const search = root.querySelector('pf-bib-search')!;
  return { root, search };
}

async function type(search: PfBibSearch, text: string) {
  const field = await shadowFind<HTMLInputElement>(search, '[part=search-input]', 'the BIB field');
  field.focus();
  field.select();
  await sendKeys({ type: text });
}

describe('pf-bib-search', () => {
  afterEach(() => history.replaceState(null, '', location.pathname));

  it('validates in place, keeps what was typed, and searches on Enter', async () => {
    const { root, search } = await mount();
    await type(search, '04-27!');
    await sendKeys({ press: 'Enter' });
    const problem = await shadowFind(search, '[part=problem]', 'validation message');
    expect(problem.textContent).to.contain('only letters and digits');
    expect(input(search).value).to.equal('04-27!');
    expect(input(search).getAttribute('aria-invalid')).to.equal('true');
    expect(input(search).getAttribute('aria-describedby')).to.equal('bib-problem');
    await expect(search).to.be.accessible();

    // Fixing the text clears the message as you type.
    await sendKeys({ press: 'Backspace' });
    await waitUntil(() => !search.shadowRoot!.querySelector('[part=problem]'), 'message not cleared');

    await type(search, '0427');
    setTimeout(() => sendKeys({ press: 'Enter' }));
    const ev = await oneEvent(root, 'pf-search');
    expect(ev.detail).to.deep.equal({ method: 'bib', query: '0427' });
    const gallery = await shadowFind<PfGallery>(search, 'pf-gallery', 'results gallery');
    await waitUntil(() => (gallery.count ?? 0) > 0, 'no results', { timeout: 10000 });
    expect(summary(search)).to.match(/^\d+ photos? of BIB 0427$/);
    expect(new URLSearchParams(location.search).get('bib')).to.equal('0427');
    // The results are the server's results for that BIB.
    const { url, demo } = await fixtureInfo();
    const res = await fetch(`${url}/api/v1/ext/${demo.org_id}/event/${demo.event_id}/bibs/0427`, {
      headers: { 'X-API-Key': demo.publishable_key },
    });
    const body = (await res.json()) as { data: { pagination: { total: number } } };
    expect(gallery.count).to.equal(body.data.pagination.total);
    await expect(search).to.be.accessible();
  });

  it('restores the search from ?bib= (a shared link or a refresh)', async () => {
    history.replaceState(null, '', '?bib=0427');
    const { search } = await mount();
    await waitUntil(() => (results(search)?.count ?? 0) > 0, 'results not restored', { timeout: 10000 });
    expect(input(search).value).to.equal('0427');
  });

  it('offers the timeline when nothing is found', async () => {
    const { search } = await mount();
    await type(search, 'ZZ999');
    await sendKeys({ press: 'Enter' });
    const empty = await shadowFind(search, '[part=empty]', 'empty state');
    expect(summary(search)).to.equal('No photos of BIB ZZ999 yet.');
    expect(results(search)!.hidden).to.equal(true);
    (empty.querySelector('[part=browse-timeline]') as HTMLButtonElement).click();
    const timeline = await shadowFind<HTMLElement>(search, 'pf-timeline', 'inline timeline');
    await waitUntil(() => timeline.shadowRoot!.querySelector('[part=bar]'), 'timeline bars not drawn', { timeout: 10000 });
    await expect(search).to.be.accessible();
  });

  it('clears the search and the URL', async () => {
    const { search } = await mount();
    await type(search, '0427');
    await sendKeys({ press: 'Enter' });
    (await shadowFind<HTMLButtonElement>(search, '[part=clear]', 'clear button')).click();
    await waitUntil(() => !results(search), 'results not cleared');
    expect(location.search).to.equal('');
    expect(input(search).value).to.equal('');
  });

  it('shows a notice instead of the box when the event has BIB search off', async () => {
    const ev = await makeEvent({ flags: { bib_search: false } });
    const { search } = await mount('', { event: ev.event_id, key: ev.key });
    const notice = await shadowFind(search, '[part=unavailable]', 'unavailable notice');
    expect(notice.textContent).to.contain('not available for this event');
    expect(search.shadowRoot!.querySelector('[part=search-input]')).to.equal(null);
    await expect(search).to.be.accessible();
  });

  it('shows a failed event load in place with a retry', async () => {
    const { search } = await mount('', { key: 'pk_wrong' });
    const error = await shadowFind(search, '[part=error]', 'error');
    expect(error.textContent).to.contain('Invalid API key');
    expect(error.querySelector('[part=retry]')).not.to.equal(null);
    await expect(search).to.be.accessible();
  });

  it('speaks French with lang="fr"', async () => {
    const { search } = await mount('', { lang: 'fr' });
    await shadowFind(search, '[part=search-input]');
    expect(search.shadowRoot!.querySelector('label')!.textContent).to.equal('Votre numéro de dossard');
    await type(search, '');
    await sendKeys({ press: 'Enter' });
    expect((await shadowFind(search, '[part=problem]')).textContent).to.equal('Saisissez votre numéro de dossard.');
  });
});
