// pf-selfie-search in real Chromium against the real seeded server (demo runners wearing real dataset faces):
// consent first, on-device refusal with advice, privacy="vector" sends only the vector, stored searches
// restored from ?selfie=, "Not me" sent to the server and "Download all" without those photos, and the notice when the event
// has selfie search off.
import { expect, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { PfDownloadDetail } from '../../widgets/events.ts';
import type { PfGallery } from '../../widgets/pf-gallery/pf-gallery.ts';
import type { PfSelfieSearch } from '../../widgets/pf-selfie-search/pf-selfie-search.ts';
import { demoEvent, fixtureInfo, makeEvent, shadowFind } from './fixture.ts';

const available = () => fetch('/__pf/faces-available').then((r) => r.json() as Promise<{ available: boolean }>);
const photo = async (file: string) => new File([await (await fetch(`/__pf/faces/${file}`)).blob()], file.split('/').pop()!);

async function mount(attrs = '', opts: { lang?: string; event?: number; key?: string } = {}) {
  const root = await demoEvent(html``, opts);
  root.innerHTML = `<pf-selfie-search ${attrs}></pf-selfie-search>`;
  return root.querySelector('pf-selfie-search')!;
}

/** Chooses a file as the user would: through the element's file input. */
function choose(el: PfSelfieSearch, file: File) {
  const input = el.shadowRoot!.querySelector<HTMLInputElement>('input#file')!;
  const dt = new DataTransfer();
  dt.items.add(file);
  input.files = dt.files;
  input.dispatchEvent(new Event('change'));
}

async function agree(el: PfSelfieSearch) {
  const box = await shadowFind<HTMLInputElement>(el, 'input[type=checkbox]', 'consent box');
  box.click();
}

describe('pf-selfie-search', function () {
  this.timeout(90_000);
  let realFetch: typeof fetch;
  const posts: { url: string; parts: [string, string | { type: string; size: number }][] }[] = [];

  before(async function () {
    if (!(await available()).available) this.skip();
  });
  beforeEach(() => {
    posts.length = 0;
    realFetch = window.fetch;
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input instanceof Request ? input.url : input);
      // Selfie uploads only (the event's video clips start from the search id: POST …/video-clipping/…).
      if (init?.method === 'POST' && init.body instanceof FormData && /\/faces(\?|$)/.test(url)) {
        const parts: (typeof posts)[number]['parts'] = [];
        init.body.forEach((v, k) => parts.push([k, typeof v === 'string' ? v : { type: v.type, size: v.size }]));
        posts.push({ url, parts });
      }
      return realFetch(input, init);
    };
  });
  afterEach(() => {
    window.fetch = realFetch;
    history.replaceState(null, '', location.pathname);
  });

  it('asks for consent first, and is accessible', async () => {
    const el = await mount();
    const choose = await shadowFind<HTMLButtonElement>(el, '[part~="file-button"]', 'Choose a photo');
    expect(choose.disabled).to.equal(true);
    expect(el.shadowRoot!.querySelector('[part~="consent"]')!.textContent).to.contain('never the photo itself');
    await expect(el).to.be.accessible();
    await agree(el);
    await waitUntil(() => !choose.disabled, 'the button stays disabled after agreeing');
  });

  it('privacy="vector": the face is described on the device and only the 512 numbers are sent', async () => {
    const el = await mount('privacy="vector"');
    await agree(el);
    choose(el, await photo('obama/obama_podium.jpg'));
    const button = await shadowFind<HTMLButtonElement>(el, '[part~="search-button"]', 'Find my photos', 60_000);
    expect(el.shadowRoot!.querySelector('[part~="preview"]')!.textContent).to.contain('Only numbers describing it');
    setTimeout(() => button.click());
    const started = await oneEvent(el, 'pf-search');
    expect(started.detail.method).to.equal('selfie');
    const gallery = await shadowFind<PfGallery>(el, 'pf-gallery', 'results', 30_000);
    await waitUntil(() => (gallery.count ?? 0) > 0, 'no results', { timeout: 30_000 });

    expect(posts).to.have.length(1);
    const names = posts[0]!.parts.map(([k]) => k).sort();
    expect(names).to.deep.equal(['embedding', 'request_id']);
    const vector = JSON.parse(posts[0]!.parts.find(([k]) => k === 'embedding')![1] as string) as number[];
    expect(vector).to.have.length(512);
    expect(posts[0]!.parts.find(([k]) => k === 'request_id')![1]).to.equal(started.detail.query);

    // The results are the server's stored results of that search, each with its confidence.
    const { url, demo } = await fixtureInfo();
    const res = await realFetch(`${url}/api/v1/ext/${demo.org_id}/event/${demo.event_id}/faces/${started.detail.query}`, {
      headers: { 'X-API-Key': demo.publishable_key },
    });
    const body = (await res.json()) as {
      data: { images: { image_id: string; confidence: number }[]; pagination: { total: number } };
    };
    expect(gallery.count).to.equal(body.data.pagination.total);
    expect(body.data.images.every((i) => i.confidence >= 45)).to.equal(true);
    expect(new URLSearchParams(location.search).get('selfie')).to.equal(started.detail.query);
    expect(el.value).to.equal(started.detail.query);
    await expect(el).to.be.accessible();
  });

  it('"Add another selfie" widens the search (add_to), and Cancel goes back to the results', async () => {
    const el = await mount();
    await agree(el);
    choose(el, await photo('kit_harington/kit_harington_3.jpg'));
    (await shadowFind<HTMLButtonElement>(el, '[part~="search-button"]', 'Find my photos', 60_000)).click();
    const gallery = await shadowFind<PfGallery>(el, 'pf-gallery', 'results', 30_000);
    await waitUntil(() => (gallery.count ?? 0) > 0, 'no results', { timeout: 30_000 });
    const first = { id: el.value!, count: gallery.count! };

    (await shadowFind<HTMLButtonElement>(el, '[part~="add-button"]', 'Add another selfie')).click();
    (await shadowFind<HTMLButtonElement>(el, '[part~="cancel"]', 'Cancel')).click();
    await waitUntil(() => !el.shadowRoot!.querySelector('[part~="cancel"]'), 'Cancel did not go back');
    expect(el.shadowRoot!.querySelector('[part~="consent"]')).to.equal(null);

    (await shadowFind<HTMLButtonElement>(el, '[part~="add-button"]', 'Add another selfie')).click();
    choose(el, await photo('rose_leslie/rose_leslie_2.jpg'));
    const add = await shadowFind<HTMLButtonElement>(el, '[part~="search-button"]', 'Add the photos', 60_000);
    expect(add.textContent).to.contain('Add the photos of this selfie');
    add.click();
    await waitUntil(() => el.value !== first.id, 'no new search', { timeout: 30_000 });
    const widened = await shadowFind<PfGallery>(el, 'pf-gallery', 'widened results');
    await waitUntil(() => (widened.count ?? 0) > first.count, 'the second selfie added nothing', { timeout: 30_000 });
    expect(posts).to.have.length(2);
    expect(posts[1]!.parts.find(([k]) => k === 'add_to')?.[1]).to.equal(first.id);
    expect(new URLSearchParams(location.search).get('selfie')).to.equal(el.value);
  });

  it('refuses a group photo on the device, with advice in the page language, and sends nothing', async () => {
    const el = await mount('', { lang: 'fr' });
    await agree(el);
    choose(el, await photo('_group/two_people.jpg'));
    const refusal = await shadowFind(el, '[part~="refusal"]', 'refusal', 60_000);
    expect(refusal.textContent).to.contain('plusieurs visages');
    expect(posts).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('restores a stored search from ?selfie=, and says when it no longer exists', async () => {
    const { url, demo } = await fixtureInfo();
    const form = new FormData();
    form.append('file', await photo('rose_leslie/rose_leslie_2.jpg'));
    const res = await realFetch(`${url}/api/v1/ext/${demo.org_id}/event/${demo.event_id}/faces`, {
      method: 'POST',
      body: form,
      headers: { 'X-API-Key': demo.publishable_key },
    });
    const stored = (await res.json()) as { data: { request_id: string; pagination: { total: number } } };
    history.replaceState(null, '', `?selfie=${stored.data.request_id}`);
    const el = await mount();
    const gallery = await shadowFind<PfGallery>(el, 'pf-gallery', 'restored results');
    await waitUntil(() => gallery.count === stored.data.pagination.total, 'restored results differ');
    const id = await shadowFind(el, '[part~="request-id"] code', 'search id');
    expect(id.textContent).to.equal(stored.data.request_id);
    expect(posts).to.have.length(0);

    history.replaceState(null, '', `?selfie=${crypto.randomUUID()}`);
    const gone = await mount();
    const error = await shadowFind(gone, '[part~="error"]', 'expired message');
    expect(error.textContent).to.contain('no longer available');
    expect(new URLSearchParams(location.search).get('selfie')).to.equal(null);
  });

  it('"Not me" is sent to the server, which drops the photo from the stored search; "Download all" leaves it out', async () => {
    const { url, demo } = await fixtureInfo();
    const form = new FormData();
    form.append('file', await photo('rose_leslie/rose_leslie_2.jpg'));
    const res = await realFetch(`${url}/api/v1/ext/${demo.org_id}/event/${demo.event_id}/faces`, {
      method: 'POST',
      body: form,
      headers: { 'X-API-Key': demo.publishable_key },
    });
    const stored = (await res.json()) as { data: { request_id: string; pagination: { total: number } } };
    const rid = stored.data.request_id;
    const total = stored.data.pagination.total;
    expect(total).to.be.greaterThan(1, 'the demo selfie finds at least two photos');
    const bodies: unknown[] = [];
    const notMe: { url: string; body: unknown; status?: number }[] = [];
    const wrapped = window.fetch;
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const u = String(input instanceof Request ? input.url : input);
      if (u.endsWith('/download-all')) bodies.push(JSON.parse(String(init!.body)));
      if (u.endsWith('/not-me')) {
        const call: (typeof notMe)[number] = { url: u, body: JSON.parse(String(init!.body)) };
        notMe.push(call);
        const r = await wrapped(input, init);
        call.status = r.status;
        return r;
      }
      return wrapped(input, init);
    };
    history.replaceState(null, '', `?selfie=${rid}`);
    // One photo per page: the stored result then has pages the gallery has not loaded, so it reloads them.
    const el = await mount('page-size="1"');
    const gallery = await shadowFind<PfGallery>(el, 'pf-gallery', 'restored results');
    await waitUntil(() => gallery.count === total, 'results not shown');
    const hidden = oneEvent(gallery, 'pf-hide');
    (await shadowFind<HTMLButtonElement>(gallery, '[part~=hide]', '"Not me" button')).click();
    const hiddenId = (await hidden).detail.image.image_id;
    await waitUntil(() => gallery.count === total - 1, 'photo not hidden');
    await waitUntil(() => notMe[0]?.status, '"Not me" not sent', { timeout: 20000 });
    expect(notMe).to.have.length(1);
    expect(notMe[0]!.url).to.contain(`/faces/${rid}/not-me`);
    expect(notMe[0]!.body).to.deep.equal({ image_id: hiddenId });
    expect(notMe[0]!.status).to.equal(200);
    // The stored search no longer has it.
    const after = (await (
      await realFetch(`${url}/api/v1/ext/${demo.org_id}/event/${demo.event_id}/faces/${rid}?page_size=100`, {
        headers: { 'X-API-Key': demo.publishable_key },
      })
    ).json()) as { data: { images: { image_id: string }[]; pagination: { total: number } } };
    expect(after.data.images.map((i) => i.image_id)).not.to.include(hiddenId);
    const n = after.data.pagination.total;
    // The gallery shows the stored result (reloaded), without the photo.
    await waitUntil(() => gallery.count === n && gallery.loadedImages.every((i) => i.image_id !== hiddenId), 'not reloaded', {
      timeout: 20000,
    });
    const button = await shadowFind<HTMLButtonElement>(el, '[part~=download-all-button]', 'download-all button');
    await waitUntil(() => el.shadowRoot!.querySelector('[part~=download-all]')!.textContent!.includes(`${n} photo`), 'count');
    let detail: PfDownloadDetail | null = null;
    el.addEventListener('pf-download', (e) => ((detail = e.detail), e.preventDefault()), { once: true });
    button.click();
    await waitUntil(() => detail, 'no pf-download', { timeout: 20000 });
    const d = detail as unknown as PfDownloadDetail;
    expect(d.ok).to.equal(true);
    expect(d.count).to.equal(n);
    expect(bodies).to.have.length(1);
    // The server's search is the photos left: the request names it.
    expect(bodies[0]).to.deep.equal({ selfie: rid });
    await expect(el).to.be.accessible();
  });

  it('"Not me" on a result shown whole: the photo is hidden at once and the server agrees (no reload)', async () => {
    const { url, demo } = await fixtureInfo();
    const form = new FormData();
    form.append('file', await photo('rose_leslie/rose_leslie_2.jpg'));
    const res = await realFetch(`${url}/api/v1/ext/${demo.org_id}/event/${demo.event_id}/faces`, {
      method: 'POST',
      body: form,
      headers: { 'X-API-Key': demo.publishable_key },
    });
    const stored = (await res.json()) as { data: { request_id: string; pagination: { total: number } } };
    const total = stored.data.pagination.total;
    const statuses: number[] = [];
    let gets = 0;
    const wrapped = window.fetch;
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const u = String(input instanceof Request ? input.url : input);
      if (u.includes(`/faces/${stored.data.request_id}?`)) gets++;
      const r = await wrapped(input, init);
      if (u.endsWith('/not-me')) statuses.push(r.status);
      return r;
    };
    history.replaceState(null, '', `?selfie=${stored.data.request_id}`);
    const el = await mount();
    const gallery = await shadowFind<PfGallery>(el, 'pf-gallery', 'restored results');
    await waitUntil(() => gallery.count === total, 'results not shown');
    const getsBefore = gets;
    (await shadowFind<HTMLButtonElement>(gallery, '[part~=hide]', '"Not me" button')).click();
    await waitUntil(() => statuses.length === 1, '"Not me" not sent', { timeout: 20000 });
    expect(statuses).to.deep.equal([200]);
    expect(gallery.count).to.equal(total - 1);
    expect(gets).to.equal(getsBefore);
  });

  it('shows a notice when the event has selfie search off', async () => {
    const off = await makeEvent({ flags: { selfie_search: false } });
    const el = await mount('', { event: off.event_id, key: off.key });
    const notice = await shadowFind(el, '[part~="unavailable"]', 'notice');
    expect(notice.textContent).to.contain('not available');
  });
});
