// One event holding every photo of the real face dataset, ingested through the real pipeline (face stage on),
// shared by the face-search API tests of a file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { iou } from '../../../core/face/index.ts';
import { ingestPhoto } from '../../../server/ingest/pipeline.ts';
import { createApiKey } from '../../../server/services/keys.ts';
import type { EventRow } from '../../../server/store/types.ts';
import { createHarness, type Harness } from '../../support/harness.ts';
import { FACES_DIR, MODELS_DIR, manifest, type ManifestFile } from '../face/dataset.ts';

export interface FaceWorld {
  h: Harness;
  orgId: number;
  event: EventRow;
  secret: string;
  files: ManifestFile[];
  /** image_id ↔ dataset file. */
  idOf: Map<string, string>;
  fileOf: Map<string, string>;
  /** Identity of each stored face, by face row id (via the manifest boxes; 'unknown' when none matches). */
  faceIdentity: Map<number, string>;
  ingestMs: number;
  facesIndexed: number;
  base: string;
  post(form: FormData | string, query?: string, headers?: Record<string, string>): Promise<Response>;
  get(path: string): Promise<Response>;
  close(): Promise<void>;
}

export const datasetPhoto = (file: string) => readFileSync(join(FACES_DIR, file));

export function form(parts: Record<string, Blob | string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(parts)) {
    if (typeof v === 'string') f.append(k, v);
    else f.append(k, v, k === 'file' || k === 'selfie' || k === 'image' ? 'selfie.jpg' : 'blob');
  }
  return f;
}

export const blob = (b: Uint8Array) => new Blob([new Uint8Array(b)]);

export async function createFaceWorld(opts: { retentionHours?: number } = {}): Promise<FaceWorld> {
  const h = createHarness({ faces: true, config: { modelsDir: MODELS_DIR, selfieRetentionHours: opts.retentionHours ?? 24 } });
  const { store } = h.deps;
  const org = await store.orgs.create('Face Club');
  const event = await store.events.create(org.id, { name: 'Dataset Run', free_downloads: true });
  const secret = (await createApiKey(store, org.id, { kind: 'secret', label: 'tests' })).key;
  const files = manifest();
  const idOf = new Map<string, string>();
  const fileOf = new Map<string, string>();
  const faceIdentity = new Map<number, string>();
  let facesIndexed = 0;
  const t0 = performance.now();
  for (const f of files) {
    const r = await ingestPhoto(h.deps, event, { name: f.file, data: datasetPhoto(f.file) });
    if (r.status !== 'added') throw new Error(`${f.file} was not ingested: ${JSON.stringify(r)}`);
    if (r.warning) throw new Error(`${f.file}: ${r.warning}`);
    facesIndexed += r.faces ?? 0;
    idOf.set(f.file, r.image_id);
    fileOf.set(r.image_id, f.file);
  }
  const ingestMs = performance.now() - t0;
  for (const f of files) {
    for (const face of await store.faces.listForImage(idOf.get(f.file)!)) {
      const i = f.faces_detected.findIndex((m) => iou(m.box, face.box) >= 0.5);
      faceIdentity.set(face.id, i >= 0 ? f.identities[i]! : 'unknown');
    }
  }
  const base = `/api/v1/ext/${org.id}/event/${event.id}`;
  return {
    h,
    orgId: org.id,
    event,
    secret,
    files,
    idOf,
    fileOf,
    faceIdentity,
    ingestMs,
    facesIndexed,
    base,
    post: (body, query = '', headers = {}) =>
      h.call(`${base}/faces${query}`, {
        key: secret,
        method: 'POST',
        body,
        headers: typeof body === 'string' ? { 'Content-Type': 'application/json', ...headers } : headers,
      }),
    get: (path) => h.call(`${base}${path}`, { key: secret }),
    close: () => h.close(),
  };
}
