/**
 * What a selfie search and a BIB search add with the face–bib links (issue 17), and the query expansion:
 *
 *  - `rankSelfie`: the face matches of a query, refined by query expansion (the query averaged with the faces of
 *    its most confident matches, "Not me" photos never used), plus the photos of the bib(s) the matched faces wear
 *    (each photo marked `face`, `bib` or `both`, with a 0..1 confidence);
 *  - `bibFaceMatches`: for a BIB search, the photos where a face linked to that bib appears while the bib is hidden.
 *
 * Precise rather than greedy: a bib joins a selfie search only when a confidently matched face wears it through a
 * confident link, and a bib photo is left out when the face linked to that bib in it is clearly someone else.
 */
import { dequantizeInt8, l2normalize, unpackEmbeddingInt8 } from '../../core/face/index.ts';
import { bibSearchKeys } from '../../core/index.ts';
import type { FaceWithEmbedding } from '../store/face-link-types.ts';
import type { FaceHit } from '../store/face-types.ts';
import type { EventRow, Store } from '../store/types.ts';
import type { FaceIndex } from '../vision/face-index.ts';

/** Matches at or above threshold + this margin are confident enough to expand the query with. */
export const EXPANSION_MARGIN = 0.1;
/** At most this many matched photos refine the query. */
export const EXPANSION_TOP = 10;
/** A face–bib link used in a search has at least this confidence. */
export const LINK_MIN = 0.5;
/** A bib is added to a selfie search when its evidence (face confidence × link confidence) is at least this. */
export const BIB_MIN_EVIDENCE = 0.45;
/** In a bib photo, the face linked to that bib scoring under this against the query is someone else. */
export const CONTRADICTION = 0.2;
/** Linked faces of a bib used as queries in a BIB search. */
export const BIB_QUERY_FACES = 8;

/**
 * Face-match confidence 0..1 from the cosine and the event threshold: 0.5 at the threshold, 1 at threshold + 0.25
 * and above (genuine pairs of the dataset score 0.54–1.00, impostors at most 0.23), 0 at cosine 0.
 */
export function faceConfidence(score: number, threshold: number): number {
  if (score >= threshold) return Math.min(1, 0.5 + (0.5 * (score - threshold)) / 0.25);
  return Math.max(0, (0.5 * score) / Math.max(threshold, 1e-6));
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** The unit float embedding of a stored (packed int8) face. */
export function faceVector(packed: Uint8Array): Float32Array {
  const { q, scale } = unpackEmbeddingInt8(packed);
  return l2normalize(dequantizeInt8(q, scale));
}

const dot = (a: Float32Array, b: Float32Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

/** Union of two ranked result lists: each photo once with its best score; a face match and a bib match make `both`. */
export function mergeHits(a: readonly FaceHit[], b: readonly FaceHit[]): FaceHit[] {
  const out = new Map<string, FaceHit>();
  for (const h of [...a, ...b]) {
    const prev = out.get(h.image_id);
    if (!prev) {
      out.set(h.image_id, { ...h });
      continue;
    }
    const best = (h.match_confidence ?? h.score) > (prev.match_confidence ?? prev.score) ? h : prev;
    const kinds = new Set([prev.match ?? 'face', h.match ?? 'face']);
    const match = kinds.has('both') || kinds.size > 1 ? 'both' : best.match;
    out.set(h.image_id, {
      ...best,
      score: Math.max(prev.score, h.score),
      ...(match ? { match } : {}),
    });
  }
  return [...out.values()].sort(byConfidence);
}

const byConfidence = (x: FaceHit, y: FaceHit) =>
  (y.match_confidence ?? y.score) - (x.match_confidence ?? x.score) || y.score - x.score;

export interface RankOptions {
  /** The match threshold as a raw cosine of the index (default: the event's `face_threshold`). */
  threshold?: number;
  /** A raw cosine as the score the API shows (the pipeline's calibration; default: as is). */
  calibrate?: (cosine: number) => number;
  /** Photos marked "Not me": never returned, never used to expand the query. */
  rejected?: ReadonlySet<string>;
  /** Query expansion (default on). */
  expand?: boolean;
  /** Add the photos of the bibs the matched faces wear (default on). */
  bibs?: boolean;
  /** How the expansion's refined query is scored (`matchFaces`): default `candidates`; `full` = a second scan. */
  scan?: 'candidates' | 'full';
}

export interface RankReport {
  hits: FaceHit[];
  /** Photos whose faces refined the query (0 = not expanded). */
  expandedWith: number;
  /** Those photos. */
  expandedFrom: string[];
  /** Bibs (normalised) added for the matched faces. */
  bibs: string[];
}

/**
 * The first scan keeps every face within this much under the threshold: the refined query of the expansion then
 * re-scores those faces only instead of scanning the event again. A face the refined query lifts over the threshold
 * already resembles the query (the refined query is the query plus faces that match it), but not always closely:
 * on the race-realistic evaluation (bench/face-eval.ts --expansion, seed 1; docs/face-search.md) a margin of 0.1
 * missed 5–41 of the photos the second full scan found per query set, 0.15 missed 2–13, 0.2 missed 0–1, and 0.25 and
 * 0.3 none. At the default threshold 0.45 the bar is 0.20, where about 1 % of other people's faces score (TAR at
 * FAR 1 % sits at 0.20–0.25 there): about 10 000 candidates per million faces, re-scored in a fraction of a scan
 * (bench/face-search.ts: rescore).
 */
export const CANDIDATE_MARGIN = 0.25;
/** More candidates than this share of the event's faces (a very low threshold): the expansion scans again instead. */
export const CANDIDATE_SHARE = 0.25;

export interface FaceMatches {
  /** Per matched photo (never a rejected one), its best raw cosine over the query and the refined query, best first. */
  hits: FaceHit[];
  /** Rows (of the index) of the faces of matched photos scoring at or above the threshold against either query. */
  rows: Int32Array;
  /** Their best cosine against either query. */
  scores: Float32Array;
  /** The refined query (the query itself when not expanded). */
  q: Float32Array;
  /** Photos whose faces refined the query. */
  expandedFrom: string[];
  /** How the refined query was scored: over the first scan's candidates, a second full scan, or not at all. */
  second: 'candidates' | 'full' | 'none';
  /** Faces the first scan kept. */
  candidates: number;
}

/**
 * Face matches of a query (unit length) with query expansion, in one scan of the index: the scan keeps the faces at
 * or above threshold − CANDIDATE_MARGIN; the photos at or above threshold + EXPANSION_MARGIN (at most EXPANSION_TOP,
 * never a rejected one) add their best-matching face to the query, weighted by its score; the refined query then
 * scores the kept faces only (`mode: 'full'` scans the index again, as before: the reference the bench compares with).
 * A photo keeps its best score of the two queries, at the threshold (each face's quality raise included).
 */
export function matchFaces(
  index: FaceIndex<string>,
  query: Float32Array,
  t: number,
  opts: { rejected?: ReadonlySet<string>; expand?: boolean; mode?: 'candidates' | 'full'; margin?: number } = {},
): FaceMatches {
  const rejected = opts.rejected ?? new Set<string>();
  const full = opts.mode === 'full';
  const c = index.candidates(query, full ? t : t - (opts.margin ?? CANDIDATE_MARGIN));
  const n = c.count;
  // Per photo: its best face (any score) and its best matching score under the query.
  const bestRow = new Map<number, number>();
  const firstBest = new Map<number, number>();
  const skip = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = c.rows[i]!;
    const slot = index.photoSlot(r);
    if (rejected.size && rejected.has(index.photoAt(r))) {
      skip[i] = 1;
      continue;
    }
    const br = bestRow.get(slot);
    if (br === undefined || c.scores[i]! > c.scores[br]!) bestRow.set(slot, i);
    const s1 = c.scores[i]!;
    if (index.passes(r, s1, t) && s1 > (firstBest.get(slot) ?? -Infinity)) firstBest.set(slot, s1);
  }
  // Query expansion: the query plus the best-matching face of each confident match, weighted by its score.
  const expandedFrom: string[] = [];
  let q = query;
  if (opts.expand !== false) {
    const confident = [...firstBest]
      .filter(([, sc]) => sc >= t + EXPANSION_MARGIN)
      .sort((x, y) => y[1] - x[1] || x[0] - y[0])
      .slice(0, EXPANSION_TOP);
    const sum = Float32Array.from(query);
    for (const [slot] of confident) {
      const r = c.rows[bestRow.get(slot)!]!;
      const v = index.vector(r);
      const sc = dot(query, v);
      if (sc < t + EXPANSION_MARGIN) continue;
      for (let k = 0; k < sum.length; k++) sum[k] = sum[k]! + sc * v[k]!;
      expandedFrom.push(index.photoAt(r));
    }
    if (expandedFrom.length) q = l2normalize(sum);
  }
  // The refined query over the candidates (or over the whole index: reference mode, or too many candidates).
  let rows = c.rows;
  let s1 = c.scores;
  let s2: Float32Array = c.scores;
  let count = n;
  let second: FaceMatches['second'] = 'none';
  if (expandedFrom.length) {
    if (!full && n <= Math.max(1000, index.size * CANDIDATE_SHARE)) {
      s2 = index.rescore(q, c.rows, n);
      second = 'candidates';
    } else {
      second = 'full';
      const c2 = index.candidates(q, t);
      const at = new Map<number, number>();
      for (let i = 0; i < n; i++) at.set(c.rows[i]!, i);
      let extra = 0;
      for (let i = 0; i < c2.count; i++) if (!at.has(c2.rows[i]!)) extra++;
      count = n + extra;
      rows = new Int32Array(count);
      s1 = new Float32Array(count).fill(-Infinity);
      s2 = new Float32Array(count).fill(-Infinity);
      rows.set(c.rows.subarray(0, n));
      s1.set(c.scores.subarray(0, n));
      const skip2 = new Uint8Array(count);
      skip2.set(skip);
      for (let i = 0, j = n; i < c2.count; i++) {
        const r = c2.rows[i]!;
        const k = at.get(r);
        if (k !== undefined) s2[k] = c2.scores[i]!;
        else {
          rows[j] = r;
          s2[j] = c2.scores[i]!;
          if (rejected.size && rejected.has(index.photoAt(r))) skip2[j] = 1;
          j++;
        }
      }
      return finish(index, t, rows, s1, s2, count, skip2, q, expandedFrom, second, n);
    }
  }
  return finish(index, t, rows, s1, s2, count, skip, q, expandedFrom, second, n);
}

function finish(
  index: FaceIndex<string>,
  t: number,
  rows: Int32Array,
  s1: Float32Array,
  s2: Float32Array,
  count: number,
  skip: Uint8Array,
  q: Float32Array,
  expandedFrom: string[],
  second: FaceMatches['second'],
  candidates: number,
): FaceMatches {
  const best = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    if (skip[i]) continue;
    const r = rows[i]!;
    const a = index.passes(r, s1[i]!, t) ? s1[i]! : -Infinity;
    const b = index.passes(r, s2[i]!, t) ? s2[i]! : -Infinity;
    const sc = Math.max(a, b);
    if (sc > (best.get(index.photoSlot(r)) ?? -Infinity)) best.set(index.photoSlot(r), sc);
  }
  // The faces of the matched photos at or above the threshold against either query (no quality raise: a face
  // counts as this person's to find the bib it wears).
  let m = 0;
  const outRows = new Int32Array(count);
  const outScores = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    if (skip[i]) continue;
    const sc = Math.max(s1[i]!, s2[i]!);
    if (sc < t || !best.has(index.photoSlot(rows[i]!))) continue;
    outRows[m] = rows[i]!;
    outScores[m] = sc;
    m++;
  }
  const hits = [...best]
    .sort((x, y) => y[1] - x[1] || x[0] - y[0])
    .map(([slot, score]) => ({ image_id: index.photoOfSlot(slot), score }));
  return { hits, rows: outRows.subarray(0, m), scores: outScores.subarray(0, m), q, expandedFrom, second, candidates };
}

/**
 * The ranked results of one query embedding (unit length) on the event: face matches (after query expansion)
 * and the photos of the bibs the matched faces wear.
 */
export async function rankSelfie(
  store: Store,
  index: FaceIndex<string>,
  event: EventRow,
  query: Float32Array,
  opts: RankOptions = {},
): Promise<RankReport> {
  const t = opts.threshold ?? event.face_threshold;
  const calibrate = opts.calibrate ?? ((c: number) => c);
  const rejected = opts.rejected ?? new Set<string>();
  // Face matches refined by query expansion, in one scan (matchFaces). Measured on
  // test/server/facebib/expansion.test.ts: recall 70.7 % → 75.9 %, precision 100 % both; docs/face-search.md.
  const m = matchFaces(index, query, t, {
    rejected,
    ...(opts.expand === false ? { expand: false } : {}),
    ...(opts.scan ? { mode: opts.scan } : {}),
  });
  const { q, expandedFrom } = m;
  const expandedWith = expandedFrom.length;
  // Confidences from the raw cosines; from here on, scores as the API shows them.
  const faceHits: FaceHit[] = m.hits.map((h) => ({
    image_id: h.image_id,
    score: calibrate(h.score),
    match: 'face' as const,
    match_confidence: round3(faceConfidence(h.score, t)),
  }));
  faceHits.sort(byConfidence);

  if (opts.bibs === false || faceHits.length === 0) return { hits: faceHits, expandedWith, expandedFrom, bibs: [] };

  // The bibs the matched faces wear: per matched photo, its faces at or above the threshold and their links.
  const faceScore = new Map<number, number>();
  if (index.hasFaceIds) for (let i = 0; i < m.rows.length; i++) faceScore.set(index.faceId(m.rows[i]!), m.scores[i]!);
  else
    for (const f of await matchedFacesOf(
      store,
      event,
      faceHits.map((h) => h.image_id),
      q,
      query,
      t,
    ))
      faceScore.set(f.id, f.s);
  const links = await store.faceLinks.bibsOfFaces([...faceScore.keys()]);
  const evidence = new Map<string, number>();
  for (const l of links) {
    if (l.confidence < LINK_MIN) continue;
    const e = faceConfidence(faceScore.get(l.face_id)!, t) * l.confidence;
    evidence.set(l.bib_norm, Math.max(evidence.get(l.bib_norm) ?? 0, e));
  }
  const top = Math.max(0, ...evidence.values());
  const bibs = [...evidence].filter(([, e]) => e >= BIB_MIN_EVIDENCE && e >= 0.6 * top).map(([b]) => b);
  if (bibs.length === 0) return { hits: faceHits, expandedWith, expandedFrom, bibs };

  const bibHits: FaceHit[] = [];
  const matched = new Set(faceHits.map((h) => h.image_id));
  for (const bib of bibs) {
    const e = round3(evidence.get(bib)!);
    const ids = (await store.images.idsByBib(event.id, bibSearchKeys(bib))).filter((id) => !rejected.has(id));
    // A bib photo whose face linked to this bib is clearly someone else is left out (a misread, a shared number).
    const candidates = ids.filter((id) => !matched.has(id));
    const contradicted = await contradictedPhotos(store, index, event, candidates, bib, q);
    for (const id of ids) if (!contradicted.has(id)) bibHits.push({ image_id: id, score: e, match: 'bib', match_confidence: e });
  }
  const faceOf = new Map(faceHits.map((h) => [h.image_id, h]));
  const bibOf = new Map(bibHits.map((h) => [h.image_id, h]));
  const hits = mergeHits(faceHits, bibHits).map((h) => {
    if (h.match !== 'both') return h;
    const f = faceOf.get(h.image_id)!;
    const b = bibOf.get(h.image_id)!;
    return {
      ...h,
      score: f.score,
      match_confidence: round3(1 - (1 - f.match_confidence!) * (1 - b.match_confidence!)),
    };
  });
  hits.sort(byConfidence);
  return { hits, expandedWith, expandedFrom, bibs };
}

/** The faces of these photos scoring at or above the threshold against either query, with their best score. */
async function matchedFacesOf(
  store: Store,
  event: EventRow,
  imageIds: string[],
  q: Float32Array,
  query: Float32Array,
  t: number,
): Promise<(FaceWithEmbedding & { s: number })[]> {
  const faces = await store.faceLinks.facesOfImages(event.id, imageIds);
  return faces.flatMap((f) => {
    const v = faceVector(f.packed);
    const s = Math.max(dot(q, v), dot(query, v));
    return s >= t ? [{ ...f, s }] : [];
  });
}

/** Photos among `ids` where the face linked to `bib` scores under CONTRADICTION against the query. */
async function contradictedPhotos(
  store: Store,
  index: FaceIndex<string>,
  event: EventRow,
  ids: string[],
  bib: string,
  q: Float32Array,
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const keys = new Set(bibSearchKeys(bib).map((k) => k.replace(/^0+(?=.)/, '')));
  const links = (await store.faceLinks.linksOfImages(ids)).filter((l) => keys.has(l.bib_norm.replace(/^0+(?=.)/, '')));
  if (links.length === 0) return new Set();
  // The linked faces' embeddings from the index when it has them all (no second query), else from the store.
  const rows = links.map((l) => index.rowOfFace(l.face_id));
  if (rows.every((r) => r >= 0)) {
    const out = new Set<string>();
    links.forEach((l, i) => {
      if (l.confidence >= LINK_MIN && dot(q, index.vector(rows[i]!)) < CONTRADICTION) out.add(l.image_id);
    });
    return out;
  }
  const faces = new Map(
    (
      await store.faceLinks.facesOfImages(
        event.id,
        links.map((l) => l.image_id),
      )
    ).map((f) => [f.id, f]),
  );
  const out = new Set<string>();
  for (const l of links) {
    const f = faces.get(l.face_id);
    if (f && l.confidence >= LINK_MIN && dot(q, faceVector(f.packed)) < CONTRADICTION) out.add(l.image_id);
  }
  return out;
}

/**
 * BIB search by face: the photos where a face linked to the bib appears while the bib itself is not read there.
 * The bib's linked faces (confident links, outliers among them dropped) make the query (their centroid, and the most
 * confidently linked face); a photo is kept when one of its faces matches at the event threshold and that face is
 * not linked to another bib. Best first, with the
 * match confidence (face confidence × link confidence).
 */
export async function bibFaceMatches(
  store: Store,
  indexOf: () => Promise<FaceIndex<string>>,
  event: EventRow,
  bib: string,
  tagged: ReadonlySet<string>,
  opts: Pick<RankOptions, 'threshold' | 'calibrate'> = {},
): Promise<FaceHit[]> {
  const t = opts.threshold ?? event.face_threshold;
  const calibrate = opts.calibrate ?? ((c: number) => c);
  const linked = (await store.faceLinks.facesOfBib(event.id, bibSearchKeys(bib), LINK_MIN)).slice(0, BIB_QUERY_FACES);
  if (linked.length === 0) return [];
  const index = await indexOf();
  let queries = linked.map((f) => ({ v: faceVector(f.packed), confidence: f.confidence }));
  // Several linked faces: keep those that agree with the others (a misread bib links a stranger's face).
  if (queries.length >= 3) {
    const agree = queries.filter((a, i) => {
      const others = queries.filter((_, j) => j !== i);
      return others.reduce((s, b) => s + dot(a.v, b.v), 0) / others.length >= t;
    });
    if (agree.length) queries = agree;
  }
  // Two scans, whatever the number of linked faces: their centroid (weighted by link confidence: the person's
  // average face) and the most confidently linked face.
  const centroid = new Float32Array(queries[0]!.v.length);
  for (const qf of queries) for (let k = 0; k < centroid.length; k++) centroid[k] = centroid[k]! + qf.confidence * qf.v[k]!;
  const scans = queries.length > 1 ? [l2normalize(centroid), queries[0]!.v] : [queries[0]!.v];
  const linkConf = Math.max(...queries.map((qf) => qf.confidence));
  const best = new Map<string, { score: number; mc: number }>();
  for (const v of scans) {
    for (const h of index.search(v, t)) {
      if (tagged.has(h.image_id)) continue;
      const mc = faceConfidence(h.score, t) * linkConf;
      const prev = best.get(h.image_id);
      if (!prev || mc > prev.mc) best.set(h.image_id, { score: h.score, mc });
    }
  }
  if (best.size === 0) return [];
  // The matched face must not wear another bib in that photo.
  const ids = [...best.keys()];
  const keys = new Set(bibSearchKeys(bib).map((k) => k.replace(/^0+(?=.)/, '')));
  const [faces, links] = await Promise.all([store.faceLinks.facesOfImages(event.id, ids), store.faceLinks.linksOfImages(ids)]);
  const linkOf = new Map(links.map((l) => [l.face_id, l]));
  const keep = new Set<string>();
  for (const f of faces) {
    const v = faceVector(f.packed);
    if (!scans.some((q) => dot(q, v) >= t)) continue;
    const l = linkOf.get(f.id);
    if (l && !keys.has(l.bib_norm.replace(/^0+(?=.)/, ''))) continue;
    keep.add(f.image_id);
  }
  return ids
    .filter((id) => keep.has(id))
    .map((id) => {
      const b = best.get(id)!;
      return { image_id: id, score: calibrate(b.score), match: 'face' as const, match_confidence: round3(b.mc) };
    })
    .sort(byConfidence);
}
