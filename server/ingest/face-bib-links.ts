/**
 * Face–bib linking: which face in a photo wears which bib read in the same photo, from the geometry of the
 * face boxes and the bib boxes the OCR read. One person per bib and one bib per person: the links are an
 * optimal assignment (not each bib to its nearest face), and a link is kept only when it clearly beats every
 * other way of pairing the photo's faces and bibs (a bib centred between two faces links neither).
 *
 * `linkFacesToBibs` is pure (the migration's backfill uses it too); `relinkImage`/`relinkEvent` read a photo's
 * faces and bib tags from the store and replace its links. Linking never fails an ingest.
 */
import type { FaceBibLink, FaceLinkStore } from '../store/face-link-types.ts';
import type { Store } from '../store/types.ts';

type Box = readonly [number, number, number, number];

export interface LinkFace {
  id: number;
  box: Box;
}

export interface LinkBib {
  /** bib_tags.id */
  id: number;
  bib_norm: string;
  box: Box;
  /** OCR confidence 0..1, or null (1). */
  confidence: number | null;
}

/** Pairs below this geometric plausibility are never linked. */
export const MIN_PLAUSIBILITY = 0.2;
/** A link is stored only with at least this confidence (its margin over the best other pairing). */
export const MIN_LINK_CONFIDENCE = 0.35;

const gauss = (x: number, sigma: number) => Math.exp(-0.5 * (x / sigma) ** 2);

/**
 * How plausible it is (0..1) that the bib is worn by the person of the face: the bib's centre below the face
 * (1.1–3.4 face heights: a chest bib; farther for a bib on the shorts, less likely), horizontally within about
 * half a face width of the face's centre (a lean, a bib pinned off-centre), and its number about as wide as a
 * face (0.3–3.5 face widths: a person at the same distance from the camera).
 */
export function plausibility(face: Box, bib: Box): number {
  const fw = face[2] - face[0];
  const fh = face[3] - face[1];
  const bw = bib[2] - bib[0];
  if (!(fw > 0 && fh > 0 && bw > 0)) return 0;
  const u = ((bib[0] + bib[2]) / 2 - (face[0] + face[2]) / 2) / fw;
  const v = ((bib[1] + bib[3]) / 2 - (face[1] + face[3]) / 2) / fh;
  const r = bw / fw;
  if (v < 0.75 || v > 6 || Math.abs(u) > 1.6 || r < 0.15 || r > 7) return 0;
  const pu = gauss(u, 0.5);
  const pv = v < 1.1 ? gauss(v - 1.1, 0.2) : v > 3.4 ? gauss(v - 3.4, 0.9) : 1;
  const pr = r < 0.3 ? gauss(Math.log(r / 0.3), 0.5) : r > 3.5 ? gauss(Math.log(r / 3.5), 0.4) : 1;
  return pu * pv * pr;
}

/** Maximum-weight assignment (Hungarian, O(n³)) of rows to columns; returns the column of each row or -1. */
export function assign(w: number[][]): number[] {
  const rows = w.length;
  const cols = rows ? w[0]!.length : 0;
  const n = Math.max(rows, cols);
  if (n === 0) return [];
  // Minimise cost = max − weight on a square matrix padded with zero-weight cells.
  let max = 0;
  for (const row of w) for (const x of row) max = Math.max(max, x);
  const cost = (i: number, j: number) => max - (i < rows && j < cols ? w[i]![j]! : 0);
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const p = new Int32Array(n + 1);
  const way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(n + 1).fill(Infinity);
    const used = new Uint8Array(n + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = cost(i0 - 1, j - 1) - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j]!] = u[p[j]!]! + delta;
          v[j] = v[j]! - delta;
        } else minv[j] = minv[j]! - delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0);
  }
  const out = new Array<number>(rows).fill(-1);
  for (let j = 1; j <= n; j++) {
    const i = p[j]! - 1;
    if (i < rows && j - 1 < cols && w[i]![j - 1]! > 0) out[i] = j - 1;
  }
  return out;
}

const total = (w: number[][], a: number[]) => a.reduce((s, j, i) => s + (j >= 0 ? w[i]![j]! : 0), 0);

/**
 * The links of one photo. Each face gets at most one bib and each bib at most one face (the assignment with
 * the highest total plausibility). A link's confidence is how much the best pairing loses without it —
 * near its plausibility when nothing else fits, near 0 when another face (or bib) fits as well — times the
 * OCR confidence of the read; links under MIN_LINK_CONFIDENCE are dropped.
 */
export function linkFacesToBibs(faces: readonly LinkFace[], bibs: readonly LinkBib[]): Omit<FaceBibLink, 'image_id'>[] {
  if (faces.length === 0 || bibs.length === 0) return [];
  const w = faces.map((f) =>
    bibs.map((b) => {
      const p = plausibility(f.box, b.box);
      return p >= MIN_PLAUSIBILITY ? p : 0;
    }),
  );
  const best = assign(w);
  const opt = total(w, best);
  const links: Omit<FaceBibLink, 'image_id'>[] = [];
  best.forEach((j, i) => {
    if (j < 0) return;
    const without = w.map((row, r) => row.map((x, c) => (r === i && c === j ? 0 : x)));
    const margin = opt - total(without, assign(without));
    const bib = bibs[j]!;
    const confidence = Math.max(0, Math.min(1, margin)) * Math.max(0, Math.min(1, bib.confidence ?? 1));
    if (confidence >= MIN_LINK_CONFIDENCE)
      links.push({
        face_id: faces[i]!.id,
        tag_id: bib.id,
        bib_norm: bib.bib_norm,
        confidence: Math.round(confidence * 1000) / 1000,
      });
  });
  return links;
}

/** The bib tags that take part in linking: read with a box, and not rejected by a person. */
export function linkableBibs(
  tags: readonly { id: number; bib_norm: string; status: string; confidence: number | null; box: Box | null }[],
): LinkBib[] {
  return tags.flatMap((t) =>
    t.box && t.status !== 'rejected' ? [{ id: t.id, bib_norm: t.bib_norm, box: t.box, confidence: t.confidence }] : [],
  );
}

/** Recomputes and replaces one photo's links from its stored faces and bib tags; returns how many. */
export async function relinkImage(store: Store, eventId: number, imageId: string): Promise<number> {
  const [faces, tags] = await Promise.all([store.faces.listForImage(imageId), store.bibs.listForImage(imageId)]);
  const links = linkFacesToBibs(faces, linkableBibs(tags)).map((l) => ({ ...l, image_id: imageId }));
  await store.faceLinks.replaceForImage(eventId, imageId, links);
  return links.length;
}

export interface RelinkReport {
  event_id: number;
  photos: number;
  links: number;
}

/** Relinks every photo of the event that has faces and bib boxes (the backfill, `photo-finish faces link`). */
export async function relinkEvent(store: Store, eventId: number): Promise<RelinkReport> {
  const ids = await store.faceLinks.linkableImageIds(eventId);
  let links = 0;
  for (const id of ids) links += await relinkImage(store, eventId, id);
  return { event_id: eventId, photos: ids.length, links };
}

/** The ingest hook: links a just-stored photo; a failure is a warning, never a failed photo. */
export async function linkStoredPhoto(
  store: Store,
  eventId: number,
  imageId: string,
): Promise<{ links: number } | { warning: string }> {
  try {
    return { links: await relinkImage(store, eventId, imageId) };
  } catch (e) {
    return { warning: `faces not linked to bibs: ${(e as Error).message}` };
  }
}

export type { FaceLinkStore };
