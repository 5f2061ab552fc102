// Coordinates of the real API server the wtr config started (see web-test-runner.config.mjs), and helpers
// that drive it through its real admin API (events with other settings, keys, photo uploads).
import { fixture as litFixture, html, waitUntil } from '@open-wc/testing';
import type { FeatureFlag } from '../../core/api/models.ts';
import '../../widgets/index.ts';

export interface Fixture {
  url: string;
  demo: { org_id: number; event_id: number; publishable_key: string; secret_key: string };
}

let cached: Promise<Fixture> | null = null;
export function fixtureInfo(): Promise<Fixture> {
  cached ??= fetch('/__pf/fixture.json').then((r) => r.json() as Promise<Fixture>);
  return cached;
}

/** Calls the admin API with the demo organisation's secret key; returns `data` or throws with the message. */
export async function admin<T>(path: string, init: RequestInit = {}): Promise<T> {
  const { url, demo } = await fixtureInfo();
  const headers = new Headers(init.headers);
  headers.set('X-API-Key', demo.secret_key);
  if (typeof init.body === 'string') headers.set('Content-Type', 'application/json');
  const res = await fetch(`${url}/api/v1/admin/${demo.org_id}${path}`, { ...init, headers });
  const body = (await res.json()) as { message: string; data: T };
  if (!res.ok) throw new Error(`${res.status} ${body.message}`);
  return body.data;
}

/** A new event of the demo organisation with these settings, and a publishable key for it (limited to `origins`). */
export async function makeEvent(
  settings: {
    flags?: Partial<Record<FeatureFlag, boolean>>;
    free_downloads?: boolean;
    time_zone?: string;
    page_password?: string;
    show_all_images?: boolean;
    show_photo_count?: boolean;
    bulk_download?: boolean;
    web_download?: boolean;
    cta?: { url: string; text: string; placement: 'gallery' | 'lightbox' | 'download'; style: 'button' | 'link' };
  },
  keyOptions: { origins?: string[] } = {},
): Promise<{ event_id: number; key: string }> {
  const ev = await admin<{ event_id: number }>('/events', {
    method: 'POST',
    body: JSON.stringify({ name: `widget test ${Math.random().toString(36).slice(2, 8)}`, ...settings }),
  });
  return { event_id: ev.event_id, key: await publishableKey([ev.event_id], keyOptions) };
}

/**
 * A new publishable key for `eventIds`. An organisation has at most 10 keys: when the suite reaches that, the
 * oldest keys made by earlier tests ("widget test") are deleted first.
 */
async function publishableKey(eventIds: number[], keyOptions: { origins?: string[] }): Promise<string> {
  const body = JSON.stringify({ kind: 'publishable', label: 'widget test', event_ids: eventIds, ...keyOptions });
  try {
    return (await admin<{ key: string }>('/keys', { method: 'POST', body })).key;
  } catch (e) {
    if (!String(e).startsWith('Error: 409')) throw e;
    const { keys } = await admin<{ keys: { key_id: number; label: string | null }[] }>('/keys');
    const old = keys.filter((k) => k.label === 'widget test').sort((a, b) => a.key_id - b.key_id);
    for (const k of old.slice(0, Math.max(1, Math.ceil(old.length / 2)))) {
      await admin(`/keys/${k.key_id}`, { method: 'DELETE' });
    }
    return (await admin<{ key: string }>('/keys', { method: 'POST', body })).key;
  }
}

/** A publishable key of the demo event (limited to `origins`, if given). */
export async function demoKey(keyOptions: { origins?: string[] } = {}): Promise<string> {
  const { demo } = await fixtureInfo();
  return publishableKey([demo.event_id], keyOptions);
}

/** Uploads real JPEG bytes (a demo photo's preview) into an event; returns the new image ids. */
export async function uploadDemoPhotos(eventId: number, count: number): Promise<string[]> {
  const { url, demo } = await fixtureInfo();
  const res = await fetch(`${url}/api/v1/ext/${demo.org_id}/event/${demo.event_id}/images?page_size=${count}`, {
    headers: { 'X-API-Key': demo.publishable_key },
  });
  const { data } = (await res.json()) as { data: { images: { img_url: string }[] } };
  const form = new FormData();
  for (const [i, img] of data.images.entries()) form.append('files', await (await fetch(img.img_url)).blob(), `p${i}.jpg`);
  const report = await admin<{ results: { image_id: string | null }[] }>(`/events/${eventId}/photos`, {
    method: 'POST',
    body: form,
  });
  return report.results.map((r) => r.image_id!).filter(Boolean);
}

/** The demo event wrapped around `inner` (a lit template), mounted in the test page. */
export async function demoEvent(inner: unknown, opts: { key?: string; event?: number; lang?: string } = {}) {
  const { url, demo } = await fixtureInfo();
  return litFixture<HTMLElement>(
    html`<pf-event
      api=${url}
      org=${demo.org_id}
      event=${opts.event ?? demo.event_id}
      key=${opts.key ?? demo.publishable_key}
      lang=${opts.lang ?? 'en'}
      >${inner}</pf-event
    >`,
  );
}

/** Shadow-root query that waits until the element exists. */
export async function shadowFind<T extends Element>(
  host: Element,
  selector: string,
  what = selector,
  timeout = 10000,
): Promise<T> {
  let found: T | null = null;
  await waitUntil(() => (found = host.shadowRoot!.querySelector<T>(selector)), `${what} never appeared`, { timeout });
  return found!;
}

/** The element that has focus, looking through shadow roots. */
export function deepActive(): Element | null {
  let a: Element | null = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
}
