// Every string id the widgets use (`msg(…, { id })`) has a French translation, and French has no stale ids;
// a translation keeps the source's placeholders.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { templates as fr } from '../../widgets/i18n/fr/index.ts';

const root = join(import.meta.dirname, '../../widgets');

function sources(): string[] {
  return (readdirSync(root, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.startsWith('i18n'))
    .map((f) => readFileSync(join(root, f), 'utf8'));
}

test('every widget string has a French translation, and no French string is unused', () => {
  const ids = new Map<string, number>();
  for (const src of sources()) {
    for (const m of src.matchAll(
      /msg\(\s*(str`(?:[^`\\]|\\.)*`|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\s*,\s*\{\s*id:\s*'([^']+)'/g,
    )) {
      ids.set(m[2]!, (m[1]!.match(/\$\{/g) ?? []).length);
    }
  }
  assert.ok(ids.size > 150, `only ${ids.size} ids found: the pattern is wrong`);
  const missing = [...ids.keys()].filter((id) => !(id in fr));
  assert.deepEqual(missing, [], 'ids without French');
  const unused = Object.keys(fr).filter((id) => !ids.has(id));
  assert.deepEqual(unused, [], 'French ids no widget uses');
  for (const [id, n] of ids) {
    const t = fr[id];
    const values = typeof t === 'string' ? 0 : ((t as { values?: unknown[] } | undefined)?.values?.length ?? 0);
    assert.equal(values, n, `${id}: ${n} placeholders in English, ${values} in French`);
  }
});
