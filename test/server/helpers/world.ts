// A small, real world for API tests: two organisations, keys of each kind, events, ingested photos.
import { createApiKey } from '../../../server/services/keys.ts';
import { ingestPhoto } from '../../../server/ingest/pipeline.ts';
import type { RunningServer } from '../../../server/serve.ts';
import type { EventRow } from '../../../server/store/types.ts';
import { createHarness, type Harness, type HarnessOptions } from '../../support/harness.ts';
import { makeJpeg } from './photos.ts';

export interface World {
  h: Harness;
  orgId: number;
  event: EventRow;
  /** An event of the same org with every feature off. */
  plainEvent: EventRow;
  secret: string;
  publishable: string;
  /** Publishable key limited to event and to https://shop.example. */
  pinned: string;
  other: { orgId: number; eventId: number; secret: string };
  imageIds: string[];
  /** imageIds[0] and [1] carry bib 101; [2] carries 0427. */
  bibs: Record<string, string[]>;
}

export async function createWorld(opts: HarnessOptions = {}, photos = 5): Promise<World> {
  const h = createHarness(opts);
  const { store } = h.deps;
  const org = await store.orgs.create('Test Running Club');
  const event = await store.events.create(org.id, {
    name: 'Spring 10K',
    event_date: '2026-04-12T08:00:00',
    time_zone: 'Europe/Paris',
  });
  const plainEvent = await store.events.create(org.id, {
    name: 'Everything off',
    flags: {
      bib_search: false,
      selfie_search: false,
      name_search: false,
      timeline_search: false,
      video_search: false,
      video_selfie_search: false,
    },
  });
  const secret = (await createApiKey(store, org.id, { kind: 'secret', label: 'server' })).key;
  const publishable = (await createApiKey(store, org.id, { kind: 'publishable', label: 'widgets' })).key;
  const pinned = (
    await createApiKey(store, org.id, { kind: 'publishable', eventIds: [event.id], origins: ['https://shop.example'] })
  ).key;
  const otherOrg = await store.orgs.create('Other club');
  const otherEvent = await store.events.create(otherOrg.id, { name: 'Other race' });
  const otherSecret = (await createApiKey(store, otherOrg.id, { kind: 'secret' })).key;

  const bibPlan: string[][] = [['101'], ['101', '202'], ['0427'], [], []];
  const imageIds: string[] = [];
  for (let i = 0; i < photos; i++) {
    const data = await makeJpeg({
      seed: 100 + i,
      takenAt: i === photos - 1 ? undefined : new Date(Date.UTC(2026, 3, 12, 6 + (i % 3), 10 * i, 0)),
    });
    const res = await ingestPhoto(h.deps, event, { name: `p${i}.jpg`, data, bibs: bibPlan[i] ?? [] });
    if (res.status !== 'added') throw new Error(`setup photo ${i}: ${JSON.stringify(res)}`);
    imageIds.push(res.image_id);
  }
  return {
    h,
    orgId: org.id,
    event,
    plainEvent,
    secret,
    publishable,
    pinned,
    other: { orgId: otherOrg.id, eventId: otherEvent.id, secret: otherSecret },
    imageIds,
    bibs: { '101': [imageIds[0]!, imageIds[1]!], '0427': [imageIds[2]!] },
  };
}

export interface CallOptions {
  key?: string;
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Two ways to reach the same app: in-process (`app.request`) and over HTTP to a real loopback server. */
export interface Transport {
  name: 'app' | 'http';
  call(path: string, opts?: CallOptions): Promise<Response>;
}

export function transports(h: Harness, server: () => RunningServer): Transport[] {
  return [
    { name: 'app', call: (path, opts) => h.call(path, opts) },
    {
      name: 'http',
      call(path, opts = {}) {
        const headers: Record<string, string> = { ...opts.headers };
        if (opts.key) headers['X-API-Key'] = opts.key;
        let body: BodyInit | undefined;
        if (opts.body instanceof FormData || typeof opts.body === 'string') body = opts.body;
        else if (opts.body !== undefined) {
          body = JSON.stringify(opts.body);
          headers['Content-Type'] ??= 'application/json';
        }
        return fetch(`${server().url}${path}`, { method: opts.method ?? (body ? 'POST' : 'GET'), headers, body });
      },
    },
  ];
}
