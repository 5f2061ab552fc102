/**
 * Certify: finisher certificates from a template and a results file.
 *
 * Shared by the server (rendering, import) and the widgets (template editor, preview, import report),
 * so this module is pure: no Node built-ins, no DOM.
 *
 * Coordinates are CSS pixels at 96 dpi (1 px = 0.75 pt), origin top-left. A field's `x` is the left edge
 * of its box and `y` is the text **baseline**; `width` is the box width the text is aligned in and,
 * with `autoShrink`, shrunk to fit. Text is one line.
 */
import { z } from 'zod';
import { bibProblem, normaliseBib } from './bib.ts';
import { checkDrawableBreaks, drawableText } from './text.ts';

// ---------------------------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------------------------

/** Common page sizes in px at 96 dpi. */
export const CERTIFICATE_PAGE_PRESETS = {
  a4_landscape: { width: 1123, height: 794 },
  a4_portrait: { width: 794, height: 1123 },
  letter_landscape: { width: 1056, height: 816 },
  letter_portrait: { width: 816, height: 1056 },
} as const;
export type CertificatePagePreset = keyof typeof CERTIFICATE_PAGE_PRESETS;

export const HexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour is #rrggbb');

export const CertificateBackground = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('builtin'),
    /** One of the server's built-in backgrounds (`classic`, `modern`, `plain`). */
    name: z.string().min(1).max(64),
    /** Recolours the built-in design (borders, band, ornaments). */
    accent: HexColor.optional(),
  }),
  z.object({
    kind: z.literal('blob'),
    /** Blob-store key of an uploaded PNG/JPEG/WebP; scaled to the page. */
    key: z.string().min(1).max(512),
    fit: z.enum(['cover', 'contain', 'fill']).default('cover'),
  }),
]);
export type CertificateBackground = z.infer<typeof CertificateBackground>;

/** Where a field's text comes from: a record column, or literal text with `{placeholder}`s. */
export const CertificateFieldSource = z.union([
  z.object({ column: z.string().min(1).max(128) }).strict(),
  z.object({ text: z.string().max(2000).superRefine(checkDrawableBreaks) }).strict(),
]);
export type CertificateFieldSource = z.infer<typeof CertificateFieldSource>;

export const CertificateField = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a field id is 1–64 letters, digits, - or _'),
    source: CertificateFieldSource,
    /** Left edge of the box, px. */
    x: z.number().finite(),
    /** Baseline of the text, px from the top. */
    y: z.number().finite(),
    /** Box width, px. */
    width: z.number().positive().max(20000),
    align: z.enum(['left', 'center', 'right']).default('left'),
    /** Family name, e.g. `PT Serif`, `PT Sans`, `Playfair Display`, or `serif` / `sans-serif` / `display`. */
    font: z.string().min(1).max(100).default('PT Sans'),
    /** Font size, px. */
    size: z.number().positive().max(2000),
    weight: z.number().int().min(100).max(900).default(400),
    italic: z.boolean().default(false),
    color: HexColor.default('#1f1f1f'),
    /** Shrink the size (down to `minSize`) when the text is wider than the box. */
    autoShrink: z.boolean().default(true),
    minSize: z.number().positive().max(2000).default(10),
    /** Extra space between letters, in em (0.1 = a tenth of the size). */
    letterSpacing: z.number().min(-0.5).max(2).default(0),
    uppercase: z.boolean().default(false),
    /** Leave the field out when its column, or any placeholder in its text, is empty for the record. */
    hideIfEmpty: z.boolean().default(false),
    /** Show the field only when this column (or placeholder key) has a value, e.g. a `Place` label and `rank`. */
    showIf: z.string().min(1).max(128).optional(),
  })
  .refine((f) => f.minSize <= f.size, { message: 'minSize must not exceed size', path: ['minSize'] });
export type CertificateField = z.infer<typeof CertificateField>;
export type CertificateFieldInput = z.input<typeof CertificateField>;

/**
 * The largest page the server renders: 4000 px a side and 9 megapixels (A4 at 300 dpi is 3508 × 2480). Budget: a
 * page this size renders as PNG or PDF (its background at 150 dpi) in a few seconds on one core and under ~400 MB
 * (test/server/hardening/organiser-input.test.ts measures it); a 10000 × 10000 page took minutes and gigabytes.
 */
export const CERTIFICATE_MAX_SIDE = 4000;
export const CERTIFICATE_MAX_PIXELS = 9_000_000;

/** Why a page of `width × height` px is too large to render, or null. */
export function pageSizeProblem(width: number, height: number): string | null {
  if (width > CERTIFICATE_MAX_SIDE || height > CERTIFICATE_MAX_SIDE)
    return `the page is ${width} × ${height} px: at most ${CERTIFICATE_MAX_SIDE} px a side`;
  if (width * height > CERTIFICATE_MAX_PIXELS)
    return `the page is ${width} × ${height} px (${Math.round((width * height) / 1e5) / 10} MP): at most ${CERTIFICATE_MAX_PIXELS / 1e6} MP (A4 at 300 dpi is 3508 × 2480)`;
  return null;
}

export const CertificateTemplate = z
  .object({
    id: z.string().min(1).max(128).optional(),
    name: z.string().min(1).max(200),
    /** Page width, px at 96 dpi (A4 landscape is 1123). */
    width: z.number().positive().max(CERTIFICATE_MAX_SIDE, `must be at most ${CERTIFICATE_MAX_SIDE} px`),
    height: z.number().positive().max(CERTIFICATE_MAX_SIDE, `must be at most ${CERTIFICATE_MAX_SIDE} px`),
    background: CertificateBackground,
    fields: z.array(CertificateField).max(100),
  })
  .refine((t) => new Set(t.fields.map((f) => f.id)).size === t.fields.length, {
    message: 'field ids must be unique',
    path: ['fields'],
  })
  .superRefine((t, ctx) => {
    const problem = pageSizeProblem(t.width, t.height);
    if (problem && t.width <= CERTIFICATE_MAX_SIDE && t.height <= CERTIFICATE_MAX_SIDE)
      ctx.addIssue({ code: 'custom', path: ['width'], message: problem });
  });
export type CertificateTemplate = z.infer<typeof CertificateTemplate>;
/** What a caller may pass: defaults (align, weight, colour, …) are filled in by parsing. */
export type CertificateTemplateInput = z.input<typeof CertificateTemplate>;

// ---------------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------------

export const FINISH_TIME_PATTERN = /^\d{1,3}:[0-5]\d:[0-5]\d$/;

export const CertificateRecord = z.object({
  /** Normalised with `normaliseBib`. */
  bib: z.string().min(1).max(16),
  /** Display name; built from first + last name when the file has no full-name column. May be empty. */
  name: z.string().max(300),
  first_name: z.string().max(200).optional(),
  last_name: z.string().max(200).optional(),
  category: z.string().max(200).optional(),
  gender: z.string().max(50).optional(),
  /** `H:MM:SS` (hours not padded, may exceed 24). */
  finish_time: z.string().regex(FINISH_TIME_PATTERN, 'a finish time is H:MM:SS').optional(),
  rank: z.number().int().positive().optional(),
  /** Every other column, keyed by its normalised header (`Club Name` → `club_name`). */
  extra: z.record(z.string(), z.string()).default({}),
});
export type CertificateRecord = z.infer<typeof CertificateRecord>;

/** The record fields an import column can map to. */
export const RECORD_FIELDS = ['bib', 'name', 'first_name', 'last_name', 'category', 'gender', 'finish_time', 'rank'] as const;
export type RecordField = (typeof RECORD_FIELDS)[number];

/**
 * Explicit column mapping: record field → header in the file (matched like headers are: case,
 * spacing, punctuation and accents ignored). `null` turns the automatic mapping of that field off.
 */
const MappedHeader = z.string().min(1).max(200).nullable().optional();
export const ColumnMapping = z
  .object({
    bib: MappedHeader,
    name: MappedHeader,
    first_name: MappedHeader,
    last_name: MappedHeader,
    category: MappedHeader,
    gender: MappedHeader,
    finish_time: MappedHeader,
    rank: MappedHeader,
  })
  .strict();
export type ColumnMapping = z.infer<typeof ColumnMapping>;

// ---------------------------------------------------------------------------------------------
// Import report
// ---------------------------------------------------------------------------------------------

export const IMPORT_ISSUE_CODES = [
  'missing_bib',
  'invalid_bib',
  'duplicate_bib',
  'invalid_time',
  'invalid_rank',
  'missing_name',
  'column_count',
  'malformed_row',
  'invalid_row',
  'no_bib_column',
  'unknown_column',
  'empty_file',
  'invalid_file',
  'encoding',
  'undrawable_character',
] as const;
export type ImportIssueCode = (typeof IMPORT_ISSUE_CODES)[number];

export const ImportIssue = z.object({
  /**
   * Spreadsheet row: the header is row 1, the first data row is row 2 (CSV). For JSON, the 1-based
   * position in the array. 0 for problems with the file as a whole.
   */
  row: z.number().int().nonnegative(),
  /** CSV: the file line the row starts on (differs from `row` when quoted fields hold newlines). */
  line: z.number().int().positive().optional(),
  /** Header of the column as written in the file, or null when the problem is the row or file. */
  column: z.string().nullable(),
  value: z.string().optional(),
  code: z.enum(IMPORT_ISSUE_CODES),
  /** Plain-language description, e.g. `duplicate BIB 123 (first on row 5)`. */
  problem: z.string(),
  /** `error`: the row was skipped. `warning`: the row was imported, the value left out. */
  severity: z.enum(['error', 'warning']),
});
export type ImportIssue = z.infer<typeof ImportIssue>;

export const ImportStats = z.object({
  format: z.enum(['csv', 'json']),
  /** `utf-8`, `utf-16le` or `windows-1252` (a file that is not valid UTF-8). */
  encoding: z.string(),
  /** CSV separator used, as a character (`,` `;` `\t` `|`). */
  delimiter: z.string().optional(),
  /** Data rows read (not counting the header or blank lines). */
  rows: z.number().int().nonnegative(),
  imported: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  warnings: z.number().int().nonnegative(),
  /** Issues counted but not listed because the list reached its cap. */
  issuesNotListed: z.number().int().nonnegative(),
  /** Record field → header it was read from. */
  columns: z.record(z.string(), z.string()),
  /** Headers kept in `extra`, normalised. */
  extraColumns: z.array(z.string()),
});
export type ImportStats = z.infer<typeof ImportStats>;

/** One batch of an import: records to upsert by BIB, the issues found in those rows, totals so far. */
export interface RecordBatch {
  records: CertificateRecord[];
  errors: ImportIssue[];
  stats: ImportStats;
  /** True on the last batch (which may hold no records); its stats are the final ones. */
  done: boolean;
}

/** The whole outcome of an import (without the records, which went to the batch handler). */
export const ImportReport = z.object({ errors: z.array(ImportIssue), stats: ImportStats });
export type ImportReport = z.infer<typeof ImportReport>;

// ---------------------------------------------------------------------------------------------
// Header mapping
// ---------------------------------------------------------------------------------------------

/** `Prénom `, `FIRST-NAME` and `first_name` all become `first_name`; `Bib #` becomes `bib`. */
export function normaliseHeader(header: string): string {
  return header
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '');
}

/**
 * Header aliases per field, best first: when a file has several candidates for a field (say
 * `chip_time` and `gun_time`), the earlier alias wins and the others stay in `extra`.
 */
// prettier-ignore
const RAW_ALIASES: Record<RecordField, readonly string[]> = {
  bib: [
    'bib', 'bib_number', 'bib_no', 'bib_nr', 'bib_num', 'bibnumber', 'bibno', 'dossard', 'no_dossard',
    'n_dossard', 'numero_dossard', 'numero_de_dossard', 'startnummer', 'start_nummer', 'startnr', 'start_nr',
    'start_number', 'start_no', 'race_number', 'race_no', 'racenumber', 'dorsal', 'pettorale', 'rugnummer',
    'номер', 'стартовый_номер', 'number', 'no', 'nr', 'num',
  ],
  name: [
    'name', 'full_name', 'fullname', 'athlete', 'athlete_name', 'runner', 'runner_name', 'participant',
    'participant_name', 'competitor', 'competitor_name', 'display_name', 'nom_complet', 'nombre_completo',
    'vollstandiger_name', 'naam', 'nome_completo', 'фио',
  ],
  first_name: [
    'first_name', 'firstname', 'first', 'given_name', 'givenname', 'forename', 'prenom', 'vorname', 'nombre',
    'voornaam', 'nome', 'имя',
  ],
  last_name: [
    'last_name', 'lastname', 'last', 'surname', 'family_name', 'familyname', 'nom', 'nom_de_famille',
    'nachname', 'familienname', 'apellido', 'apellidos', 'achternaam', 'cognome', 'фамилия',
  ],
  category: [
    'category', 'cat', 'categorie', 'kategorie', 'categoria', 'age_group', 'agegroup', 'age_category',
    'division', 'class', 'klasse', 'klasa', 'категория',
  ],
  gender: [
    'gender', 'sex', 'sexe', 'geschlecht', 'genero', 'sexo', 'sesso', 'geslacht', 'm_f', 'пол',
  ],
  finish_time: [
    'finish_time', 'finishtime', 'official_time', 'chip_time', 'chiptime', 'net_time', 'nettime', 'time',
    'final_time', 'result', 'temps', 'temps_officiel', 'temps_net', 'zeit', 'nettozeit', 'endzeit', 'tiempo',
    'tempo', 'tijd', 'время', 'elapsed', 'gun_time', 'guntime', 'bruttozeit',
  ],
  rank: [
    'rank', 'place', 'position', 'overall_rank', 'overall_place', 'overall_position', 'overall', 'placing',
    'pos', 'classement', 'clt', 'rang', 'platz', 'platzierung', 'posicion', 'puesto', 'plaats', 'posizione',
    'место',
  ],
};

/** Normalised alias → [field, priority]. */
const ALIASES: ReadonlyMap<string, readonly [RecordField, number]> = new Map(
  RECORD_FIELDS.flatMap((field) => RAW_ALIASES[field].map((a, i) => [normaliseHeader(a), [field, i] as const] as const)),
);

/** The field a header names, if it is one of the known aliases. */
export function fieldForHeader(header: string): RecordField | null {
  return ALIASES.get(normaliseHeader(header))?.[0] ?? null;
}

export interface HeaderMappingResult {
  /** Record field → index of the column it is read from. */
  fields: Partial<Record<RecordField, number>>;
  /** Columns kept in `extra`: index → normalised key. */
  extra: Array<{ index: number; key: string }>;
  /** Mapping entries that name a header the file does not have. */
  unknown: Array<{ field: RecordField; header: string }>;
  /** True when `name` was taken as the surname because the file also has a first-name column. */
  nameIsSurname: boolean;
}

/**
 * Maps a file's headers to record fields: explicit `mapping` first, then the best alias per field.
 * A file with first-name and `name` columns but no last-name column (German `Vorname;Name`,
 * French `Prénom;Nom` style) treats `name` as the surname.
 */
export function mapHeaders(headers: readonly string[], mapping: ColumnMapping = {}): HeaderMappingResult {
  const norm = headers.map(normaliseHeader);
  const fields: Partial<Record<RecordField, number>> = {};
  const used = new Set<number>();
  const unknown: HeaderMappingResult['unknown'] = [];
  for (const field of RECORD_FIELDS) {
    const wanted = mapping[field];
    if (wanted === undefined || wanted === null) continue;
    const idx = norm.indexOf(normaliseHeader(wanted));
    if (idx < 0 || used.has(idx)) unknown.push({ field, header: wanted });
    else {
      fields[field] = idx;
      used.add(idx);
    }
  }
  for (const field of RECORD_FIELDS) {
    if (fields[field] !== undefined || mapping[field] !== undefined) continue;
    let bestIdx = -1;
    let bestPrio = Infinity;
    for (let idx = 0; idx < norm.length; idx++) {
      const a = ALIASES.get(norm[idx] ?? '');
      if (used.has(idx) || !a || a[0] !== field || a[1] >= bestPrio) continue;
      bestIdx = idx;
      bestPrio = a[1];
    }
    if (bestIdx >= 0) {
      fields[field] = bestIdx;
      used.add(bestIdx);
    }
  }
  let nameIsSurname = false;
  if (
    fields.name !== undefined &&
    fields.first_name !== undefined &&
    fields.last_name === undefined &&
    mapping.name === undefined
  ) {
    fields.last_name = fields.name;
    delete fields.name;
    nameIsSurname = true;
  }
  const extra: HeaderMappingResult['extra'] = [];
  const keys = new Set<string>();
  norm.forEach((key, index) => {
    if (used.has(index)) return;
    let k = key || `column_${index + 1}`;
    while (keys.has(k)) k = `${k}_${index + 1}`;
    keys.add(k);
    extra.push({ index, key: k });
  });
  return { fields, extra, unknown, nameIsSurname };
}

// ---------------------------------------------------------------------------------------------
// Value parsing
// ---------------------------------------------------------------------------------------------

/**
 * Parses a finish time into `H:MM:SS`, or null when it is not a time. Accepts `H:MM:SS`, `HH:MM:SS`,
 * `MM:SS` (minutes may exceed 59), fractions (`1:02:03.4`, `1:02:03,4`) and `1h02m03s` / `2h 5' 7"`.
 * Fractions of a second are rounded **up**, as road-race rules require (World Athletics 19.24).
 */
export function parseFinishTime(raw: string): string | null {
  const s = raw.trim().toLowerCase();
  if (!s) return null;
  let h = 0;
  let m = 0;
  let sec = 0;
  let frac = '';
  let match = /^(\d{1,3}):(\d{1,2}):(\d{1,2})(?:[.,](\d+))?$/.exec(s);
  if (match) {
    h = Number(match[1]);
    m = Number(match[2]);
    sec = Number(match[3]);
    frac = match[4] ?? '';
    if (m > 59 || sec > 59) return null;
  } else if ((match = /^(\d{1,5}):(\d{1,2})(?:[.,](\d+))?$/.exec(s))) {
    m = Number(match[1]);
    sec = Number(match[2]);
    frac = match[3] ?? '';
    if (sec > 59) return null;
  } else if ((match = /^(\d{1,3})\s*h\s*(\d{1,2})$/.exec(s))) {
    // `1h02` is an hour and two minutes
    h = Number(match[1]);
    m = Number(match[2]);
    if (m > 59) return null;
  } else if (
    (match = /^(?:(\d{1,3})\s*h\s*)?(?:(\d{1,5})\s*(?:m|min|mn|')\s*)?(?:(\d{1,5})(?:[.,](\d+))?\s*(?:s|sec|"|'')?)?$/.exec(s)) &&
    // a bare number without an hour or minute unit is not a time
    (match[1] !== undefined || match[2] !== undefined)
  ) {
    h = Number(match[1] ?? 0);
    m = Number(match[2] ?? 0);
    sec = Number(match[3] ?? 0);
    frac = match[4] ?? '';
    if (match[1] !== undefined && m > 59) return null;
    if (sec > 59) return null;
  } else return null;
  let total = h * 3600 + m * 60 + sec + (/[1-9]/.test(frac) ? 1 : 0);
  if (total <= 0 || total >= 1000 * 3600) return null;
  const hh = Math.floor(total / 3600);
  total -= hh * 3600;
  const mm = Math.floor(total / 60);
  const ss = total - mm * 60;
  return `${hh}:${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')}`;
}

/** `12`, `12.`, `#12`, `12th`, `12e`, `12º` → 12; anything else → null. */
export function parseRank(raw: string): number | null {
  const m = /^#?\s*(\d{1,7})\s*(?:\.|st|nd|rd|th|e|er|re|eme|ème|°|º|ª)?$/i.exec(raw.trim());
  if (!m) return null;
  const n = Number(m[1]);
  return n > 0 ? n : null;
}

export type RowValidation =
  | { ok: true; record: CertificateRecord; warnings: Omit<ImportIssue, 'row' | 'line'>[] }
  | { ok: false; errors: Omit<ImportIssue, 'row' | 'line'>[] };

/** Header text of each mapped field, for issue reports. */
export type FieldHeaders = Partial<Record<RecordField, string>>;

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * Validates and normalises one row already split into fields (bib, names, time, rank) plus extras.
 * Used by the server import and usable by a widget to check a row before sending it.
 */
export function buildRecord(
  values: Partial<Record<RecordField, string>>,
  extra: Record<string, string>,
  headers: FieldHeaders = {},
): RowValidation {
  const errors: Omit<ImportIssue, 'row' | 'line'>[] = [];
  const warnings: Omit<ImportIssue, 'row' | 'line'>[] = [];
  const col = (f: RecordField) => headers[f] ?? f;
  const rawBib = (values.bib ?? '').trim();
  let bib = '';
  if (!rawBib) {
    errors.push({ column: col('bib'), code: 'missing_bib', problem: 'missing BIB', severity: 'error' });
  } else {
    const p = bibProblem(rawBib);
    if (p) {
      errors.push({ column: col('bib'), value: rawBib, code: 'invalid_bib', problem: `invalid BIB: ${p}`, severity: 'error' });
    } else bib = normaliseBib(rawBib);
  }
  const rawTime = (values.finish_time ?? '').trim();
  let finish_time: string | undefined;
  if (rawTime) {
    const t = parseFinishTime(rawTime);
    if (t === null) {
      errors.push({
        column: col('finish_time'),
        value: rawTime,
        code: 'invalid_time',
        problem: `unparseable time "${rawTime}" (expected H:MM:SS)`,
        severity: 'error',
      });
    } else finish_time = t;
  }
  if (errors.length) return { ok: false, errors };

  const first = collapse(values.first_name ?? '');
  const last = collapse(values.last_name ?? '');
  let name = collapse(values.name ?? '');
  if (!name) name = [first, last].filter(Boolean).join(' ');
  if (!name) {
    warnings.push({
      column: col('name'),
      code: 'missing_name',
      problem: 'no name: the certificate will have none',
      severity: 'warning',
    });
  }
  const rawRank = (values.rank ?? '').trim();
  let rank: number | undefined;
  if (rawRank) {
    const r = parseRank(rawRank);
    if (r === null) {
      warnings.push({
        column: col('rank'),
        value: rawRank,
        code: 'invalid_rank',
        problem: `rank "${rawRank}" is not a place number; left empty`,
        severity: 'warning',
      });
    } else rank = r;
  }
  const record: CertificateRecord = { bib, name: name.slice(0, 300), extra };
  if (first) record.first_name = first.slice(0, 200);
  if (last) record.last_name = last.slice(0, 200);
  const category = collapse(values.category ?? '');
  if (category) record.category = category.slice(0, 200);
  const gender = collapse(values.gender ?? '');
  if (gender) record.gender = gender.slice(0, 50);
  if (finish_time) record.finish_time = finish_time;
  if (rank !== undefined) record.rank = rank;
  return { ok: true, record, warnings };
}

// ---------------------------------------------------------------------------------------------
// Field text
// ---------------------------------------------------------------------------------------------

/** Event-level values for placeholders: `{event}` / `{event_name}`, `{event_date}`, and any others. */
export interface CertificateContext {
  event_name: string;
  event_date?: string;
  event_location?: string;
  [key: string]: string | undefined;
}

/**
 * Value of a column or placeholder for a record: record fields (`bib`, `name`, `finish_time`,
 * `rank`, …), then extra columns (`club`, or `extra.club`), then the context (`event`, `event_date`,
 * …), then header aliases (`dossard` → bib, `chip_time` → finish_time). Unknown → ''.
 */
export function lookupValue(key: string, record: CertificateRecord, context?: CertificateContext): string {
  const k0 = key.trim();
  const k = normaliseHeader(k0.startsWith('extra.') ? k0.slice(6) : k0);
  const fromRecord = (f: RecordField): string => {
    const v = record[f];
    return v === undefined ? '' : String(v);
  };
  if (!k0.startsWith('extra.') && (RECORD_FIELDS as readonly string[]).includes(k)) return fromRecord(k as RecordField);
  const ex = record.extra[k];
  if (ex !== undefined) return ex;
  if (k0.startsWith('extra.')) return '';
  if (context) {
    if (k === 'event') return context.event_name;
    const c = context[k] ?? context[k0];
    if (c !== undefined) return c;
  }
  const alias = ALIASES.get(k);
  return alias ? fromRecord(alias[0]) : '';
}

const PLACEHOLDER = /\{\{|\}\}|\{([^{}\s][^{}]{0,100})\}/g;

/**
 * Fills `{placeholder}`s (see `lookupValue`); `{{` and `}}` are literal braces.
 * `empty` is true when any placeholder resolved to nothing.
 */
export function fillPlaceholders(
  text: string,
  record: CertificateRecord,
  context?: CertificateContext,
): { text: string; empty: boolean } {
  let empty = false;
  const out = text.replace(PLACEHOLDER, (m, key: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    const v = lookupValue(key ?? '', record, context);
    if (!v) empty = true;
    return v;
  });
  return { text: out, empty };
}

/** The text a field shows for a record: '' when hidden. Shared by the renderer and widget previews. */
export function resolveFieldText(
  field: Pick<CertificateField, 'source' | 'uppercase' | 'hideIfEmpty'> & { showIf?: string | undefined },
  record: CertificateRecord,
  context?: CertificateContext,
): string {
  if (field.showIf && !lookupValue(field.showIf, record, context).trim()) return '';
  let text: string;
  if ('column' in field.source) {
    text = lookupValue(field.source.column, record, context);
  } else {
    const r = fillPlaceholders(field.source.text, record, context);
    if (r.empty && field.hideIfEmpty) return '';
    text = r.text;
  }
  // Record values come from imported files: what no renderer can draw is dropped rather than failing the render.
  text = drawableText(text.replace(/[\r\n\t]+/g, ' ')).normalize('NFC');
  return field.uppercase ? text.toLocaleUpperCase() : text;
}
