// A small real world for the certificates API: one organisation with its keys, two events, another
// organisation; helpers to call the admin and public routes and to read PNG pixels and PDF text.
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import sharp from 'sharp';
import type { CertificateField } from '../../../core/certify.ts';
import { createApiKey } from '../../../server/services/keys.ts';
import type { EventRow } from '../../../server/store/types.ts';
import { createHarness, json, type Envelope, type Harness, type HarnessOptions } from '../../support/harness.ts';

export interface CertWorld {
  h: Harness;
  orgId: number;
  event: EventRow;
  other: EventRow;
  secret: string;
  publishable: string;
  otherOrg: { orgId: number; eventId: number; secret: string };
  /** Admin route of the event: `/api/v1/admin/{org}/events/{event}/certificates{path}`. */
  adm(path?: string, eventId?: number): string;
  /** Public route of a BIB. */
  pub(bib: string, eventId?: number): string;
  /** Calls with the secret key (or `key`), returns the response and its envelope. */
  call<T = unknown>(
    path: string,
    opts?: { key?: string | null; method?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ res: Response; body: Envelope<T> }>;
  /** GETs a signed file URL (absolute or path) in-process. */
  file(url: string, headers?: Record<string, string>): Promise<Response>;
}

export async function createCertWorld(opts: HarnessOptions = {}): Promise<CertWorld> {
  const h = createHarness(opts);
  const { store } = h.deps;
  const org = await store.orgs.create('Lakeside Runners');
  const event = await store.events.create(org.id, {
    name: 'Lakeside Marathon 2026',
    event_date: '2026-10-11T08:00:00',
    time_zone: 'Europe/Zurich',
  });
  const other = await store.events.create(org.id, { name: 'Night Trail' });
  const secret = (await createApiKey(store, org.id, { kind: 'secret', label: 'server' })).key;
  const publishable = (await createApiKey(store, org.id, { kind: 'publishable', label: 'widgets' })).key;
  const org2 = await store.orgs.create('Other club');
  const ev2 = await store.events.create(org2.id, { name: 'Other race' });
  const secret2 = (await createApiKey(store, org2.id, { kind: 'secret' })).key;
  return {
    h,
    orgId: org.id,
    event,
    other,
    secret,
    publishable,
    otherOrg: { orgId: org2.id, eventId: ev2.id, secret: secret2 },
    adm: (path = '', eventId = event.id) => `/api/v1/admin/${org.id}/events/${eventId}/certificates${path}`,
    pub: (bib, eventId = event.id) => `/api/v1/ext/${org.id}/event/${eventId}/certificates/${encodeURIComponent(bib)}`,
    async call<T>(
      path: string,
      opts: { key?: string | null; method?: string; body?: unknown; headers?: Record<string, string> } = {},
    ) {
      const res = await h.call(path, {
        key: opts.key === null ? undefined : (opts.key ?? secret),
        method: opts.method,
        body: opts.body,
        headers: opts.headers,
      });
      const type = res.headers.get('content-type') ?? '';
      const body = type.includes('json') ? await json<T>(res) : (null as unknown as Envelope<T>);
      return { res, body };
    },
    file(url, headers = {}) {
      const u = new URL(url, 'http://127.0.0.1');
      return Promise.resolve(h.app.request(`http://127.0.0.1${u.pathname}${u.search}`, { headers }));
    },
  };
}

/** A multipart body with one file. */
export function fileForm(name: string, content: string | Uint8Array, fields: Record<string, string> = {}, field = 'file') {
  const f = new FormData();
  f.append(field, new Blob([typeof content === 'string' ? content : new Uint8Array(content)]), name);
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
}

export interface Raw {
  data: Buffer;
  width: number;
  height: number;
  channels: number;
}

export async function raw(png: Uint8Array): Promise<Raw> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The band a field's text occupies: its box width, from a cap height above to a descender below the baseline. */
export const band = (f: Pick<CertificateField, 'x' | 'y' | 'width' | 'size'>): Box => ({
  left: Math.floor(f.x),
  right: Math.ceil(f.x + f.width),
  top: Math.floor(f.y - f.size),
  bottom: Math.ceil(f.y + f.size * 0.28),
});

/** Pixels darker than `below` (luma) inside the box. */
export function dark(img: Raw, b: Box, below = 110): number {
  let n = 0;
  for (let y = Math.max(0, b.top); y < Math.min(img.height, b.bottom); y++) {
    for (let x = Math.max(0, b.left); x < Math.min(img.width, b.right); x++) {
      const i = (y * img.width + x) * img.channels;
      const l = 0.299 * (img.data[i] ?? 0) + 0.587 * (img.data[i + 1] ?? 0) + 0.114 * (img.data[i + 2] ?? 0);
      if (l < below) n++;
    }
  }
  return n;
}

export function crop(img: Raw, b: Box): Buffer {
  const rows: Buffer[] = [];
  for (let y = b.top; y < b.bottom; y++) {
    rows.push(img.data.subarray((y * img.width + b.left) * img.channels, (y * img.width + b.right) * img.channels));
  }
  return Buffer.concat(rows);
}

/** The text of page 1, as pdf.js extracts it. */
export async function pdfText(pdf: Uint8Array): Promise<string> {
  const doc = await getDocument({ data: new Uint8Array(pdf), verbosity: 0, disableFontFace: true, useSystemFonts: false })
    .promise;
  try {
    const page = await doc.getPage(1);
    const tc = await page.getTextContent();
    return tc.items.map((i) => ('str' in i ? i.str : '')).join('\n');
  } finally {
    await doc.destroy();
  }
}
