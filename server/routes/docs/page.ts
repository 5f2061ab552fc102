/**
 * A readable API reference rendered on the server from the OpenAPI document: plain HTML and one
 * stylesheet in the page, no scripts, nothing fetched from elsewhere.
 */

type Json = Record<string, unknown>;

const esc = (v: unknown) =>
  String(v).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

const anchor = (s: string) =>
  s
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
const refName = (ref: string) => ref.split('/').pop() ?? ref;

/** A one-line description of a JSON Schema type: `string | null`, `ImageItem[]`, `"bib" | "selfie"`. */
function typeOf(s: Json | undefined): string {
  if (!s) return 'any';
  if (typeof s.$ref === 'string') {
    const n = refName(s.$ref);
    return `<a href="#schema-${anchor(n)}">${esc(n)}</a>`;
  }
  if ('const' in s) return `<code>${esc(JSON.stringify(s.const))}</code>`;
  if (Array.isArray(s.enum)) return s.enum.map((e) => `<code>${esc(JSON.stringify(e))}</code>`).join(' | ');
  const union = (s.anyOf ?? s.oneOf) as Json[] | undefined;
  if (Array.isArray(union)) return union.map(typeOf).join(' | ');
  const t = s.type;
  if (Array.isArray(t)) return t.map((x) => esc(x)).join(' | ');
  if (t === 'array') return `${typeOf(s.items as Json)}[]`;
  if (t === 'string' && s.format) return `string (${esc(s.format)})`;
  return esc(t ?? 'any');
}

/** Constraints of a schema as a bracketed note, or ''. */
function constraintNote(s: Json): string {
  const c = constraints(s);
  return c ? ` <span class="c">(${c})</span>` : '';
}

function constraints(s: Json): string {
  const out: string[] = [];
  for (const [k, label] of [
    ['minimum', '≥'],
    ['exclusiveMinimum', '>'],
    ['maximum', '≤'],
    ['exclusiveMaximum', '<'],
    ['minLength', 'min length'],
    ['maxLength', 'max length'],
    ['minItems', 'min items'],
    ['maxItems', 'max items'],
    ['default', 'default'],
    ['pattern', 'pattern'],
  ] as const) {
    if (s[k] !== undefined) out.push(`${label} <code>${esc(typeof s[k] === 'string' ? s[k] : JSON.stringify(s[k]))}</code>`);
  }
  return out.join(', ');
}

/** Rows for an object schema's properties; nested inline objects become dotted rows. */
function fieldRows(s: Json, prefix = ''): string {
  const props = (s.properties ?? {}) as Record<string, Json>;
  const required = new Set((s.required ?? []) as string[]);
  let rows = '';
  for (const [name, p] of Object.entries(props)) {
    const path = prefix + name;
    rows += `<tr><td><code>${esc(path)}</code></td><td>${typeOf(p)}</td><td>${required.has(name) ? 'yes' : ''}</td><td>${esc(p.description ?? '')}${constraintNote(p)}</td></tr>`;
    if (p.type === 'object' && p.properties) rows += fieldRows(p, `${path}.`);
    const items = p.items as Json | undefined;
    if (p.type === 'array' && items?.type === 'object' && items.properties) rows += fieldRows(items, `${path}[].`);
  }
  return rows;
}

function schemaBlock(name: string, s: Json): string {
  const variants = (s.oneOf ?? s.anyOf) as Json[] | undefined;
  let body: string;
  if (s.type === 'object' || s.properties) {
    body = `<table><thead><tr><th>field</th><th>type</th><th>required</th><th>notes</th></tr></thead><tbody>${fieldRows(s)}</tbody></table>`;
  } else if (Array.isArray(variants)) {
    body = variants
      .map(
        (v, i) =>
          `<p>Variant ${i + 1}:</p><table><thead><tr><th>field</th><th>type</th><th>required</th><th>notes</th></tr></thead><tbody>${fieldRows(v)}</tbody></table>`,
      )
      .join('');
  } else {
    body = `<p>${typeOf(s)}</p>`;
  }
  return `<section class="schema" id="schema-${anchor(name)}"><h3>${esc(name)}</h3>${s.description ? `<p>${esc(s.description)}</p>` : ''}${body}</section>`;
}

function operationBlock(method: string, path: string, op: Json): string {
  const params = (op.parameters ?? []) as Json[];
  const security = (op.security ?? []) as unknown[];
  const auth = security.length
    ? op['x-key-kind'] === 'secret'
      ? 'X-API-Key: a <strong>secret</strong> key (a publishable key is 403)'
      : 'X-API-Key: a secret or publishable key'
    : path.startsWith('/files/o')
      ? 'a signed URL from Download Originals'
      : 'none';
  let html = `<section class="op" id="op-${anchor(`${method} ${path}`)}"><h3><span class="m m-${method}">${method.toUpperCase()}</span> <code>${esc(path)}</code></h3>`;
  html += `<p class="summary">${esc(op.summary ?? '')}</p>`;
  if (op.description) html += `<p>${esc(op.description)}</p>`;
  html += `<p><strong>Auth:</strong> ${auth}</p>`;
  if (params.length) {
    html += '<table><thead><tr><th>parameter</th><th>in</th><th>type</th><th>required</th><th>notes</th></tr></thead><tbody>';
    for (const p of params) {
      const s = (p.schema ?? {}) as Json;
      html += `<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}</td><td>${typeOf(s)}</td><td>${p.required ? 'yes' : ''}</td><td>${esc(p.description ?? '')}${constraintNote(s)}</td></tr>`;
    }
    html += '</tbody></table>';
  }
  const body = op.requestBody as Json | undefined;
  if (body) {
    for (const [type, media] of Object.entries((body.content ?? {}) as Record<string, Json>)) {
      const s = media.schema as Json;
      html += `<p><strong>Body</strong> (<code>${esc(type)}</code>): ${s.$ref ? typeOf(s) : ''}</p>`;
      if (!s.$ref)
        html += `<table><thead><tr><th>part</th><th>type</th><th>required</th><th>notes</th></tr></thead><tbody>${fieldRows(s)}</tbody></table>`;
    }
  }
  html += '<p><strong>Responses</strong></p><ul>';
  for (const [status, r] of Object.entries((op.responses ?? {}) as Record<string, Json>)) {
    const content = (r.content ?? {}) as Record<string, Json>;
    const [type, media] = Object.entries(content)[0] ?? [];
    const schema = media?.schema as Json | undefined;
    const data = (schema?.properties as Record<string, Json> | undefined)?.data;
    const what = data
      ? `envelope, <code>data</code>: ${typeOf(data)}`
      : schema?.$ref
        ? 'error envelope'
        : type
          ? `<code>${esc(type)}</code>`
          : '';
    html += `<li><code>${esc(status)}</code> ${esc(r.description ?? '')}${what ? ` — ${what}` : ''}</li>`;
  }
  return `${html}</ul></section>`;
}

const CSS = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1b1f24;background:#fff}
main{max-width:960px;margin:0 auto;padding:1.5rem}
h1{margin-top:0}h2{border-bottom:2px solid #e3e6ea;padding-bottom:.25rem;margin-top:2.5rem}
h3{margin:.2rem 0;font-size:1.05rem}code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;background:#f3f4f6;padding:0 .2em;border-radius:3px}
table{border-collapse:collapse;width:100%;margin:.5rem 0;font-size:14px}th,td{border:1px solid #e3e6ea;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f7f8fa}.op,.schema{border:1px solid #e3e6ea;border-radius:6px;padding:.75rem 1rem;margin:1rem 0}
.m{display:inline-block;min-width:4.2em;text-align:center;border-radius:4px;color:#fff;font-size:12px;padding:.1em .4em;font-family:ui-monospace,monospace}
.m-get{background:#1f6feb}.m-post{background:#1a7f37}.m-put{background:#9a6700}.m-patch{background:#8250df}.m-delete{background:#cf222e}
.summary{font-weight:600;margin:.25rem 0}.c{color:#57606a}nav ul{columns:2}a{color:#0969da}
@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}code{background:#161b22}th{background:#161b22}th,td,.op,.schema{border-color:#30363d}h2{border-color:#30363d}a{color:#58a6ff}}
`;

export function renderApiPage(doc: Json): string {
  const info = (doc.info ?? {}) as Json;
  const paths = (doc.paths ?? {}) as Record<string, Record<string, Json>>;
  const byTag = new Map<string, string[]>();
  const toc = new Map<string, string[]>();
  for (const [path, ops] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = ((op.tags ?? []) as string[])[0] ?? 'Other';
      (byTag.get(tag) ?? byTag.set(tag, []).get(tag)!).push(operationBlock(method, path, op));
      (toc.get(tag) ?? toc.set(tag, []).get(tag)!).push(
        `<li><a href="#op-${anchor(`${method} ${path}`)}">${esc(method.toUpperCase())} ${esc(path)}</a></li>`,
      );
    }
  }
  const schemas = ((doc.components as Json | undefined)?.schemas ?? {}) as Record<string, Json>;
  let html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`;
  html += `<title>${esc(info.title ?? 'API')} reference</title><style>${CSS}</style></head><body><main>`;
  html += `<h1>${esc(info.title ?? 'API')} <small>${esc(info.version ?? '')}</small></h1><p>${esc(info.description ?? '')}</p>`;
  html += '<p>Machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1).</p>';
  html += '<nav aria-label="Routes"><h2>Routes</h2>';
  for (const [tag, items] of toc) html += `<h3>${esc(tag)}</h3><ul>${items.join('')}</ul>`;
  html += '</nav>';
  for (const [tag, blocks] of byTag) html += `<h2 id="tag-${anchor(tag)}">${esc(tag)}</h2>${blocks.join('')}`;
  html += '<h2 id="schemas">Schemas</h2>';
  for (const [name, s] of Object.entries(schemas)) html += schemaBlock(name, s);
  return `${html}</main></body></html>`;
}
