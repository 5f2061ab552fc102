/**
 * Built-in certificate templates and backgrounds, so a new event has a certificate with zero design
 * work. Backgrounds are SVG generated here (parameterised by page size and accent colour) and
 * rasterised by the renderer with sharp.
 */
import { CertificateTemplate, type CertificateTemplateInput } from '../../../core/certify.ts';
import { CLASSIC_ACCENT, CLASSIC_TEMPLATE, classicBackground } from './classic.ts';
import { MODERN_ACCENT, MODERN_TEMPLATE, modernBackground } from './modern.ts';
import { n } from './svg.ts';

interface BuiltinBackground {
  /** Default accent colour. */
  accent: string;
  svg: (width: number, height: number, accent?: string) => string;
}

function plainBackground(w: number, h: number, accent = '#9ca3af'): string {
  const m = Math.min(w, h) * 0.03;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${n(w)}" height="${n(h)}" viewBox="0 0 ${n(w)} ${n(h)}">
<rect width="100%" height="100%" fill="#ffffff"/>
<rect x="${n(m)}" y="${n(m)}" width="${n(w - 2 * m)}" height="${n(h - 2 * m)}" fill="none" stroke="${accent}" stroke-width="${n(Math.max(1, m / 12))}"/>
</svg>`;
}

const BACKGROUNDS: Record<string, BuiltinBackground> = {
  classic: { accent: CLASSIC_ACCENT, svg: classicBackground },
  modern: { accent: MODERN_ACCENT, svg: modernBackground },
  plain: { accent: '#9ca3af', svg: plainBackground },
};

const TEMPLATES: Record<string, { input: CertificateTemplateInput; description: string; accent: string }> = {
  classic: {
    input: CLASSIC_TEMPLATE,
    accent: CLASSIC_ACCENT,
    description: 'A4 landscape, warm paper, gold double border, laurel wreath, serif type',
  },
  modern: {
    input: MODERN_TEMPLATE,
    accent: MODERN_ACCENT,
    description: 'A4 portrait, slanted colour band, bold sans type, finish-line strip',
  },
};

export const BUILTIN_BACKGROUND_NAMES: readonly string[] = Object.keys(BACKGROUNDS);

export interface BuiltinTemplateInfo {
  /** `builtin:classic`, … */
  id: string;
  name: string;
  description: string;
  /** Default accent colour (borders, band, labels). */
  accent: string;
  template: CertificateTemplate;
}

/** The built-in templates, parsed (defaults filled) and freshly copied: callers may modify them. */
export function listBuiltinTemplates(): BuiltinTemplateInfo[] {
  return Object.entries(TEMPLATES).map(([key, t]) => {
    const template = CertificateTemplate.parse(structuredClone(t.input));
    return { id: `builtin:${key}`, name: template.name, description: t.description, accent: t.accent, template };
  });
}

/**
 * One built-in template by id (`builtin:classic` or `classic`), optionally recoloured: the accent
 * goes to the background and to every field that used the default accent. Null when unknown.
 */
export function getBuiltinTemplate(id: string, opts: { accent?: string } = {}): CertificateTemplate | null {
  const key = id.replace(/^builtin:/, '');
  const t = TEMPLATES[key];
  if (!t) return null;
  const template = CertificateTemplate.parse(structuredClone(t.input));
  if (opts.accent && /^#[0-9a-fA-F]{6}$/.test(opts.accent)) {
    if (template.background.kind === 'builtin') template.background.accent = opts.accent;
    for (const f of template.fields) if (f.color.toLowerCase() === t.accent.toLowerCase()) f.color = opts.accent;
  }
  return template;
}

/** SVG source of a built-in background at a page size, or null when the name is unknown. */
export function builtinBackgroundSvg(name: string, width: number, height: number, accent?: string): string | null {
  const bg = BACKGROUNDS[name];
  return bg ? bg.svg(width, height, accent ?? bg.accent) : null;
}
