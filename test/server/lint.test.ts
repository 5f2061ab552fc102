// The lint rules that guard the architecture fire: an import cycle fails `npm run lint`.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';

const ROOT = resolve(import.meta.dirname, '../..');

test('import-x/no-cycle reports both modules of an import cycle (test/lint-fixtures/cycle)', async () => {
  // The fixtures are in the config's global ignores (they would fail `npm run lint`): lint them with ignores off.
  const eslint = new ESLint({ cwd: ROOT, ignore: false });
  const results = await eslint.lintFiles(['test/lint-fixtures/cycle/*.ts']);
  const cycles = results.flatMap((r) =>
    r.messages.filter((m) => m.ruleId === 'import-x/no-cycle').map((m) => `${r.filePath.slice(ROOT.length + 1)}:${m.line}`),
  );
  assert.deepEqual(cycles.sort(), ['test/lint-fixtures/cycle/a.ts:2', 'test/lint-fixtures/cycle/b.ts:2']);
  // Nothing else is wrong with the fixtures: the cycle is what fails.
  assert.deepEqual(
    results.flatMap((r) => r.messages.filter((m) => m.ruleId !== 'import-x/no-cycle')),
    [],
  );
});

test('the rule covers core/, server/ and widgets/', async () => {
  const eslint = new ESLint({ cwd: ROOT });
  for (const file of ['core/bib.ts', 'server/app.ts', 'widgets/index.ts']) {
    const config = (await eslint.calculateConfigForFile(file)) as { rules?: Record<string, unknown[]> };
    assert.equal(config.rules?.['import-x/no-cycle']?.[0], 2, `${file}: import-x/no-cycle is an error`);
  }
});

test('a route that touches the store fails lint (routes → services → store); a service may', async () => {
  const eslint = new ESLint({ cwd: ROOT });
  const route = [
    "import { openSqliteStore } from '../../store/sqlite/index.ts';",
    "import type { EventRow } from '../../store/types.ts';",
    'export const rows = (c: { get(k: string): { store: { images: unknown } } }, e: EventRow) => [c.get("deps").store.images, e, openSqliteStore];',
    '',
  ].join('\n');
  const [inRoute] = await eslint.lintText(route, { filePath: resolve(ROOT, 'server/routes/ext/example.ts') });
  const found = inRoute!.messages.map((m) => `${m.ruleId}:${m.line}`);
  assert.ok(found.includes('no-restricted-syntax:3'), `store access reported: ${found.join(', ')}`);
  assert.ok(found.includes('no-restricted-imports:1'), `store import reported: ${found.join(', ')}`);
  assert.ok(!found.includes('no-restricted-imports:2'), 'a type import of a row type is fine');
  const [inService] = await eslint.lintText(route, { filePath: resolve(ROOT, 'server/services/example.ts') });
  assert.deepEqual(
    inService!.messages.filter((m) => m.ruleId === 'no-restricted-syntax' || m.ruleId === 'no-restricted-imports'),
    [],
  );
});
