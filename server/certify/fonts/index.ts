/**
 * Fonts for certificates, read at run time from npm packages (no font binaries in the repo):
 *
 * | family           | package                              | weights (+ italics)       | licence                 |
 * | ---------------- | ------------------------------------ | ------------------------- | ----------------------- |
 * | PT Serif         | @expo-google-fonts/pt-serif          | 400, 700 (+ italic)       | OFL-1.1 (ParaType)      |
 * | PT Sans          | @expo-google-fonts/pt-sans           | 400, 700 (+ italic)       | OFL-1.1 (ParaType)      |
 * | Playfair Display | @expo-google-fonts/playfair-display  | 400–900 (+ italic)        | OFL-1.1 (Claus Eggers S.) |
 * | Noto Sans SC     | @embedpdf/fonts-sc (Noto Sans Hans)  | 300, 350, 400, 500, 700   | OFL-1.1 (Adobe, Google) |
 *
 * PT Serif / PT Sans / Playfair cover Latin (incl. Central European) and Cyrillic. Noto Sans SC is
 * a GB2312 subset of Noto Sans CJK (simplified Chinese, kana, basic Latin, Cyrillic, Greek): the
 * per-glyph fallback for anything the chosen family lacks. Each package ships its licence text.
 *
 * Fonts are parsed with upstream `fontkit` 2 (also handed to pdf-lib, see `pdfFontkit`): the
 * `@pdf-lib/fontkit` 1.1.1 fork writes broken subsets (long-`loca` TrueType such as PT Sans loses
 * glyphs; CID-keyed CFF such as Noto Sans CJK is rejected by viewers).
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Fontkit from 'fontkit';
import type { Font } from 'fontkit';
import { PACKAGE_ROOT } from '../../paths.ts';

export interface FontFaceSpec {
  family: string;
  weight: number;
  italic?: boolean;
  /** Absolute path of a TTF/OTF/WOFF/WOFF2 file, or its bytes. */
  file?: string;
  bytes?: Uint8Array;
}

export interface FontPackageInfo {
  family: string;
  pkg: string;
  license: string;
  coverage: string;
}

export const FONT_PACKAGES: readonly FontPackageInfo[] = [
  { family: 'PT Serif', pkg: '@expo-google-fonts/pt-serif', license: 'OFL-1.1', coverage: 'Latin, Cyrillic' },
  { family: 'PT Sans', pkg: '@expo-google-fonts/pt-sans', license: 'OFL-1.1', coverage: 'Latin, Cyrillic' },
  {
    family: 'Playfair Display',
    pkg: '@expo-google-fonts/playfair-display',
    license: 'OFL-1.1',
    coverage: 'Latin, Cyrillic',
  },
  {
    family: 'Noto Sans SC',
    pkg: '@embedpdf/fonts-sc',
    license: 'OFL-1.1',
    coverage: 'GB2312: simplified Chinese, kana, basic Latin, Cyrillic, Greek',
  },
];

const EXPO_WEIGHTS: Record<number, string> = {
  100: 'Thin',
  200: 'ExtraLight',
  300: 'Light',
  400: 'Regular',
  500: 'Medium',
  600: 'SemiBold',
  700: 'Bold',
  800: 'ExtraBold',
  900: 'Black',
};

function expoFaces(family: string, pkg: string, fileStem: string, weights: number[]): BuiltinFace[] {
  return weights.flatMap((w) =>
    [false, true].map((italic) => {
      const dir = `${w}${EXPO_WEIGHTS[w]}${italic ? '_Italic' : ''}`;
      return { family, pkg, rel: `${dir}/${fileStem}_${dir}.ttf`, weight: w, italic };
    }),
  );
}

interface BuiltinFace {
  family: string;
  pkg: string;
  rel: string;
  weight: number;
  italic: boolean;
}

const BUILTIN_FACES: BuiltinFace[] = [
  ...expoFaces('PT Serif', '@expo-google-fonts/pt-serif', 'PTSerif', [400, 700]),
  ...expoFaces('PT Sans', '@expo-google-fonts/pt-sans', 'PTSans', [400, 700]),
  ...expoFaces('Playfair Display', '@expo-google-fonts/playfair-display', 'PlayfairDisplay', [400, 500, 600, 700, 800, 900]),
  ...(
    [
      [300, 'Light'],
      [350, 'DemiLight'],
      [400, 'Regular'],
      [500, 'Medium'],
      [700, 'Bold'],
    ] as const
  ).map(([weight, name]) => ({
    family: 'Noto Sans SC',
    pkg: '@embedpdf/fonts-sc',
    rel: `fonts/NotoSansHans-${name}.otf`,
    weight,
    italic: false,
  })),
];

/** Generic and convenience names → families. */
const GENERIC: Record<string, string> = {
  serif: 'PT Serif',
  'sans-serif': 'PT Sans',
  sans: 'PT Sans',
  display: 'Playfair Display',
  playfair: 'Playfair Display',
  cjk: 'Noto Sans SC',
  'noto sans cjk': 'Noto Sans SC',
  'noto sans hans': 'Noto Sans SC',
};

// From the package root (not this file): the same node_modules whether the sources or the compiled server run.
const require = createRequire(path.join(PACKAGE_ROOT, 'package.json'));

/** Root folder of an installed package, even when its `exports` hide `package.json`. */
export function packageRoot(pkg: string): string {
  try {
    return path.dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    let dir = path.dirname(require.resolve(pkg));
    for (;;) {
      try {
        const json = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
        if (json.name === pkg) return dir;
      } catch {
        /* keep climbing */
      }
      const up = path.dirname(dir);
      if (up === dir) throw new Error(`cannot locate package ${pkg}`);
      dir = up;
    }
  }
}

/** A face ready for layout: the parsed font and the exact bytes pdf-lib embeds. */
export interface LoadedFace {
  readonly family: string;
  readonly weight: number;
  readonly italic: boolean;
  readonly font: Font;
  readonly bytes: Uint8Array;
  /** Stable id, `PT Sans/700/italic`. */
  readonly key: string;
}

interface FaceEntry {
  family: string;
  weight: number;
  italic: boolean;
  load: () => Uint8Array;
  loaded?: LoadedFace;
}

const fontByBytes = new WeakMap<Uint8Array, Font>();

// fontkit loads with the first font parsed (a certificate or an invoice drawn), not at start (issue 20, restart):
// required (its CommonJS build) since parsing is synchronous.
let fontkitModule: typeof Fontkit | undefined;
const fontkit = () => (fontkitModule ??= createRequire(import.meta.url)('fontkit') as typeof Fontkit);

function parseFont(bytes: Uint8Array): Font {
  const cached = fontByBytes.get(bytes);
  if (cached) return cached;
  const parsed = fontkit().create(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  if (!('layout' in parsed)) throw new Error('font collections (.ttc) are not supported; pass a single face');
  keepCodePoints(parsed);
  fontByBytes.set(bytes, parsed);
  return parsed;
}

/**
 * fontkit caches one glyph object per glyph id, with the code points it was first asked for. A glyph first
 * reached as a component of a composite (`"` is two `'` in PT Sans, `”` holds `’`, Playfair's `’` holds `,`;
 * the subsetter and the outline code ask for components by id alone) stays cached with no code points, and
 * every later layout returned that object: pdf-lib then wrote `<0002> <>` in the subset's ToUnicode map and
 * the PDF text layer read the apostrophe as U+0002. Here a layout gets a view of the cached glyph that
 * carries the code points it was asked for (same id, outline and metrics).
 */
function keepCodePoints(font: Font): void {
  const getGlyph = font.getGlyph.bind(font);
  font.getGlyph = (id: number, codePoints?: number[]) => {
    const glyph = getGlyph(id, codePoints);
    if (!glyph || !codePoints?.length) return glyph;
    const cached = glyph.codePoints;
    if (cached.length === codePoints.length && cached.every((cp, i) => cp === codePoints[i])) return glyph;
    return Object.create(glyph, { codePoints: { value: [...codePoints], enumerable: true } }) as typeof glyph;
  };
}

/**
 * The fontkit pdf-lib should use (`doc.registerFontkit(pdfFontkit)`): upstream fontkit, with
 * the `encodeStream()` pdf-lib calls on subsets, and the already-parsed font reused when pdf-lib
 * is handed the same bytes object the registry holds.
 */
export const pdfFontkit = {
  create(bytes: Uint8Array): Font {
    const font = parseFont(bytes);
    const f = font as Font & { __pdfSubsetPatched?: boolean };
    if (!f.__pdfSubsetPatched) {
      const createSubset = font.createSubset.bind(font);
      f.createSubset = () => {
        const subset = createSubset();
        return Object.assign(subset, {
          encodeStream() {
            const out = new EventEmitter();
            queueMicrotask(() => {
              try {
                out.emit('data', subset.encode());
                out.emit('end');
              } catch (err) {
                out.emit('error', err);
              }
            });
            return out;
          },
        });
      };
      f.__pdfSubsetPatched = true;
    }
    return font;
  },
};

const familyKey = (family: string) =>
  family
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/^['"]|['"]$/g, '');

export interface FontFamilyInfo {
  family: string;
  weights: number[];
  italic: boolean;
}

export interface FontRegistryOptions {
  /** Family used for unknown names. Default `PT Sans`. */
  defaultFamily?: string;
  /** Families tried, in order, for characters the requested family lacks. */
  fallbacks?: string[];
  /** Leave out the packaged fonts (tests, or a deployment with its own). */
  noBuiltins?: boolean;
}

/** Resolves family + weight + italic to a face, and picks per character a face that has its glyphs. */
export class FontRegistry {
  private readonly faces = new Map<string, FaceEntry[]>();
  private static nextId = 1;
  /** Distinguishes registries in render caches. */
  readonly id = FontRegistry.nextId++;
  /** Changes whenever a face is added (render caches key on it). */
  revision = 0;
  private readonly displayNames = new Map<string, string>();
  readonly defaultFamily: string;
  readonly fallbackFamilies: readonly string[];

  constructor(opts: FontRegistryOptions = {}) {
    this.defaultFamily = opts.defaultFamily ?? 'PT Sans';
    this.fallbackFamilies = opts.fallbacks ?? ['PT Sans', 'Noto Sans SC'];
    if (!opts.noBuiltins) {
      const roots = new Map<string, string>();
      for (const f of BUILTIN_FACES) {
        this.addEntry(f.family, f.weight, f.italic, () => {
          let root = roots.get(f.pkg);
          if (!root) roots.set(f.pkg, (root = packageRoot(f.pkg)));
          return readFileSync(path.join(root, f.rel));
        });
      }
    }
  }

  /** Adds a face, e.g. an organiser's brand font. A later face with the same family/weight/italic wins. */
  addFace(spec: FontFaceSpec): void {
    const { file, bytes } = spec;
    if (!file && !bytes) throw new Error('addFace needs file or bytes');
    this.addEntry(spec.family, spec.weight, spec.italic ?? false, () => bytes ?? readFileSync(file as string));
  }

  private addEntry(family: string, weight: number, italic: boolean, load: () => Uint8Array): void {
    this.revision++;
    const k = familyKey(family);
    if (!this.displayNames.has(k)) this.displayNames.set(k, family);
    const list = this.faces.get(k) ?? [];
    const i = list.findIndex((e) => e.weight === weight && e.italic === italic);
    const entry: FaceEntry = { family: this.displayNames.get(k) ?? family, weight, italic, load };
    if (i >= 0) list[i] = entry;
    else list.push(entry);
    this.faces.set(k, list);
  }

  families(): FontFamilyInfo[] {
    return [...this.faces.values()].map((list) => ({
      family: list[0]?.family ?? '',
      weights: [...new Set(list.map((e) => e.weight))].sort((a, b) => a - b),
      italic: list.some((e) => e.italic),
    }));
  }

  has(family: string): boolean {
    const k = familyKey(family);
    const generic = GENERIC[k];
    return this.faces.has(k) || (generic !== undefined && this.faces.has(familyKey(generic)));
  }

  /** The face for a family (unknown → default family), nearest weight, italic when it has one. */
  resolve(family: string, weight = 400, italic = false): LoadedFace {
    let k = familyKey(family);
    const generic = GENERIC[k];
    if (!this.faces.has(k) && generic) k = familyKey(generic);
    let list = this.faces.get(k);
    if (!list?.length) list = this.faces.get(familyKey(this.defaultFamily));
    if (!list?.length) list = [...this.faces.values()][0];
    if (!list?.length) throw new Error('no fonts registered');
    const styled = list.filter((e) => e.italic === italic);
    const pool = styled.length ? styled : list;
    const entry = pool.reduce((best, e) => (weightDistance(weight, e.weight) < weightDistance(weight, best.weight) ? e : best));
    return this.load(entry);
  }

  /** Fallback faces for a requested weight/italic, in order. */
  fallbacks(weight = 400, italic = false): LoadedFace[] {
    return this.fallbackFamilies.filter((f) => this.faces.has(familyKey(f))).map((f) => this.resolve(f, weight, italic));
  }

  private load(entry: FaceEntry): LoadedFace {
    if (!entry.loaded) {
      const bytes = entry.load();
      entry.loaded = {
        family: entry.family,
        weight: entry.weight,
        italic: entry.italic,
        font: parseFont(bytes),
        bytes,
        key: `${entry.family}/${entry.weight}/${entry.italic ? 'italic' : 'normal'}`,
      };
    }
    return entry.loaded;
  }
}

/**
 * CSS-like weight matching as a distance: exact first; for 400–500 the other of the pair; below
 * 400 lighter faces first, above 500 heavier ones first.
 */
function weightDistance(want: number, have: number): number {
  if (want === have) return 0;
  if (want >= 400 && want <= 500 && have >= 400 && have <= 500) return Math.abs(want - have);
  if (want <= 450) return have < want ? want - have + 100 : have - want + 1000;
  return have > want ? have - want + 100 : want - have + 1000;
}

let defaultRegistry: FontRegistry | undefined;

/** The process-wide registry with the packaged fonts. */
export function defaultFontRegistry(): FontRegistry {
  return (defaultRegistry ??= new FontRegistry());
}
