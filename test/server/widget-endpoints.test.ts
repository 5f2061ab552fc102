// The endpoints only some elements call are methods that widgets/api/endpoints.ts adds to ApiClient (so that a
// gallery page does not fetch them): every widget module that calls one must import that module, or the call fails
// at run time on a page where no other module brought it in.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const ROOT = resolve(import.meta.dirname, '../..');
const endpoints = readFileSync(join(ROOT, 'widgets/api/endpoints.ts'), 'utf8');
const body = endpoints.slice(
  endpoints.indexOf('class Endpoints {'),
  endpoints.indexOf('\n}\n', endpoints.indexOf('class Endpoints {')),
);
const METHODS = [...body.matchAll(/^ {2}(\w+)\(/gm)].map((m) => m[1]!);

test('every widget or console module that calls an endpoint of endpoints.ts imports it', () => {
  assert.ok(METHODS.length >= 10 && METHODS.includes('bib') && METHODS.includes('originals'), `methods: ${METHODS.join(', ')}`);
  const call = new RegExp(`\\b(?:client|api)[!?]?\\.(?:${METHODS.join('|')})\\(`);
  const files = ['widgets', 'console'].flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(ROOT, dir, f)),
  );
  const callers = files.filter((f) => call.test(readFileSync(f, 'utf8')));
  assert.ok(callers.length >= 8, `callers: ${callers.length}`);
  const missing = callers.filter(
    (f) => !/import (?:[^;]*from )?'(?:\.\.?\/)+(?:api\/)?endpoints\.ts';/.test(readFileSync(f, 'utf8')),
  );
  assert.deepEqual(
    missing.map((f) => relative(ROOT, f)),
    [],
  );
});

test('a gallery page does not fetch them: client.ts does not import endpoints.ts', () => {
  assert.doesNotMatch(readFileSync(join(ROOT, 'widgets/api/client.ts'), 'utf8'), /^import [^;]*endpoints\.ts'/m);
});
