/**
 * Generated race photos for the bib OCR tests and bench (sharp + SVG, deterministic per seed).
 *
 * A scene: random gradient + shapes background, a top banner with a year ("CITY MARATHON 2024"),
 * a digital race clock ("14:57"), and 1–3 stylised runners, each with a white bib (safety-pin dots,
 * sponsor text above or beside a 3–6 digit number, one of several installed fonts) turned by up to
 * ±25°, then optional blur and JPEG compression. Ground truth: each bib's number and pixel box.
 */
import sharp from 'sharp';

/** Bold fonts installed here (fc-list) with their digit advance and cap height, in em. */
export const FONTS = [
  { family: 'DejaVu Sans', advance: 0.697, cap: 0.77 },
  { family: 'DejaVu Sans Condensed', advance: 0.627, cap: 0.77 },
  { family: 'DejaVu Sans Mono', advance: 0.603, cap: 0.77 },
  { family: 'DejaVu Serif', advance: 0.697, cap: 0.77 },
  { family: 'Liberation Sans', advance: 0.556, cap: 0.72 },
  { family: 'Liberation Sans Narrow', advance: 0.456, cap: 0.72 },
  { family: 'Liberation Mono', advance: 0.6, cap: 0.69 },
  { family: 'Liberation Serif', advance: 0.5, cap: 0.68 },
] as const;
export type FontSpec = (typeof FONTS)[number];

export type Rng = () => number;

/** mulberry32: small, fast, deterministic. */
export function makeRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const between = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng();
const int = (rng: Rng, lo: number, hi: number) => Math.floor(between(rng, lo, hi + 1));
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const hsl = (h: number, s: number, l: number) => `hsl(${h.toFixed(0)},${s.toFixed(0)}%,${l.toFixed(0)}%)`;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const SPONSORS = [
  'ACME',
  'RUN CLUB',
  'ZETA SPORTS',
  'CITY BANK',
  'FINISHER',
  'NOVA',
  'HYDRO',
  '10K',
  'HALF 21.1 KM',
] as const;
const EVENTS = ['CITY MARATHON', 'SPRING RUN', 'HALF MARATHON', 'TRAIL RACE', 'NIGHT RUN'] as const;

export interface BibSpec {
  number: string;
  font: FontSpec;
  /** Bib centre in the picture, px. */
  cx: number;
  cy: number;
  /** Width of the white bib, px (height is 0.72 of it). */
  width: number;
  /** Degrees, clockwise. */
  rotation: number;
  sponsor: 'above' | 'beside' | 'none';
  sponsorText: string;
  numberColour: string;
  paper: string;
}

export interface RunnerSpec {
  bib: BibSpec;
  shirt: string;
  skin: string;
}

export interface SceneSpec {
  width: number;
  height: number;
  seed: number;
  runners: RunnerSpec[];
  clock: { x: number; y: number; height: number; text: string; colour: string } | null;
  banner: { x: number; y: number; width: number; height: number; text: string; colour: string } | null;
  /** Gaussian blur sigma (0 = sharp). */
  blur: number;
  jpegQuality: number;
}

export interface TruthBib {
  bib: string;
  /** Axis-aligned box of the (turned) bib: [x1, y1, x2, y2]. */
  box: [number, number, number, number];
  /** Bib width in px (unturned). */
  width: number;
  font: string;
  rotation: number;
}

export interface GeneratedPhoto {
  name: string;
  image: Buffer;
  width: number;
  height: number;
  bibs: TruthBib[];
  /** Numbers shown that are not bibs: the clock, the banner's year, digits in sponsor text. */
  distractors: string[];
  spec: SceneSpec;
}

// ---------------------------------------------------------------------------------------------
// SVG

export function bibSvg(b: BibSpec): string {
  const w = b.width;
  const h = w * 0.72;
  const f = b.font;
  const n = b.number.length;
  const numAreaW = b.sponsor === 'beside' ? 0.6 * w : 0.84 * w;
  const numAreaH = b.sponsor === 'above' ? 0.5 * h : 0.58 * h;
  const fs = Math.min(numAreaH / f.cap, numAreaW / (n * f.advance));
  const numCx = b.sponsor === 'beside' ? -w / 2 + 0.05 * w + numAreaW / 2 : 0;
  const numCy = b.sponsor === 'above' ? 0.1 * h : 0.02 * h;
  const pinR = Math.max(1, 0.017 * w);
  const px = w / 2 - 0.07 * w;
  const py = h / 2 - 0.09 * h;
  const parts: string[] = [];
  parts.push(
    `<rect x="${-w / 2}" y="${-h / 2}" width="${w}" height="${h}" rx="${0.03 * w}" fill="${b.paper}" stroke="#bbb" stroke-width="${Math.max(0.5, w / 200)}"/>`,
  );
  for (const [sx, sy] of [
    [-1, -1],
    [1, -1],
    [1, 1],
    [-1, 1],
  ] as const) {
    parts.push(`<circle cx="${sx * px}" cy="${sy * py}" r="${pinR}" fill="#8a8a8a" stroke="#555" stroke-width="${pinR * 0.3}"/>`);
  }
  if (b.sponsor === 'above') {
    parts.push(
      `<rect x="${-w / 2 + 0.02 * w}" y="${-h / 2 + 0.16 * h}" width="${0.96 * w}" height="${0.16 * h}" fill="${b.numberColour}" opacity="0.9"/>`,
    );
    parts.push(
      `<text x="0" y="${-h / 2 + 0.285 * h}" font-family="Liberation Sans" font-weight="bold" font-size="${0.12 * h}" fill="${b.paper}" text-anchor="middle">${esc(b.sponsorText)}</text>`,
    );
  } else if (b.sponsor === 'beside') {
    // A clear gap (≥ 0.1 w) between the number and the sponsor column.
    const sx = w / 2 - 0.15 * w;
    const words = b.sponsorText.split(' ');
    const sfs = Math.min(0.11 * h, (0.22 * w) / (Math.max(...words.map((s) => s.length)) * 0.62));
    words.forEach((word, i) => {
      parts.push(
        `<text x="${sx}" y="${-0.05 * h + i * sfs * 1.15}" font-family="DejaVu Sans Condensed" font-weight="bold" font-size="${sfs}" fill="${b.numberColour}" text-anchor="middle">${esc(word)}</text>`,
      );
    });
  }
  parts.push(
    `<text x="${numCx}" y="${numCy + (f.cap * fs) / 2}" font-family="${f.family}" font-weight="bold" font-size="${fs.toFixed(2)}" fill="${b.numberColour}" text-anchor="middle">${b.number}</text>`,
  );
  return `<g transform="translate(${b.cx.toFixed(2)},${b.cy.toFixed(2)}) rotate(${b.rotation.toFixed(2)})">${parts.join('')}</g>`;
}

/** A runner's body (the bib is drawn separately, after every body, so arms never cover bibs). */
function runnerSvg(r: RunnerSpec): string {
  const b = r.bib;
  const w = b.width;
  const tw = w * 1.7;
  const th = w * 2.3;
  const top = b.cy - w * 0.75;
  const rot = b.rotation * 0.5;
  return (
    `<g transform="rotate(${rot.toFixed(2)},${b.cx.toFixed(2)},${b.cy.toFixed(2)})">` +
    `<line x1="${b.cx - tw / 2}" y1="${top + w * 0.2}" x2="${b.cx - tw * 0.95}" y2="${top + th * 0.7}" stroke="${r.skin}" stroke-width="${w * 0.28}" stroke-linecap="round"/>` +
    `<line x1="${b.cx + tw / 2}" y1="${top + w * 0.2}" x2="${b.cx + tw * 0.9}" y2="${top + th * 0.55}" stroke="${r.skin}" stroke-width="${w * 0.28}" stroke-linecap="round"/>` +
    `<rect x="${b.cx - tw / 2}" y="${top}" width="${tw}" height="${th}" rx="${w * 0.3}" fill="${r.shirt}"/>` +
    `<circle cx="${b.cx}" cy="${top - w * 0.55}" r="${w * 0.45}" fill="${r.skin}"/>` +
    `</g>`
  );
}

export function sceneSvg(s: SceneSpec, rng: Rng): string {
  const { width: W, height: H } = s;
  const parts: string[] = [];
  const h0 = between(rng, 0, 360);
  parts.push(
    `<defs><linearGradient id="bg" x1="0" y1="0" x2="${rng().toFixed(2)}" y2="1"><stop offset="0" stop-color="${hsl(h0, between(rng, 10, 60), between(rng, 45, 85))}"/><stop offset="1" stop-color="${hsl(h0 + between(rng, 40, 180), between(rng, 10, 60), between(rng, 20, 60))}"/></linearGradient></defs>`,
    `<rect width="${W}" height="${H}" fill="url(#bg)"/>`,
  );
  const shapes = int(rng, 8, 20);
  for (let i = 0; i < shapes; i++) {
    const c = hsl(between(rng, 0, 360), between(rng, 0, 80), between(rng, 15, 85));
    const x = between(rng, 0, W);
    const y = between(rng, 0, H);
    const r = between(rng, 0.03, 0.25) * Math.max(W, H);
    parts.push(
      rng() < 0.5
        ? `<ellipse cx="${x}" cy="${y}" rx="${r}" ry="${r * between(rng, 0.3, 1)}" fill="${c}" opacity="${between(rng, 0.2, 0.7).toFixed(2)}"/>`
        : `<rect x="${x - r / 2}" y="${y - r / 2}" width="${r}" height="${r * between(rng, 0.2, 1.5)}" fill="${c}" opacity="${between(rng, 0.2, 0.7).toFixed(2)}" transform="rotate(${between(rng, -30, 30).toFixed(1)},${x},${y})"/>`,
    );
  }
  // Runners first: the banner and clock stay visible in front of them.
  for (const r of s.runners) parts.push(runnerSvg(r));
  for (const r of s.runners) parts.push(bibSvg(r.bib));
  if (s.banner) {
    const b = s.banner;
    parts.push(
      `<rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" fill="${b.colour}"/>`,
      `<text x="${b.x + b.width / 2}" y="${b.y + b.height * 0.72}" font-family="DejaVu Sans" font-weight="bold" font-size="${b.height * 0.62}" fill="#fff" text-anchor="middle" textLength="${b.width * 0.9}" lengthAdjust="spacingAndGlyphs">${esc(b.text)}</text>`,
    );
  }
  if (s.clock) {
    const c = s.clock;
    const w = c.height * 2.9;
    parts.push(
      `<rect x="${c.x}" y="${c.y}" width="${w}" height="${c.height}" rx="${c.height * 0.08}" fill="#111"/>`,
      `<text x="${c.x + w / 2}" y="${c.y + c.height * 0.78}" font-family="DejaVu Sans Mono" font-weight="bold" font-size="${c.height * 0.8}" fill="${c.colour}" text-anchor="middle">${esc(c.text)}</text>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">${parts.join('')}</svg>`;
}

/** Axis-aligned box of a bib after its turn. */
export function bibBox(b: BibSpec): [number, number, number, number] {
  const a = (b.rotation * Math.PI) / 180;
  const hw = b.width / 2;
  const hh = (b.width * 0.72) / 2;
  const ex = Math.abs(Math.cos(a)) * hw + Math.abs(Math.sin(a)) * hh;
  const ey = Math.abs(Math.sin(a)) * hw + Math.abs(Math.cos(a)) * hh;
  return [Math.round(b.cx - ex), Math.round(b.cy - ey), Math.round(b.cx + ex), Math.round(b.cy + ey)];
}

export async function renderScene(s: SceneSpec, name = `scene-${s.seed}`): Promise<GeneratedPhoto> {
  const rng = makeRng(s.seed ^ 0x5eed);
  let img = sharp(Buffer.from(sceneSvg(s, rng))).flatten({ background: '#808080' });
  if (s.blur >= 0.3) img = img.blur(s.blur);
  const image = await img.jpeg({ quality: s.jpegQuality }).toBuffer();
  const distractors: string[] = [];
  if (s.clock) distractors.push(s.clock.text);
  if (s.banner) distractors.push(...(s.banner.text.match(/\d+/g) ?? []));
  for (const r of s.runners) if (r.bib.sponsor !== 'none') distractors.push(...(r.bib.sponsorText.match(/\d+/g) ?? []));
  return {
    name,
    image,
    width: s.width,
    height: s.height,
    bibs: s.runners.map((r) => ({
      bib: r.bib.number,
      box: bibBox(r.bib),
      width: r.bib.width,
      font: r.bib.font.family,
      rotation: r.bib.rotation,
    })),
    distractors,
    spec: s,
  };
}

// ---------------------------------------------------------------------------------------------
// Random scenes

export interface SceneOptions {
  /** Picture long side range, px. */
  longSide?: [number, number];
  runners?: [number, number];
  /** Bib width range, px. */
  bibWidth?: [number, number];
  digits?: [number, number];
  maxRotation?: number;
  /** Probability of a blurred photo, and the sigma range. */
  blurChance?: number;
  blurSigma?: [number, number];
  /** Clock text; default random HH:MM. */
  clockText?: string;
  /** Always draw the clock and banner (else 80 % of photos). */
  alwaysDistractors?: boolean;
  /** Numbers the bibs must not use (e.g. the distractors of an issued-list test). */
  avoid?: ReadonlySet<string>;
}

export function randomBibNumber(rng: Rng, digits: [number, number], avoid?: ReadonlySet<string>): string {
  for (;;) {
    const n = int(rng, digits[0], digits[1]);
    let s = String(int(rng, 1, 9));
    for (let i = 1; i < n; i++) s += String(int(rng, 0, 9));
    if (!avoid?.has(s) && !/^(19|20)\d\d$/.test(s)) return s;
  }
}

export function randomScene(seed: number, o: SceneOptions = {}): SceneSpec {
  const rng = makeRng(seed);
  const [l0, l1] = o.longSide ?? [1200, 2000];
  const long = Math.round(between(rng, l0, l1));
  const landscape = rng() < 0.7;
  const W = landscape ? long : Math.round(long * 0.67);
  const H = landscape ? Math.round(long * 0.67) : long;
  const [r0, r1] = o.runners ?? [1, 3];
  const nRunners = int(rng, r0, r1);
  const [bw0, bw1] = o.bibWidth ?? [60, 320];
  const maxRot = o.maxRotation ?? 25;
  const distract = o.alwaysDistractors || rng() < 0.8;

  const banner = distract
    ? {
        width: W * between(rng, 0.5, 0.85),
        height: H * between(rng, 0.05, 0.09),
        x: 0,
        y: H * between(rng, 0.01, 0.04),
        text: `${pick(rng, EVENTS)} ${int(rng, 2015, 2026)}`,
        colour: hsl(between(rng, 0, 360), 70, 35),
      }
    : null;
  if (banner) banner.x = between(rng, 0, W - banner.width);
  const top = banner ? banner.y + banner.height + H * 0.03 : H * 0.03;

  // Columns: one per runner, plus one for the clock.
  const cols = nRunners + (distract ? 1 : 0);
  const colW = W / cols;
  const clockCol = distract ? int(rng, 0, cols - 1) : -1;
  const runners: RunnerSpec[] = [];
  let clock: SceneSpec['clock'] = null;
  const used = new Set<string>(o.avoid ?? []);
  for (let col = 0; col < cols; col++) {
    const x0 = col * colW;
    if (col === clockCol) {
      const ch = Math.min(H * between(rng, 0.05, 0.1), (colW * 0.85) / 2.9);
      clock = {
        height: ch,
        x: x0 + between(rng, 0.02, 1) * Math.max(0, colW - ch * 2.9 - 0.02 * colW),
        y: between(rng, top, H - ch - H * 0.02),
        text: o.clockText ?? `${String(int(rng, 6, 18)).padStart(2, '0')}:${String(int(rng, 0, 59)).padStart(2, '0')}`,
        colour: pick(rng, ['#ff3b30', '#ffb300', '#39ff14', '#ffffff']),
      };
      continue;
    }
    // The bib (turned) must fit in its column with room for arms.
    const maxW = Math.min(bw1, colW / 1.25, (H - top) / 1.3);
    const bw = Math.max(Math.min(bw0, maxW), between(rng, bw0, maxW));
    const rotation = between(rng, -maxRot, maxRot);
    const bh = bw * 0.72;
    const cx = x0 + colW / 2 + between(rng, -0.5, 0.5) * Math.max(0, colW - bw * 1.25);
    const cyLo = top + bw * 0.55 + bh / 2;
    const cyHi = H - bh / 2 - bw * 0.1;
    const cy = cyHi > cyLo ? between(rng, cyLo, cyHi) : (top + H) / 2;
    const number = randomBibNumber(rng, o.digits ?? [3, 6], used);
    used.add(number);
    const font = pick(rng, FONTS);
    const sponsorRoll = rng();
    const dark = rng() < 0.8;
    runners.push({
      shirt: hsl(between(rng, 0, 360), between(rng, 30, 90), between(rng, 25, 60)),
      skin: hsl(between(rng, 15, 35), between(rng, 30, 60), between(rng, 30, 75)),
      bib: {
        number,
        font,
        cx,
        cy,
        width: bw,
        rotation,
        sponsor: sponsorRoll < 0.45 ? 'above' : sponsorRoll < 0.75 ? 'beside' : 'none',
        sponsorText: pick(rng, SPONSORS),
        numberColour: dark ? pick(rng, ['#000', '#111', '#1a237e', '#b71c1c', '#1b5e20']) : pick(rng, ['#0d47a1', '#4a148c']),
        paper: pick(rng, ['#fff', '#fff', '#fff', '#fffde7', '#e3f2fd']),
      },
    });
  }
  const blurChance = o.blurChance ?? 0.35;
  const [s0, s1] = o.blurSigma ?? [0.4, 1.4];
  return {
    width: W,
    height: H,
    seed,
    runners,
    clock,
    banner,
    blur: rng() < blurChance ? between(rng, s0, s1) : 0,
    jpegQuality: int(rng, 75, 95),
  };
}

/** `count` scenes from consecutive seeds, rendered `concurrency` at a time. */
export async function generatePhotos(
  count: number,
  firstSeed: number,
  o: SceneOptions = {},
  concurrency = 2,
): Promise<GeneratedPhoto[]> {
  const out = new Array<GeneratedPhoto>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, concurrency) }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await renderScene(randomScene(firstSeed + i, o), `photo-${firstSeed + i}`);
      }
    }),
  );
  return out;
}
