import sharp from 'sharp';
import type { OverlayOptions } from 'sharp';
import type { Prng } from './random.ts';

export interface Runner {
  bib: string;
  shirt: string;
}

export interface SceneOptions {
  width: number;
  height: number;
  runners: Runner[];
  /** Text on the finish banner, or null for a course scene. */
  banner: string | null;
  /** EXIF DateTimeOriginal as `YYYY:MM:DD HH:MM:SS` with its offset, or null for an untimed photo. */
  exif: { dateTimeOriginal: string; offset: string } | null;
  /** Optional face photos to paste on runners' heads (same order as runners). */
  faces?: (Buffer | null)[];
}

const SKIES = [
  ['#8ec5fc', '#e0f3ff'],
  ['#f6d365', '#fda085'],
  ['#a1c4fd', '#c2e9fb'],
  ['#cfd9df', '#e2ebf0'],
  ['#667eea', '#a8c0ff'],
];
const GROUND = ['#6b8e4e', '#7a9a57', '#55733e', '#8c7b5a'];
const ROAD = ['#4a4a4f', '#5b5b60', '#3f4045'];
const SKIN = ['#f1c27d', '#e0ac69', '#c68642', '#8d5524', '#ffdbac'];

/** A generated race photo: sky, trees, road, optional finish banner, runners wearing readable bibs. */
export async function renderScene(r: Prng, o: SceneOptions): Promise<Buffer> {
  const { width: W, height: H } = o;
  const [sky1, sky2] = r.pick(SKIES);
  const horizon = Math.round(H * r.between(0.38, 0.5));
  const parts: string[] = [];
  parts.push(
    `<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${sky1}"/><stop offset="1" stop-color="${sky2}"/></linearGradient></defs>`,
  );
  parts.push(`<rect width="${W}" height="${H}" fill="url(#sky)"/>`);
  parts.push(`<rect y="${horizon}" width="${W}" height="${H - horizon}" fill="${r.pick(GROUND)}"/>`);
  for (let i = 0, n = r.int(5, 11); i < n; i++) {
    const x = r.between(0, W);
    const s = r.between(40, 110);
    parts.push(`<rect x="${x - s * 0.08}" y="${horizon - s * 0.4}" width="${s * 0.16}" height="${s * 0.5}" fill="#5d4037"/>`);
    parts.push(
      `<circle cx="${x}" cy="${horizon - s * 0.6}" r="${s * 0.45}" fill="${r.pick(['#2e7d32', '#388e3c', '#1b5e20', '#43a047'])}"/>`,
    );
  }
  const roadTop = W * r.between(0.08, 0.2);
  parts.push(
    `<polygon points="${W / 2 - roadTop},${horizon} ${W / 2 + roadTop},${horizon} ${W * 1.1},${H} ${-W * 0.1},${H}" fill="${r.pick(ROAD)}"/>`,
  );
  parts.push(
    `<line x1="${W / 2}" y1="${horizon}" x2="${W / 2}" y2="${H}" stroke="#f5f5f5" stroke-width="6" stroke-dasharray="40 30"/>`,
  );
  if (o.banner) {
    const by = horizon - H * 0.32;
    parts.push(`<rect x="${W * 0.12}" y="${by}" width="${W * 0.76}" height="${H * 0.09}" fill="#c62828"/>`);
    parts.push(`<rect x="${W * 0.11}" y="${by}" width="${W * 0.012}" height="${H * 0.5}" fill="#eeeeee"/>`);
    parts.push(`<rect x="${W * 0.878}" y="${by}" width="${W * 0.012}" height="${H * 0.5}" fill="#eeeeee"/>`);
    parts.push(
      `<text x="${W / 2}" y="${by + H * 0.065}" font-size="${H * 0.055}" font-family="DejaVu Sans, Liberation Sans, sans-serif" font-weight="bold" fill="#ffffff" text-anchor="middle">${escapeXml(o.banner)}</text>`,
    );
  }

  const slots = o.runners.length;
  const pastes: OverlayOptions[] = [];
  o.runners.forEach((runner, i) => {
    const scale = r.between(0.85, 1.15) * (slots === 1 ? 1.25 : slots === 2 ? 1.05 : 0.9);
    const cx = (W * (i + 0.5)) / slots + r.between(-W * 0.04, W * 0.04);
    const feet = H * r.between(0.9, 0.98);
    const h = H * 0.72 * scale;
    const headR = h * 0.075;
    const headY = feet - h + headR;
    const torsoW = h * 0.24;
    const torsoTop = headY + headR * 1.4;
    const torsoH = h * 0.34;
    const skin = r.pick(SKIN);
    const lean = r.between(-4, 4);
    parts.push(`<g transform="rotate(${lean} ${cx} ${feet})">`);
    parts.push(
      `<rect x="${cx - torsoW * 0.42}" y="${torsoTop + torsoH * 0.95}" width="${torsoW * 0.3}" height="${h * 0.42}" rx="10" fill="#263238" transform="rotate(${r.between(-12, 4)} ${cx} ${torsoTop + torsoH})"/>`,
    );
    parts.push(
      `<rect x="${cx + torsoW * 0.12}" y="${torsoTop + torsoH * 0.95}" width="${torsoW * 0.3}" height="${h * 0.42}" rx="10" fill="#263238" transform="rotate(${r.between(-4, 12)} ${cx} ${torsoTop + torsoH})"/>`,
    );
    parts.push(
      `<rect x="${cx - torsoW / 2 - torsoW * 0.22}" y="${torsoTop + 8}" width="${torsoW * 0.2}" height="${torsoH * 0.85}" rx="12" fill="${skin}" transform="rotate(${r.between(10, 30)} ${cx - torsoW / 2} ${torsoTop})"/>`,
    );
    parts.push(
      `<rect x="${cx + torsoW / 2 + torsoW * 0.02}" y="${torsoTop + 8}" width="${torsoW * 0.2}" height="${torsoH * 0.85}" rx="12" fill="${skin}" transform="rotate(${r.between(-30, -10)} ${cx + torsoW / 2} ${torsoTop})"/>`,
    );
    parts.push(
      `<rect x="${cx - torsoW / 2}" y="${torsoTop}" width="${torsoW}" height="${torsoH}" rx="${torsoW * 0.18}" fill="${runner.shirt}"/>`,
    );
    parts.push(`<circle cx="${cx}" cy="${headY}" r="${headR}" fill="${skin}"/>`);
    // The bib: white card, two pin dots, the number in heavy black type.
    const bibW = torsoW * 0.78;
    const bibH = bibW * 0.62;
    const bx = cx - bibW / 2;
    const byy = torsoTop + torsoH * 0.22;
    parts.push(
      `<rect x="${bx}" y="${byy}" width="${bibW}" height="${bibH}" rx="6" fill="#ffffff" stroke="#bbbbbb" stroke-width="2"/>`,
    );
    parts.push(
      `<circle cx="${bx + 10}" cy="${byy + 10}" r="3" fill="#9e9e9e"/><circle cx="${bx + bibW - 10}" cy="${byy + 10}" r="3" fill="#9e9e9e"/>`,
    );
    const fontSize = Math.min(bibH * 0.62, (bibW * 0.9) / (runner.bib.length * 0.62));
    parts.push(
      `<text x="${cx}" y="${byy + bibH * 0.5 + fontSize * 0.36}" font-size="${fontSize}" font-family="DejaVu Sans, Liberation Sans, sans-serif" font-weight="bold" fill="#111111" text-anchor="middle">${escapeXml(runner.bib)}</text>`,
    );
    parts.push(`</g>`);
    const face = o.faces?.[i];
    if (face)
      pastes.push({
        input: face,
        left: Math.round(cx - headR * 1.3),
        top: Math.round(headY - headR * 1.5),
        ...{ size: Math.round(headR * 2.6) },
      });
  });

  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">${parts.join('')}</svg>`;
  let img = sharp(Buffer.from(svg));
  if (pastes.length) {
    const resized = await Promise.all(
      pastes.map(async (p) => {
        const size = (p as { size: number }).size;
        const input = await sharp(p.input as Buffer)
          .rotate()
          .resize(size, Math.round(size * 1.25), { fit: 'cover' })
          .toBuffer();
        return { input, left: p.left, top: p.top };
      }),
    );
    img = sharp(await img.png().toBuffer()).composite(resized);
  }
  let out = img.jpeg({ quality: 88 });
  if (o.exif) {
    out = out.withExif({
      IFD0: { Make: 'photo-finish', Model: 'demo-seed' },
      IFD2: { DateTimeOriginal: o.exif.dateTimeOriginal, OffsetTimeOriginal: o.exif.offset },
    });
  }
  return out.toBuffer();
}

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
