// Every console string has its French translation, with the same number of values, and no French string is left
// over without a use (the console's strings are msg('English', { id: 'console.…' }) calls in console/**/*.ts).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(import.meta.dirname, '../../../console');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'i18n' ? [] : sources(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

const MSG = /msg\(\s*(?:str`((?:[^`\\]|\\.)*)`|'((?:[^'\\]|\\.)*)')\s*,\s*\{\s*id:\s*'([^']+)'/g;
const values = (template: string) => (template.match(/\$\{/g) ?? []).length;

test('every console string has a French translation with the same values, and every French string is used', () => {
  const used = new Map<string, number>();
  for (const file of sources(root)) {
    for (const m of readFileSync(file, 'utf8').matchAll(MSG)) {
      const n = m[1] === undefined ? 0 : values(m[1]);
      const id = m[3]!;
      if (used.has(id)) assert.equal(used.get(id), n, `${id} is used with different values`);
      used.set(id, n);
    }
  }
  assert.ok(used.size > 200, `found ${used.size} strings`);
  const fr = readFileSync(join(root, 'i18n', 'fr.ts'), 'utf8');
  const french = new Map<string, number>();
  for (const m of fr.matchAll(/'(console\.[^']+)':\s*(?:str`((?:[^`\\]|\\.)*)`|'(?:[^'\\]|\\.)*'|\n\s*'(?:[^'\\]|\\.)*')/g))
    french.set(m[1]!, m[2] === undefined ? 0 : values(m[2]));
  for (const [id, n] of used) {
    assert.ok(french.has(id), `no French for ${id}`);
    assert.equal(french.get(id), n, `${id}: French has ${french.get(id)} values, English ${n}`);
  }
  for (const id of french.keys()) assert.ok(used.has(id), `French ${id} is not used`);
});
