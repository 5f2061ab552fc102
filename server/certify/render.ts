/**
 * Certificate rendering: one line of text per field, laid out with fontkit (per-glyph font fallback,
 * kerning, letter spacing, alignment, auto-shrink), then
 *  - PNG: the glyph outlines as SVG paths over the background, rasterised by sharp (no fontconfig,
 *    no system fonts: the same pixels on every machine);
 *  - PDF: pdf-lib with the background as an image and real, extractable text in embedded subset
 *    fonts, glyphs at exactly the positions the PNG uses.
 *
 * Units: template px (96 dpi). PDF points are px × 0.75.
 */
import { createHash } from 'node:crypto';
import type { Glyph, GlyphPosition } from 'fontkit';
import {
  PDFArray,
  PDFDocument,
  type PDFFont,
  PDFHexString,
  type PDFName,
  PDFNumber,
  PDFOperator,
  PDFOperatorNames,
  beginText,
  endText,
  popGraphicsState,
  pushGraphicsState,
  setCharacterSpacing,
  setCharacterSqueeze,
  setFillingRgbColor,
  setFontAndSize,
  setTextMatrix,
} from 'pdf-lib';
import sharp from 'sharp';
import {
  type CertificateContext,
  type CertificateField,
  CertificateRecord,
  CertificateTemplate,
  type CertificateTemplateInput,
  resolveFieldText,
} from '../../core/certify.ts';
import { type FontRegistry, type LoadedFace, defaultFontRegistry, pdfFontkit } from './fonts/index.ts';
import { builtinBackgroundSvg } from './templates/index.ts';
import { codePoints, covers, graphemes } from './glyph-coverage.ts';
import type { CertificateFormat } from './cache-key.ts';

export { CERTIFICATE_RENDERER_VERSION, certificateCacheKey, type CertificateFormat } from './cache-key.ts';

export interface RenderOptions {
  /** PNG: device pixels per template px. Default 1 (A4 landscape → 1123 × 794). */
  scale?: number;
  /** PDF: resolution of the embedded background image. Default 150 dpi. */
  pdfDpi?: number;
  /**
   * Loads a `blob` background (e.g. `blobs.get`). Required for templates with one. Called on every
   * render (the decoded, resized image is cached by content digest): memoise it if loading is slow.
   */
  loadBlob?: (key: string) => Promise<Uint8Array | null>;
  /** Fonts to use; default the packaged ones (`defaultFontRegistry()`). */
  fonts?: FontRegistry;
}

/*
 * Memory: decoded backgrounds (4), backgrounds with the record-independent text drawn (8) and PDF
 * background JPEGs (12) are cached, each raw image width × height × 3 bytes at the output scale
 * (A4 at scale 1: 2.7 MB).
 */

/** A small least-recently-used map. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  delete(key: string): void {
    this.map.delete(key);
  }
  set(key: string, v: V): void {
    this.map.delete(key);
    this.map.set(key, v);
    while (this.map.size > this.max) {
      const first = this.map.keys().next();
      if (first.done) break;
      this.map.delete(first.value);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Layout
// ---------------------------------------------------------------------------------------------

export interface LaidOutRun {
  face: LoadedFace;
  text: string;
  glyphs: Glyph[];
  positions: GlyphPosition[];
  /** Pen x (px) where the run starts. */
  x: number;
  /** Drawn x (px) of each glyph's origin, offsets included. */
  glyphX: number[];
}

export interface FieldLayout {
  field: CertificateField;
  text: string;
  /** Font size used, px (smaller than `field.size` when shrunk). */
  size: number;
  /** Horizontal compression, 1 = none; below 1 only when even `minSize` is too wide. */
  scaleX: number;
  /** Left edge and width (px) of the laid-out text. */
  x: number;
  width: number;
  baseline: number;
  /** The line's box: baseline − ascent to baseline + descent of the field's font at `size`. */
  box: { left: number; top: number; width: number; height: number };
  runs: LaidOutRun[];
  shrunk: boolean;
  /** True when a character has no glyph in any font (drawn as the font's missing-glyph box). */
  missingGlyphs: boolean;
}

/** Splits text into runs of one face each: the field's face where it has the glyphs, else a fallback. */
export function splitRuns(
  text: string,
  chain: readonly LoadedFace[],
): { runs: { face: LoadedFace; text: string }[]; missing: boolean } {
  const primary = chain[0];
  if (!primary) throw new Error('no font');
  const runs: { face: LoadedFace; text: string }[] = [];
  let missing = false;
  let current: LoadedFace | null = null;
  for (const { segment } of graphemes.segment(text)) {
    const cps = codePoints(segment);
    let face: LoadedFace | undefined;
    if (cps.length === 0 || (/^\s+$/u.test(segment) && current && covers(current, cps))) face = current ?? primary;
    else face = chain.find((f) => covers(f, cps));
    if (!face) {
      missing = true;
      face = current ?? primary;
    }
    const last = runs[runs.length - 1];
    if (last && last.face === face) last.text += segment;
    else runs.push({ face, text: segment });
    current = face;
  }
  return { runs, missing };
}

function uniqueFaces(faces: LoadedFace[]): LoadedFace[] {
  const seen = new Set<string>();
  return faces.filter((f) => (seen.has(f.key) ? false : (seen.add(f.key), true)));
}

const layoutCaches = new WeakMap<FontRegistry, Lru<FieldLayout>>();

/** Lays out one field's text (already resolved) in its box. Results are memoised: do not modify them. */
export function layoutField(field: CertificateField, text: string, fonts: FontRegistry = defaultFontRegistry()): FieldLayout {
  let cache = layoutCaches.get(fonts);
  if (!cache) layoutCaches.set(fonts, (cache = new Lru<FieldLayout>(4000)));
  const key = `${fonts.revision}\u0000${JSON.stringify(field)}\u0000${text}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const layout = computeLayout(field, text, fonts);
  cache.set(key, layout);
  return layout;
}

function computeLayout(field: CertificateField, text: string, fonts: FontRegistry): FieldLayout {
  const primary = fonts.resolve(field.font, field.weight, field.italic);
  const chain = uniqueFaces([primary, ...fonts.fallbacks(field.weight, field.italic)]);
  const { runs: pieces, missing } = splitRuns(text, chain);
  const shaped = pieces.map((p) => {
    const run = p.face.font.layout(p.text);
    return { face: p.face, text: p.text, glyphs: run.glyphs, positions: run.positions };
  });
  const glyphCount = shaped.reduce((s, r) => s + r.glyphs.length, 0);
  // width at size S is S × perEm: advances in em plus letter spacing between glyphs
  let perEm = field.letterSpacing * Math.max(0, glyphCount - 1);
  for (const r of shaped) {
    const upm = r.face.font.unitsPerEm;
    for (const p of r.positions) perEm += p.xAdvance / upm;
  }
  let size = field.size;
  let scaleX = 1;
  if (field.autoShrink && perEm * size > field.width && perEm > 0) {
    size = Math.max(field.minSize, field.width / perEm);
    if (perEm * size > field.width) scaleX = field.width / (perEm * size);
  }
  const width = perEm * size * scaleX;
  const x =
    field.align === 'left'
      ? field.x
      : field.align === 'right'
        ? field.x + field.width - width
        : field.x + (field.width - width) / 2;
  const spacing = field.letterSpacing * size;
  let pen = x;
  const runs: LaidOutRun[] = shaped.map((r) => {
    const s = size / r.face.font.unitsPerEm;
    const start = pen;
    const glyphX = r.positions.map((p) => {
      const gx = pen + p.xOffset * s * scaleX;
      pen += (p.xAdvance * s + spacing) * scaleX;
      return gx;
    });
    return { ...r, x: start, glyphX };
  });
  const asc = primary.font.ascent / primary.font.unitsPerEm;
  const desc = -primary.font.descent / primary.font.unitsPerEm;
  return {
    field,
    text,
    size,
    scaleX,
    x,
    width,
    baseline: field.y,
    box: { left: x, top: field.y - asc * size, width, height: (asc + desc) * size },
    runs,
    shrunk: size < field.size || scaleX < 1,
    missingGlyphs: missing,
  };
}

function parseTemplate(template: CertificateTemplateInput | CertificateTemplate): CertificateTemplate {
  return CertificateTemplate.parse(template);
}

/** Resolves and lays out every field of a template for one record (fields with no text are left out). */
export function layoutCertificate(
  template: CertificateTemplateInput | CertificateTemplate,
  record: CertificateRecord | Parameters<typeof CertificateRecord.parse>[0],
  context: CertificateContext,
  fonts: FontRegistry = defaultFontRegistry(),
): FieldLayout[] {
  return placeFields(parseTemplate(template), CertificateRecord.parse(record), context, fonts).map((f) => f.layout);
}

// ---------------------------------------------------------------------------------------------
// SVG of the text (glyph outlines)
// ---------------------------------------------------------------------------------------------

const r2 = (v: number) => {
  const x = Math.round(v * 100) / 100;
  return Object.is(x, -0) ? '0' : String(x);
};

interface FieldPath {
  d: string;
  /** Bounds of the outline points, page px (Infinity when there is no outline). */
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

const pathCache = new WeakMap<FieldLayout, FieldPath>();

/** Outline of a field's glyphs as SVG path data in page px, with its bounds. */
export function fieldPath(layout: FieldLayout): FieldPath {
  const cached = pathCache.get(layout);
  if (cached) return cached;
  const parts: string[] = [];
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const run of layout.runs) {
    const s = layout.size / run.face.font.unitsPerEm;
    const sx = s * layout.scaleX;
    run.glyphs.forEach((glyph, i) => {
      const ox = run.glyphX[i] ?? 0;
      const oy = layout.baseline - (run.positions[i]?.yOffset ?? 0) * s;
      for (const c of glyph.path.commands) {
        const a = c.args;
        const pt = (k: number) => {
          const x = ox + (a[k] ?? 0) * sx;
          const y = oy - (a[k + 1] ?? 0) * s;
          if (x < minX) minX = x;
          if (x > maxX) maxX = x;
          if (y < minY) minY = y;
          if (y > maxY) maxY = y;
          return `${r2(x)} ${r2(y)}`;
        };
        switch (c.command) {
          case 'moveTo':
            parts.push(`M${pt(0)}`);
            break;
          case 'lineTo':
            parts.push(`L${pt(0)}`);
            break;
          case 'quadraticCurveTo':
            parts.push(`Q${pt(0)} ${pt(2)}`);
            break;
          case 'bezierCurveTo':
            parts.push(`C${pt(0)} ${pt(2)} ${pt(4)}`);
            break;
          case 'closePath':
            parts.push('Z');
            break;
        }
      }
    });
  }
  const out = { d: parts.join(''), minX, minY, maxX, maxY };
  pathCache.set(layout, out);
  return out;
}

/** Path data of a field's glyphs in page px. */
export function fieldPathData(layout: FieldLayout): string {
  return fieldPath(layout).d;
}

/**
 * An SVG of the laid-out text alone (transparent), `scale` device px per template px. With
 * `view`, only that rectangle of the page (template px) is drawn, at `view.width × scale` px.
 */
export function textSvg(
  width: number,
  height: number,
  layouts: FieldLayout[],
  scale = 1,
  view: { x: number; y: number; width: number; height: number } = { x: 0, y: 0, width, height },
): string {
  const paths = layouts
    .map((l) => {
      const d = fieldPath(l).d;
      return d ? `<path fill="${l.field.color}" d="${d}"/>` : '';
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.round(view.width * scale)}" height="${Math.round(view.height * scale)}" viewBox="${r2(view.x)} ${r2(view.y)} ${view.width} ${view.height}">${paths}</svg>`;
}

// ---------------------------------------------------------------------------------------------
// Backgrounds
// ---------------------------------------------------------------------------------------------

interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 3;
}

const rawCache = new Lru<Promise<RawImage>>(4);
const jpegCache = new Lru<Promise<Buffer>>(12);

interface BackgroundSource {
  /** Identifies the background's content (built-in name + accent, or a digest of the blob). */
  id: string;
  load: () => Promise<Buffer>;
}

async function backgroundSource(t: CertificateTemplate, opts: RenderOptions): Promise<BackgroundSource> {
  const bg = t.background;
  if (bg.kind === 'builtin') {
    const id = `builtin:${bg.name}:${bg.accent ?? ''}`;
    return {
      id,
      load: async () => {
        const svg =
          builtinBackgroundSvg(bg.name, t.width, t.height, bg.accent) ?? builtinBackgroundSvg('plain', t.width, t.height);
        return Buffer.from(svg ?? '');
      },
    };
  }
  if (!opts.loadBlob) throw new Error(`template background is blob ${bg.key}: pass options.loadBlob`);
  const bytes = await opts.loadBlob(bg.key);
  if (!bytes) throw new Error(`background blob ${bg.key} not found`);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const digest = createHash('sha1').update(buf).digest('hex');
  return { id: `blob:${digest}:${bg.fit}`, load: async () => buf };
}

/** The background as raw RGB at the output size, cached per background and size. */
async function backgroundRaw(t: CertificateTemplate, pxW: number, pxH: number, src: BackgroundSource): Promise<RawImage> {
  const key = `${src.id}:${t.width}x${t.height}@${pxW}x${pxH}`;
  let p = rawCache.get(key);
  if (!p) {
    p = (async () => {
      const input = await src.load();
      let img: ReturnType<typeof sharp>;
      if (t.background.kind === 'builtin') {
        // the SVG's own size is the template size; render at the output density
        img = sharp(input, { density: (72 * pxW) / t.width }).resize(pxW, pxH, { fit: 'fill' });
      } else {
        const fit = t.background.fit;
        img = sharp(input).rotate().resize(pxW, pxH, { fit, background: '#ffffff' });
      }
      const { data, info } = await img
        .flatten({ background: '#ffffff' })
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      return { data, width: info.width, height: info.height, channels: 3 as const };
    })();
    p.catch(() => rawCache.delete(key));
    rawCache.set(key, p);
  }
  return p;
}

async function backgroundJpeg(t: CertificateTemplate, dpi: number, opts: RenderOptions): Promise<Buffer> {
  const pxW = Math.round((t.width * dpi) / 96);
  const pxH = Math.round((t.height * dpi) / 96);
  const src = await backgroundSource(t, opts);
  const key = `${src.id}:${t.width}x${t.height}@${pxW}x${pxH}`;
  let p = jpegCache.get(key);
  if (!p) {
    p = (async () => {
      const raw = await backgroundRaw(t, pxW, pxH, src);
      return sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: raw.channels } })
        .jpeg({ quality: 90, chromaSubsampling: '4:4:4' })
        .toBuffer();
    })();
    p.catch(() => jpegCache.delete(key));
    jpegCache.set(key, p);
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// PNG
// ---------------------------------------------------------------------------------------------

const MAX_PIXELS = 60_000_000;

/** A field laid out for one record, and whether its text is the same for every record (labels, `{event}`). */
interface PlacedField {
  layout: FieldLayout;
  shared: boolean;
}

const EMPTY_RECORD: CertificateRecord = { bib: '', name: '', extra: {} };

function placeFields(
  t: CertificateTemplate,
  r: CertificateRecord,
  context: CertificateContext,
  fonts: FontRegistry,
): PlacedField[] {
  const out: PlacedField[] = [];
  for (const field of t.fields) {
    const text = resolveFieldText(field, r, context);
    if (!text.trim()) continue;
    // text fields whose placeholders give this record what they give a blank record (when shown at all)
    const shared = 'text' in field.source && resolveFieldText({ ...field, showIf: undefined }, EMPTY_RECORD, context) === text;
    out.push({ layout: layoutField(field, text, fonts), shared });
  }
  return out;
}

const layerCache = new Lru<Promise<RawImage>>(8);

/** Background with the record-independent text drawn on it, cached per template, context and size. */
async function sharedLayer(
  t: CertificateTemplate,
  pxW: number,
  pxH: number,
  shared: FieldLayout[],
  fonts: FontRegistry,
  opts: RenderOptions,
): Promise<RawImage> {
  const bg = await backgroundSource(t, opts);
  const digest = createHash('sha1')
    .update(JSON.stringify([bg.id, t.width, t.height, pxW, pxH, fonts.id, fonts.revision, shared.map((l) => [l.field, l.text])]))
    .digest('hex');
  let p = layerCache.get(digest);
  if (!p) {
    p = (async () => {
      const base = await backgroundRaw(t, pxW, pxH, bg);
      if (!shared.length) return base;
      const { data, info } = await sharp(base.data, { raw: { width: base.width, height: base.height, channels: base.channels } })
        .composite([{ input: Buffer.from(textSvg(t.width, t.height, shared, pxW / t.width)), top: 0, left: 0 }])
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      return { data, width: info.width, height: info.height, channels: 3 as const };
    })();
    p.catch(() => layerCache.delete(digest));
    layerCache.set(digest, p);
  }
  return p;
}

async function renderPng(
  t: CertificateTemplate,
  fields: PlacedField[],
  fonts: FontRegistry,
  opts: RenderOptions,
): Promise<Buffer> {
  const scale = opts.scale ?? 1;
  const pxW = Math.round(t.width * scale);
  const pxH = Math.round(t.height * scale);
  if (!(scale > 0) || pxW * pxH > MAX_PIXELS) throw new Error(`output of ${pxW}×${pxH} px is too large`);
  const base = await sharedLayer(
    t,
    pxW,
    pxH,
    fields.filter((f) => f.shared).map((f) => f.layout),
    fonts,
    opts,
  );
  const own = fields.filter((f) => !f.shared && f.layout.runs.length).map((f) => f.layout);
  const img = sharp(base.data, { raw: { width: base.width, height: base.height, channels: base.channels } });
  // draw only the rectangle the record's own text covers
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const l of own) {
    const p = fieldPath(l);
    minX = Math.min(minX, p.minX);
    minY = Math.min(minY, p.minY);
    maxX = Math.max(maxX, p.maxX);
    maxY = Math.max(maxY, p.maxY);
  }
  if (minX < maxX && minY < maxY) {
    const left = Math.max(0, Math.floor((minX - 2) * scale));
    const top = Math.max(0, Math.floor((minY - 2) * scale));
    const right = Math.min(pxW, Math.ceil((maxX + 2) * scale));
    const bottom = Math.min(pxH, Math.ceil((maxY + 2) * scale));
    if (right > left && bottom > top) {
      const view = { x: left / scale, y: top / scale, width: (right - left) / scale, height: (bottom - top) / scale };
      img.composite([{ input: Buffer.from(textSvg(t.width, t.height, own, scale, view)), top, left }]);
    }
  }
  return img.png({ compressionLevel: 6, adaptiveFiltering: false }).toBuffer();
}

// ---------------------------------------------------------------------------------------------
// PDF
// ---------------------------------------------------------------------------------------------

const PT = 0.75;

function rgbOf(hex: string): [number, number, number] {
  const v = Number.parseInt(hex.slice(1), 16);
  return [((v >> 16) & 255) / 255, ((v >> 8) & 255) / 255, (v & 255) / 255];
}

async function renderPdf(t: CertificateTemplate, fields: PlacedField[], title: string, opts: RenderOptions): Promise<Buffer> {
  const layouts = fields.map((f) => f.layout);
  const doc = await PDFDocument.create({ updateMetadata: false });
  // upstream fontkit 2 (see fonts/index.ts); its typings lack a few fields pdf-lib's declare
  doc.registerFontkit(pdfFontkit as unknown as Parameters<PDFDocument['registerFontkit']>[0]);
  doc.setTitle(title, { showInWindowTitleBar: true });
  doc.setCreator('photo-finish');
  doc.setProducer('photo-finish (pdf-lib)');
  const W = t.width * PT;
  const H = t.height * PT;
  const page = doc.addPage([W, H]);
  const jpeg = await backgroundJpeg(t, opts.pdfDpi ?? 150, opts);
  const image = await doc.embedJpg(jpeg);
  page.drawImage(image, { x: 0, y: 0, width: W, height: H });

  const fonts = new Map<string, { font: PDFFont; name: PDFName }>();
  const fontFor = async (face: LoadedFace) => {
    let f = fonts.get(face.key);
    if (!f) {
      const font = await doc.embedFont(face.bytes, { subset: true });
      f = { font, name: page.node.newFontDictionary(font.name, font.ref) };
      fonts.set(face.key, f);
    }
    return f;
  };

  const ops: PDFOperator[] = [pushGraphicsState()];
  for (const l of layouts) {
    if (!l.runs.length) continue;
    const [r, g, b] = rgbOf(l.field.color);
    ops.push(beginText(), setFillingRgbColor(r, g, b));
    ops.push(setCharacterSqueeze(Math.round(l.scaleX * 100000) / 1000));
    ops.push(setCharacterSpacing(Math.round(l.field.letterSpacing * l.size * PT * 1000) / 1000));
    for (const run of l.runs) {
      const { font, name } = await fontFor(run.face);
      const hex = font.encodeText(run.text).asString();
      ops.push(setFontAndSize(name, Math.round(l.size * PT * 1000) / 1000));
      ops.push(
        setTextMatrix(1, 0, 0, 1, Math.round(run.x * PT * 1000) / 1000, Math.round((t.height - l.baseline) * PT * 1000) / 1000),
      );
      if (hex.length !== run.glyphs.length * 4) {
        // pdf-lib shaped differently from our layout (should not happen): plain text at the run start
        ops.push(PDFOperator.of(PDFOperatorNames.ShowText, [PDFHexString.of(hex)]));
        continue;
      }
      // TJ with the moves that make PDF glyph positions match the layout (kerning, mark offsets)
      const upm = run.face.font.unitsPerEm;
      const arr = PDFArray.withContext(doc.context);
      let pending = '';
      let move = run.positions[0]?.xOffset ?? 0;
      run.glyphs.forEach((glyph, i) => {
        const adjust = Math.round((-move * 1000000) / upm) / 1000;
        if (adjust !== 0) {
          if (pending) arr.push(PDFHexString.of(pending));
          arr.push(PDFNumber.of(adjust));
          pending = '';
        }
        pending += hex.slice(i * 4, i * 4 + 4);
        const p = run.positions[i];
        const next = run.positions[i + 1];
        move = (p?.xAdvance ?? 0) - glyph.advanceWidth - (p?.xOffset ?? 0) + (next?.xOffset ?? 0);
      });
      if (pending) arr.push(PDFHexString.of(pending));
      ops.push(PDFOperator.of(PDFOperatorNames.ShowTextAdjusted, [arr]));
    }
    ops.push(endText());
  }
  ops.push(popGraphicsState());
  page.pushOperators(...ops);
  const bytes = await doc.save({ useObjectStreams: true });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

// ---------------------------------------------------------------------------------------------
// API
// ---------------------------------------------------------------------------------------------

/**
 * Renders one certificate. `context` fills `{event}` / `{event_name}`, `{event_date}`, … in text
 * fields; record values fill `{name}`, `{bib}`, `{finish_time}`, `{rank}`, extra columns.
 */
export async function renderCertificate(
  template: CertificateTemplateInput | CertificateTemplate,
  record: CertificateRecord | Parameters<typeof CertificateRecord.parse>[0],
  context: CertificateContext,
  format: CertificateFormat,
  options: RenderOptions = {},
): Promise<Buffer> {
  const t = parseTemplate(template);
  const r = CertificateRecord.parse(record);
  const fonts = options.fonts ?? defaultFontRegistry();
  const fields = placeFields(t, r, context, fonts);
  if (format === 'png') return renderPng(t, fields, fonts, options);
  if (format === 'pdf') {
    const title = [r.name, context.event_name].filter(Boolean).join(' – ') || 'Certificate';
    return renderPdf(t, fields, title, options);
  }
  throw new Error(`unknown certificate format ${String(format)}`);
}

/** MIME type of a rendered format. */
export const CERTIFICATE_MIME: Record<CertificateFormat, string> = { png: 'image/png', pdf: 'application/pdf' };
