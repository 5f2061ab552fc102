// Generated race photos for the face–bib tests: runners drawn like the demo seed's (server/seed/scene.ts), with a
// real face from the shared dataset pasted on each head (cut out by the demo seed's loadDemoFaces) and a rendered
// bib on each chest — or a blank bib card (the number hidden), or no face, or a bib placed between two runners.
import sharp from 'sharp';
import type { OverlayOptions } from 'sharp';

export interface SceneRunner {
  /** Centre of the runner, 0..1 of the width. */
  x: number;
  /** The person (a key of the cut-outs), or null: a drawn head with no face. */
  person: string | null;
  /** The bib number, or null: the card is there but its number is hidden (turned, covered). */
  bib: string | null;
  /** Size factor (1 = a runner 72 % of the photo's height × 0.95). */
  scale?: number;
}

export interface Scene {
  name: string;
  width?: number;
  height?: number;
  runners: SceneRunner[];
  /** Bibs worn by nobody in particular: drawn at this centre x (0..1), at the chest height of runner `level`. */
  loose?: { x: number; bib: string; level: number }[];
}

const SHIRTS = ['#1565c0', '#c62828', '#2e7d32', '#6a1b9a', '#ef6c00', '#00838f'];
const escapeXml = (s: string) => s.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function bibSvg(cx: number, top: number, bibW: number, bib: string | null): string {
  const bibH = bibW * 0.62;
  const bx = cx - bibW / 2;
  let s = `<rect x="${bx}" y="${top}" width="${bibW}" height="${bibH}" rx="6" fill="#ffffff" stroke="#bbbbbb" stroke-width="2"/>`;
  if (bib) {
    const fontSize = Math.min(bibH * 0.62, (bibW * 0.9) / (bib.length * 0.62));
    s += `<text x="${cx}" y="${top + bibH * 0.5 + fontSize * 0.36}" font-size="${fontSize}" font-family="DejaVu Sans, Liberation Sans, sans-serif" font-weight="bold" fill="#111111" text-anchor="middle">${escapeXml(bib)}</text>`;
  }
  return s;
}

/** Renders a scene as a JPEG; `faces` are the oval cut-outs by person. */
export async function renderTestScene(scene: Scene, faces: Map<string, Buffer>): Promise<Buffer> {
  const W = scene.width ?? 1000;
  const H = scene.height ?? 750;
  const horizon = Math.round(H * 0.42);
  const parts = [
    `<rect width="${W}" height="${H}" fill="#a1c4fd"/>`,
    `<rect y="${horizon}" width="${W}" height="${H - horizon}" fill="#6b8e4e"/>`,
    `<polygon points="${W * 0.42},${horizon} ${W * 0.58},${horizon} ${W * 1.1},${H} ${-W * 0.1},${H}" fill="#4a4a4f"/>`,
  ];
  const pastes: OverlayOptions[] = [];
  const geometry = scene.runners.map((r, i) => {
    const h = H * 0.72 * 0.95 * (r.scale ?? 1);
    const cx = W * r.x;
    const feet = H * 0.95;
    const headR = h * 0.075;
    const headY = feet - h + headR;
    const torsoW = h * 0.24;
    const torsoTop = headY + headR * 1.4;
    const torsoH = h * 0.34;
    return { r, i, h, cx, feet, headR, headY, torsoW, torsoTop, torsoH };
  });
  for (const g of geometry) {
    const { r, i, h, cx, headR, headY, torsoW, torsoTop, torsoH } = g;
    parts.push(
      `<rect x="${cx - torsoW * 0.42}" y="${torsoTop + torsoH * 0.95}" width="${torsoW * 0.3}" height="${h * 0.42}" rx="10" fill="#263238"/>`,
      `<rect x="${cx + torsoW * 0.12}" y="${torsoTop + torsoH * 0.95}" width="${torsoW * 0.3}" height="${h * 0.42}" rx="10" fill="#263238"/>`,
      `<rect x="${cx - torsoW / 2}" y="${torsoTop}" width="${torsoW}" height="${torsoH}" rx="${torsoW * 0.18}" fill="${SHIRTS[i % SHIRTS.length]}"/>`,
      `<circle cx="${cx}" cy="${headY}" r="${headR}" fill="#e0ac69"/>`,
      bibSvg(cx, torsoTop + torsoH * 0.22, torsoW * 0.78, r.bib),
    );
    const face = r.person ? faces.get(r.person) : null;
    if (r.person && !face) throw new Error(`no face cut-out for ${r.person}`);
    if (face) {
      const size = Math.round(headR * 2.6);
      const input = await sharp(face)
        .resize(size, Math.round(size * 1.25), { fit: 'cover' })
        .toBuffer();
      pastes.push({ input, left: Math.round(cx - headR * 1.3), top: Math.round(headY - headR * 1.5) });
    }
  }
  for (const l of scene.loose ?? []) {
    const g = geometry[l.level]!;
    parts.push(bibSvg(W * l.x, g.torsoTop + g.torsoH * 0.22, g.torsoW * 0.78, l.bib));
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">${parts.join('')}</svg>`;
  const base = await sharp(Buffer.from(svg)).png().toBuffer();
  return sharp(base).composite(pastes).jpeg({ quality: 88 }).toBuffer();
}
