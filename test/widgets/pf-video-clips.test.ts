import { expect, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { PfVideoClips } from '../../widgets/pf-video-clips/pf-video-clips.ts';
import { demoEvent, fixtureInfo, makeEvent, shadowFind } from './fixture.ts';

const part = <T extends Element = HTMLElement>(el: Element, name: string) => el.shadowRoot!.querySelector<T>(`[part~=${name}]`);

/** A Face Search on the demo event with a dataset photo of a person the seed put in the finish-line video. */
async function faceSearch(file: string | null = 'obama/obama_podium.jpg'): Promise<string> {
  const { url, demo } = await fixtureInfo();
  const form = new FormData();
  // null: a face vector of nobody (random), the stranger of these tests.
  if (file) form.append('file', await (await fetch(`/__pf/faces/${file}`)).blob(), 'selfie.jpg');
  else form.append('embedding', JSON.stringify(Array.from({ length: 512 }, () => Math.random() - 0.5)));
  const res = await fetch(`${url}/api/v1/ext/${demo.org_id}/event/${demo.event_id}/faces`, {
    method: 'POST',
    headers: { 'X-API-Key': demo.publishable_key },
    body: form,
  });
  expect(res.status).to.equal(200);
  return ((await res.json()) as { data: { request_id: string } }).data.request_id;
}

async function mount(attrs: string, opts: { key?: string; event?: number; lang?: string } = {}) {
  const root = await demoEvent(html``, opts);
  root.innerHTML = `<pf-video-clips ${attrs}></pf-video-clips>`;
  return { root, el: root.querySelector('pf-video-clips') as PfVideoClips };
}

describe('pf-video-clips', function () {
  this.timeout(60_000);
  let available = false;
  before(async () => {
    available = ((await (await fetch('/__pf/faces-available')).json()) as { available: boolean }).available;
  });
  afterEach(() => history.replaceState(null, '', location.pathname));

  it('pending while the server makes the clip, then a playable, downloadable clip; passes axe', async function () {
    if (!available) this.skip();
    const requestId = await faceSearch();
    const { root, el } = await mount(`request-id="${requestId}"`);
    const ready = oneEvent(root, 'pf-clips');
    await shadowFind(el, '[part~=pending]', 'the pending state');
    expect(part(el, 'pending')!.getAttribute('role')).to.equal('status');
    expect((await ready).detail).to.deep.equal({ query: requestId, total: 1 });
    await el.updateComplete;
    expect(part(el, 'count')!.textContent!.trim()).to.equal('1 video clip found');
    const video = part<HTMLVideoElement>(el, 'video')!;
    expect(video.controls).to.equal(true);
    expect(video.getAttribute('aria-label')).to.match(/^Clip from finish-line-camera\.mp4, \d+:\d\d to \d+:\d\d$/);
    expect(video.poster).to.match(/\/files\/v\/.+\/clip-.+\.jpg\?exp=/);
    await waitUntil(() => video.readyState >= 1, 'the clip metadata never loaded', { timeout: 20_000 });
    expect(video.duration).to.be.greaterThan(3);
    const download = part<HTMLAnchorElement>(el, 'download')!;
    expect(download.href).to.match(/\/clip-.+\.mp4\?.*download=1$/);
    expect(download.hasAttribute('download')).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('a person in no video: "no clip" (and in French)', async () => {
    const requestId = await faceSearch(null);
    const { el } = await mount(`request-id="${requestId}" lang="fr"`, { lang: 'fr' });
    const empty = await shadowFind(el, '[part~=empty]', 'the no-clip line', 30_000);
    expect(empty.textContent!.trim()).to.equal("Aucun extrait vidéo de vous n'a été trouvé.");
    expect(el.shadowRoot!.querySelector('h3')!.textContent).to.equal('Vos extraits vidéo');
  });

  it('an unknown search: a clear error; switched off for the event: a notice; no search yet: a hint', async () => {
    const { el } = await mount(`request-id="${crypto.randomUUID()}"`);
    const error = await shadowFind(el, '[part~=error]', 'the error');
    expect(error.textContent).to.contain('no longer available');
    const off = await makeEvent({ flags: { video_search: false } });
    const { el: offEl } = await mount(`request-id="${crypto.randomUUID()}"`, { key: off.key, event: off.event_id });
    const notice = await shadowFind(offEl, '[part~=unavailable]', 'the notice');
    expect(notice.textContent!.trim()).to.equal('Video clips are not available for this event.');
    const { el: idle } = await mount('no-url');
    await waitUntil(() => idle.shadowRoot!.textContent!.includes('Search with a selfie'), 'no hint');
  });
});
