// The console's elements in Chromium against the real seeded server (same origin through the wtr proxy: session
// cookie, CSRF header): sign-in, events, settings, BIB review, share, sales, certificates, members, account. Each
// passes axe; errors show in place.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { AdminEvent } from '../../core/api/admin.ts';
import type { BibPhotoPage } from '../../core/api/bibtrack.ts';
import { ConsoleApi } from '../../console/api.ts';
import '../../console/main.ts';
import '../../console/pages/pfc-events.ts';
import '../../console/pages/pfc-event-settings.ts';
import type { PfcEventSettings } from '../../console/pages/pfc-event-settings.ts';
import '../../console/pages/pfc-bib-review.ts';
import '../../console/pages/pfc-share.ts';
import '../../console/pages/pfc-sales.ts';
import '../../console/pages/pfc-certificates.ts';
import '../../console/pages/pfc-members.ts';
import '../../console/pages/pfc-account.ts';
import '../../console/pages/pfc-processing.ts';
import '../../console/pages/pfc-upload.ts';
import { admin, fixtureInfo } from './fixture.ts';

interface Owner {
  email: string;
  password: string;
}
async function owner(): Promise<Owner> {
  const { demo } = (await fixtureInfo()) as unknown as { demo: { owner_email: string; owner_password: string } };
  return { email: demo.owner_email, password: demo.owner_password };
}

/** A signed-in API client (the session cookie is the page's). */
async function signedIn(): Promise<ConsoleApi> {
  const api = new ConsoleApi('');
  const o = await owner();
  await api.login(o.email, o.password);
  return api;
}

/**
 * A new event of the demo organisation (no key: an organisation has at most 10, and the other suites make theirs).
 */
async function makeEvent(settings: { free_downloads?: boolean } = {}): Promise<{ event_id: number }> {
  return admin<{ event_id: number }>('/events', {
    method: 'POST',
    body: JSON.stringify({ name: `console test ${Math.random().toString(36).slice(2, 8)}`, ...settings }),
  });
}

/** Ends the page's session, if any. */
async function signOut() {
  const api = new ConsoleApi('');
  if (await api.session()) await api.logout();
}

/** Plain JPEGs drawn in the page (no bib on them), uploaded into an event with the secret key. */
async function uploadPlainPhotos(eventId: number, count: number) {
  const form = new FormData();
  for (let i = 0; i < count; i++) {
    const c = document.createElement('canvas');
    c.width = 480;
    c.height = 320;
    const g = c.getContext('2d')!;
    g.fillStyle = `hsl(${(i * 67) % 360} 40% 55%)`;
    g.fillRect(0, 0, c.width, c.height);
    g.fillStyle = '#fff';
    g.fillRect(40 + i * 10, 60, 120, 180);
    const blob = await new Promise<Blob>((r) => c.toBlob((b) => r(b!), 'image/jpeg', 0.85));
    form.append('files', blob, `plain-${i}.jpg`);
  }
  await admin(`/events/${eventId}/photos`, { method: 'POST', body: form });
}

/** Distinct small JPEGs made in the page. */
async function jpegFiles(names: string[]): Promise<File[]> {
  const out: File[] = [];
  for (const [i, name] of names.entries()) {
    const c = document.createElement('canvas');
    c.width = 320;
    c.height = 200;
    const g = c.getContext('2d')!;
    g.fillStyle = `hsl(${(i * 97 + name.length * 13) % 360} 50% 50%)`;
    g.fillRect(0, 0, 320, 200);
    g.fillStyle = '#000';
    g.fillText(name, 10, 100);
    const blob = await new Promise<Blob>((r) => c.toBlob((b) => r(b!), 'image/jpeg', 0.9));
    out.push(new File([blob], name, { type: 'image/jpeg', lastModified: 1_700_000_000_000 + i }));
  }
  return out;
}

function choose(input: HTMLInputElement, files: File[]) {
  const dt = new DataTransfer();
  for (const f of files) dt.items.add(f);
  input.files = dt.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

/** Shadow-DOM text of an element, squeezed. */
const text = (el: Element) => (el.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ');
const $ = <T extends Element>(el: Element, sel: string) => el.shadowRoot!.querySelector<T>(sel);
async function until(fn: () => unknown, what: string, timeout = 15000) {
  await waitUntil(fn, what, { timeout });
}
function setValue(input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  input.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
}

describe('console: sign-in and the shell', () => {
  before(signOut);

  it('signed out: the form has "Email", "Password" and "Sign in"; a wrong password is an error in place; then the events', async () => {
    await signOut();
    location.hash = '#/events';
    const app = await fixture<HTMLElement>(html`<pfc-app></pfc-app>`);
    await until(() => app.shadowRoot?.querySelector('pfc-sign-in'), 'sign-in form');
    const form = $<HTMLElement>(app, 'pfc-sign-in')!;
    await until(() => $(form, 'button[type=submit]'), 'button');
    const email = $<HTMLInputElement>(form, '#email')!;
    const password = $<HTMLInputElement>(form, '#password')!;
    expect($<HTMLLabelElement>(form, 'label[for=email]')!.textContent!.trim()).to.equal('Email');
    expect($<HTMLLabelElement>(form, 'label[for=password]')!.textContent!.trim()).to.equal('Password');
    expect($<HTMLButtonElement>(form, 'button[type=submit]')!.textContent!.trim()).to.equal('Sign in');
    await expect(form).to.be.accessible();

    const o = await owner();
    email.value = o.email;
    password.value = 'not-the-password';
    $<HTMLButtonElement>(form, 'button[type=submit]')!.click();
    await until(() => $(form, '[role=alert]'), 'error in place');
    expect(text(form)).to.match(/password|invalid|wrong/i);

    password.value = o.password;
    $<HTMLButtonElement>(form, 'button[type=submit]')!.click();
    await until(() => app.shadowRoot!.querySelector('pfc-events'), 'events page');
    const events = app.shadowRoot!.querySelector('pfc-events')!;
    await until(() => text(events).includes('Riverside'), 'demo event listed');
    expect(text(app)).to.contain(o.email);
    await expect(app).to.be.accessible();
  });

  it('speaks French when the page is French, and a session that ends sends back to the sign-in form', async () => {
    await signedIn();
    document.documentElement.lang = 'fr';
    try {
      location.hash = '#/events';
      const app = await fixture<HTMLElement>(html`<pfc-app></pfc-app>`);
      await until(() => app.shadowRoot?.querySelector('pfc-events'), 'events page');
      const events = app.shadowRoot!.querySelector('pfc-events')!;
      await until(() => text(events).includes('Nouvel événement'), 'French');
      expect(text(app)).to.contain('Se déconnecter');
      // Signed out elsewhere (another tab): the next request is 401 and the form comes back, with a notice.
      await signOut();
      location.hash = '#/members';
      await until(() => app.shadowRoot!.querySelector('pfc-sign-in'), 'sign-in form again');
      expect(text(app)).to.contain('Votre session a pris fin');
    } finally {
      document.documentElement.lang = 'en';
    }
  });
});

describe('console: events and settings', () => {
  let api: ConsoleApi;
  let org: number;
  before(async () => {
    api = await signedIn();
    org = (await fixtureInfo()).demo.org_id;
  });

  it('lists the events with date, photo count and processing state; passes axe', async () => {
    const el = await fixture<HTMLElement>(html`<pfc-events .api=${api} org=${org} access="owner"></pfc-events>`);
    await until(() => text(el).includes('Riverside'), 'listed');
    const card = [...el.shadowRoot!.querySelectorAll('li.card')].find((li) => li.textContent!.includes('Riverside'))!;
    expect(card.textContent).to.match(/Photos\s*\d+/);
    await expect(el).to.be.accessible();
  });

  it('creates an event and goes to its settings', async () => {
    location.hash = '#/events/new';
    const el = await fixture<HTMLElement>(
      html`<pfc-event-settings .api=${api} org=${org} access="owner" .create=${true}></pfc-event-settings>`,
    );
    await expect(el).to.be.accessible();
    setValue($<HTMLInputElement>(el, '#name')!, 'Console test race');
    setValue($<HTMLInputElement>(el, '#event_date')!, '2026-06-14T09:30');
    setValue($<HTMLSelectElement>(el, '#time_zone')!, 'Europe/Paris');
    $<HTMLButtonElement>(el, 'button[type=submit]')!.click();
    await until(() => /^#\/events\/\d+\/settings$/.test(location.hash), 'went to the settings');
    const id = Number(location.hash.split('/')[2]);
    const ev = await admin<AdminEvent>(`/events/${id}`);
    expect(ev.name).to.equal('Console test race');
    expect(ev.event_date).to.equal('2026-06-14T09:30:00');
    expect(ev.time_zone).to.equal('Europe/Paris');
  });

  it('edits every setting, previews the watermark, refuses a bad value in place, archives with a confirmation', async function () {
    this.timeout(120_000);
    const { event_id } = await makeEvent({});
    const event = await admin<AdminEvent>(`/events/${event_id}`);
    const el = await fixture<HTMLElement>(
      html`<pfc-event-settings .api=${api} org=${org} access="owner" .event=${event}></pfc-event-settings>`,
    );
    await expect(el).to.be.accessible();
    setValue($<HTMLInputElement>(el, '#slug')!, 'Not A Slug');
    $<HTMLButtonElement>(el, 'button[type=submit]')!.click();
    await until(() => $(el, '.error[role=alert]'), 'validation error');
    expect(text(el)).to.contain('slug');

    setValue($<HTMLInputElement>(el, '#slug')!, 'console-race');
    setValue($<HTMLInputElement>(el, '#face_threshold')!, '0.6');
    setValue($<HTMLInputElement>(el, '#watermark_text')!, '© Console Photos');
    $<HTMLInputElement>(el, 'input[name=originals][value=sold]')!.click();
    const selfie = $<HTMLInputElement>(el, 'input[name=flag_selfie_search]')!;
    selfie.click();
    setValue($<HTMLSelectElement>(el, '#visibility')!, 'unlisted');
    setValue($<HTMLInputElement>(el, '#page_password')!, 'runners');
    setValue($<HTMLInputElement>(el, '#location')!, 'Lyon');
    $<HTMLInputElement>(el, 'input[name=bulk_download]')!.click();
    $<HTMLInputElement>(el, 'input[name=cta_on]')!.click();
    await until(() => $(el, '#cta_url'), 'call-to-action fields');
    setValue($<HTMLInputElement>(el, '#cta_url')!, 'https://club.example/join');
    setValue($<HTMLInputElement>(el, '#cta_text')!, 'Join the club');
    setValue($<HTMLInputElement>(el, '#video_fps')!, '4');
    // The preview canvas is drawn (not blank) once the text is there.
    const canvas = $<HTMLCanvasElement>(el, 'canvas')!;
    const px = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    expect(px.some((v, i) => i % 4 === 3 && v > 0)).to.equal(true);
    $<HTMLButtonElement>(el, 'button[type=submit]')!.click();
    await until(() => text(el).includes('Settings saved'), 'saved');
    const saved = await admin<AdminEvent>(`/events/${event_id}`);
    expect(saved.slug).to.equal('console-race');
    expect(saved.face_threshold).to.equal(0.6);
    expect(saved.watermark_text).to.equal('© Console Photos');
    expect(saved.free_downloads).to.equal(false);
    expect(saved.flags.selfie_search).to.equal(!event.flags.selfie_search);
    expect(saved.visibility).to.equal('unlisted');
    expect(saved.page_password_set).to.equal(true);
    expect(saved.location).to.equal('Lyon');
    expect(saved.bulk_download).to.equal(!event.bulk_download);
    expect(saved.cta).to.deep.equal({
      url: 'https://club.example/join',
      text: 'Join the club',
      placement: 'gallery',
      style: 'button',
    });
    expect(saved.video.fps).to.equal(4);

    $<HTMLButtonElement>(el, 'button.danger')!.click();
    await until(() => $<HTMLDialogElement>(el, 'dialog')?.open, 'confirmation');
    await expect(el).to.be.accessible();
    [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('dialog button')]
      .find((b) => b.textContent!.trim() === 'Archive')!
      .click();
    await until(() => text(el).includes('archived'), 'archived');
    const archived = await admin<AdminEvent>(`/events/${event_id}`);
    expect(archived.status).to.equal('draft');
    expect(archived.event_enabled).to.equal(false);
  });

  it('a viewer reads the settings but cannot change them', async () => {
    const event = await admin<AdminEvent>(`/events/${(await fixtureInfo()).demo.event_id}`);
    const el = await fixture<HTMLElement>(
      html`<pfc-event-settings .api=${api} org=${org} access="viewer" .event=${event}></pfc-event-settings>`,
    );
    expect($<HTMLInputElement>(el, '#name')!.disabled).to.equal(true);
    expect($(el, 'button[type=submit]')).to.equal(null);
    expect(text(el)).not.to.contain('Delete the event');
    await expect(el).to.be.accessible();
  });

  it('deletes an event once its name is typed in the confirmation, then goes back to the events list', async () => {
    const { event_id } = await makeEvent({});
    await uploadPlainPhotos(event_id, 1);
    const event = await admin<AdminEvent>(`/events/${event_id}`);
    expect(event.image_count).to.equal(1);
    location.hash = `#/events/${event_id}/settings`;
    const el = await fixture<PfcEventSettings>(
      html`<pfc-event-settings .api=${api} org=${org} access="owner" .event=${event}></pfc-event-settings>`,
    );
    const buttons = () => [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button')];
    buttons()
      .find((b) => b.textContent!.trim() === 'Delete the event…')!
      .click();
    await until(() => $<HTMLDialogElement>(el, 'dialog')?.open, 'confirmation');
    await expect(el).to.be.accessible();
    const confirm = () => buttons().find((b) => b.textContent!.trim() === 'Delete the event')!;
    expect(confirm().disabled, 'nothing typed').to.equal(true);
    const name = $<HTMLInputElement>(el, '#delete-name')!;
    expect(el.shadowRoot!.activeElement).to.equal(name);
    await sendKeys({ type: 'Not the name' });
    await el.updateComplete;
    expect(name.value).to.equal('Not the name');
    expect(confirm().disabled, 'another name').to.equal(true);
    setValue(name, event.name);
    await el.updateComplete;
    expect(confirm().disabled).to.equal(false);
    confirm().click();
    await until(() => location.hash === '#/events', 'back to the events list');
    let error = '';
    await admin(`/events/${event_id}`).catch((e: Error) => (error = e.message));
    expect(error).to.match(/^404/);
  });
});

describe('console: upload and processing', () => {
  it('uploads through tus with progress; a file chosen twice or sent before is skipped; processing shows them live', async function () {
    this.timeout(120_000);
    const api = await signedIn();
    const { demo } = await fixtureInfo();
    const { event_id } = await makeEvent({});
    const event = await admin<AdminEvent>(`/events/${event_id}`);
    localStorage.removeItem(`pfc.sent.${demo.org_id}.${event_id}`);
    const el = await fixture<HTMLElement>(
      html`<pfc-upload .api=${api} org=${demo.org_id} access="owner" .event=${event}></pfc-upload>`,
    );
    await expect(el).to.be.accessible();
    const [a, b, c] = await jpegFiles(['a.jpg', 'b.jpg', 'c.jpg']);
    choose($<HTMLInputElement>(el, '#files')!, [a!, b!, c!, a!]);
    await until(() => text(el).includes('3 of 3 uploaded'), 'uploaded', 30000);
    expect(text(el)).to.contain('1 skipped');
    expect(text(el)).to.contain('skipped: chosen twice');
    expect(el.shadowRoot!.querySelectorAll('li[data-state=done]').length).to.equal(3);
    await expect(el).to.be.accessible();
    // The same files on another visit from this browser: skipped, nothing sent.
    const again = await fixture<HTMLElement>(
      html`<pfc-upload .api=${api} org=${demo.org_id} access="owner" .event=${event}></pfc-upload>`,
    );
    choose($<HTMLInputElement>(again, '#files')!, [a!, b!]);
    await until(() => again.shadowRoot!.querySelectorAll('li[data-state=skipped]').length === 2, 'skipped again');
    expect(text(again)).to.contain('skipped: already uploaded');
    expect(text(again)).to.contain('0 of 0 uploaded · 2 skipped');

    const proc = await fixture<HTMLElement>(
      html`<pfc-processing .api=${api} org=${demo.org_id} access="owner" .event=${event}></pfc-processing>`,
    );
    await until(() => $(proc, '[data-count=received]')?.textContent === '3', 'received 3', 30000);
    await until(() => text(proc).includes('All photos are processed.'), 'processed', 60000);
    expect($(proc, '[data-count=processed]')!.textContent).to.equal('3');
    await expect(proc).to.be.accessible();
    const after = await admin<AdminEvent>(`/events/${event_id}`);
    expect(after.image_count).to.equal(3);
  });
});

describe('console: a file that fails processing', () => {
  it('shows the failure with its reason in place, and the retry queues it again', async function () {
    this.timeout(120_000);
    const api = await signedIn();
    const { demo } = await fixtureInfo();
    const { event_id } = await makeEvent({});
    const event = await admin<AdminEvent>(`/events/${event_id}`);
    const up = await fixture<HTMLElement>(
      html`<pfc-upload .api=${api} org=${demo.org_id} access="owner" .event=${event}></pfc-upload>`,
    );
    const broken = new File([new TextEncoder().encode('not a photo at all')], 'broken.jpg', {
      type: 'image/jpeg',
      lastModified: 1,
    });
    choose($<HTMLInputElement>(up, '#files')!, [broken]);
    await until(() => text(up).includes('1 of 1 uploaded'), 'uploaded', 30000);

    const proc = await fixture<HTMLElement>(
      html`<pfc-processing .api=${api} org=${demo.org_id} access="owner" .event=${event}></pfc-processing>`,
    );
    await until(() => $(proc, '[data-count=failed]')?.textContent === '1', 'failed 1', 60000);
    await until(() => text(proc).includes('broken.jpg'), 'the failed file listed');
    await expect(proc).to.be.accessible();
    const retry = [...proc.shadowRoot!.querySelectorAll<HTMLButtonElement>('button')].find((b) =>
      b.textContent!.includes('Retry the failed files'),
    )!;
    retry.click();
    // Retried, and (the bytes being no photo) failed again, with the reason still shown.
    await until(() => !retry.disabled, 'retry answered');
    expect($(proc, '.error[role=alert]')).to.equal(null);
    await until(
      () => $(proc, '[data-count=failed]')?.textContent === '1' && text(proc).includes('broken.jpg'),
      'failed again',
      60000,
    );
  });
});

describe('console: BIB review', () => {
  it('types a bib for a photo of the queue with the keyboard; the photo leaves the queue', async function () {
    this.timeout(120_000);
    const api = await signedIn();
    const { demo } = await fixtureInfo();
    const { event_id } = await makeEvent({});
    await uploadPlainPhotos(event_id, 3);
    const before = await admin<BibPhotoPage>(`/events/${event_id}/bibs/untagged`);
    expect(before.pagination.total).to.be.greaterThan(0);
    const event = await admin<AdminEvent>(`/events/${event_id}`);
    const el = await fixture<HTMLElement>(
      html`<pfc-bib-review .api=${api} org=${demo.org_id} access="owner" .event=${event}></pfc-bib-review>`,
    );
    await until(() => $(el, 'img'), 'a photo');
    await expect(el).to.be.accessible();
    const first = $<HTMLImageElement>(el, 'img')!.src;
    // B focuses the bib field, typing and Enter tags the photo.
    (el.shadowRoot!.querySelector('h1') as HTMLElement).focus();
    await sendKeys({ press: 'b' });
    await sendKeys({ type: '4242' });
    await sendKeys({ press: 'Enter' });
    await until(() => text(el).includes('1 cleared'), 'cleared');
    const after = await admin<BibPhotoPage>(`/events/${event_id}/bibs/untagged`);
    expect(after.pagination.total).to.equal(before.pagination.total - 1);
    if (after.pagination.total > 0) expect($<HTMLImageElement>(el, 'img')!.src).to.not.equal(first);
    // A wrong bib is refused in place.
    if (after.pagination.total > 0) {
      const input = $<HTMLInputElement>(el, '#bib')!;
      input.value = '12 34!';
      $<HTMLButtonElement>(el, 'form button[type=submit]')!.click();
      await until(() => $<HTMLInputElement>(el, '#bib')!.getAttribute('aria-invalid') === 'true', 'invalid');
    }
  });
});

describe('console: share, sales, certificates, members, account', () => {
  let api: ConsoleApi;
  let org: number;
  let demoEvent: AdminEvent;
  before(async () => {
    api = await signedIn();
    const { demo } = await fixtureInfo();
    org = demo.org_id;
    demoEvent = await admin<AdminEvent>(`/events/${demo.event_id}`);
  });

  it('share: makes a publishable key for the event, the snippet with it, a QR code (SVG and PNG); no secret key', async function () {
    this.timeout(120_000);
    const { event_id } = await makeEvent({});
    localStorage.removeItem(`pfc.pk.${org}.${event_id}`);
    const event = await admin<AdminEvent>(`/events/${event_id}`);
    const el = await fixture<HTMLElement>(html`<pfc-share .api=${api} org=${org} access="owner" .event=${event}></pfc-share>`);
    await until(() => $(el, '.qr img'), 'QR code');
    const create = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button')].find((b) =>
      b.textContent!.includes('publishable key'),
    )!;
    create.click();
    await until(() => $(el, '#snippet'), 'snippet');
    const snippet = $<HTMLTextAreaElement>(el, '#snippet')!.value;
    expect(snippet).to.match(/key="pk_[\w-]+"/);
    expect(snippet).to.contain(`event="${event_id}"`);
    expect(text(el)).to.not.match(/sk_/);
    expect($<HTMLAnchorElement>(el, 'a[download$=".svg"]')!.href).to.match(/^data:image\/svg\+xml/);
    expect($<HTMLAnchorElement>(el, 'a[download$=".png"]')!.href).to.match(/^data:image\/png;base64,/);
    await expect(el).to.be.accessible();
    // The organisation's keys are few (at most 10): remove the one made here.
    const keys = await admin<{ keys: { key_id: number; label: string | null }[] }>('/keys');
    for (const k of keys.keys.filter((k) => k.label === `${event.name} (console)`))
      await admin(`/keys/${k.key_id}`, { method: 'DELETE' });
  });

  it('sales: adds a plan, shows orders and transactions with totals; passes axe', async () => {
    const { event_id } = await makeEvent({ free_downloads: false });
    const event = await admin<AdminEvent>(`/events/${event_id}`);
    const el = await fixture<HTMLElement>(html`<pfc-sales .api=${api} org=${org} access="owner" .event=${event}></pfc-sales>`);
    await until(() => $(el, '#plan-name'), 'plan form');
    setValue($<HTMLInputElement>(el, '#plan-name')!, 'One photo');
    setValue($<HTMLInputElement>(el, '#plan-price')!, '4.50');
    $<HTMLButtonElement>(el, 'form.plan button[type=submit]')!.click();
    await until(() => text(el).includes('One photo') && $(el, 'tbody'), 'plan listed');
    const plans = await admin<{ plans: { name: string; price: number }[] }>(`/events/${event_id}/plans`);
    expect(plans.plans.map((p) => [p.name, p.price])).to.deep.equal([['One photo', 450]]);
    expect(text(el)).to.contain('No orders yet');
    await expect(el).to.be.accessible();
  });

  it('certificates: the editor shows the fields on the preview of a real record, moves one by keyboard, saves; passes axe', async function () {
    this.timeout(120_000);
    const el = await fixture<HTMLElement>(
      html`<pfc-certificates .api=${api} org=${org} access="owner" .event=${demoEvent}></pfc-certificates>`,
    );
    await until(() => $(el, '.page img'), 'preview image', 30000);
    const img = $<HTMLImageElement>(el, '.page img')!;
    await until(() => img.complete && img.naturalWidth > 0, 'preview decoded', 30000);
    const box = $<HTMLButtonElement>(el, '.fieldbox')!;
    box.focus();
    await sendKeys({ press: 'ArrowRight' });
    await until(() => text(el).includes('Unsaved changes'), 'dirty');
    await expect(el).to.be.accessible();
  });

  it('members: invites by link (copy), lists the invitation; passes axe', async () => {
    const el = await fixture<HTMLElement>(html`<pfc-members .api=${api} org=${org} access="owner"></pfc-members>`);
    await until(() => $(el, 'tbody tr'), 'members');
    setValue($<HTMLInputElement>(el, '#invite-email')!, `ph${Date.now()}@example.org`);
    setValue($<HTMLSelectElement>(el, '#invite-role')!, 'viewer');
    $<HTMLButtonElement>(el, 'form button[type=submit]')!.click();
    await until(() => $(el, '#invite-link'), 'link');
    expect($<HTMLInputElement>(el, '#invite-link')!.value).to.match(/\/console\/#\/invite\/.+/);
    await expect(el).to.be.accessible();
  });

  it('account: the model registry lists each model with its package, licence and status; passes axe', async () => {
    const el = await fixture<HTMLElement>(html`<pfc-account .api=${api} org=${org} access="owner"></pfc-account>`);
    await until(() => $(el, '#models'), 'model registry');
    const text = $(el, '#models')!.textContent!;
    expect(text).to.include('fr_feature.onnx');
    expect(text).to.include('faceplugin-face-recognition-js@0.0.1');
    expect(text).to.include('Apache-2.0');
    await expect(el).to.be.accessible();
  });

  it('account: two different new passwords are refused in place; passes axe', async () => {
    const el = await fixture<HTMLElement>(html`<pfc-account .api=${api} org=${org} access="owner"></pfc-account>`);
    setValue($<HTMLInputElement>(el, '#current')!, 'whatever-1');
    setValue($<HTMLInputElement>(el, '#new')!, 'new-password-1');
    setValue($<HTMLInputElement>(el, '#confirm')!, 'new-password-2');
    $<HTMLButtonElement>(el, 'button[type=submit]')!.click();
    await until(() => $(el, '#confirm-error')!.textContent!.includes('differ'), 'mismatch');
    expect($<HTMLInputElement>(el, '#confirm')!.getAttribute('aria-invalid')).to.equal('true');
    await expect(el).to.be.accessible();
  });
});
