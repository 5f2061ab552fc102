import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'dist-server/',
      'dist-console/',
      'data/',
      'models/',
      'coverage/',
      'test-results/',
      'playwright-report/',
      'custom-elements.json',
      // Broken on purpose (an import cycle): linted only by test/server/lint.test.ts.
      'test/lint-fixtures/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // An import cycle fails lint: modules load in an order that depends on who imports first, and a value read
    // during the cycle is undefined. Type-only imports do not count (they are erased). Imports name their `.ts`
    // files, so Node's own resolution finds them; test/lint-fixtures/ holds a cycle test/server/lint.test.ts expects.
    files: ['core/**/*.ts', 'server/**/*.ts', 'widgets/**/*.ts', 'console/**/*.ts', 'test/lint-fixtures/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.mjs'] })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', '../server/*', '../widgets/*', '../../server/*', '../../widgets/*'],
              message: 'core/ is isomorphic: no Node built-ins, no server or widget code.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['widgets/**/*.ts', 'console/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', '**/server/**'],
              message: 'widgets/ and console/ run in the browser: never import server code or Node built-ins.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/widgets/**', '**/demo/**', '**/console/**'],
              message: 'server/ never imports widgets, console or demo code.',
            },
          ],
        },
      ],
    },
  },
  {
    // Routes → services → store: a route validates, calls a service and answers; the store is the services'.
    files: ['server/routes/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[property.name='store']",
          message: 'Routes do not touch the store: call a service (server/services/, checkout/, certify/) that does.',
        },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/widgets/**', '**/demo/**'], message: 'server/ never imports widgets or demo code.' },
            {
              group: ['**/store/**'],
              allowTypeImports: true,
              message: 'Routes do not touch the store: call a service that does (types of rows are fine).',
            },
          ],
        },
      ],
    },
  },
  {
    // Services never touch Hono's context: routes read the request and pass plain values down.
    files: ['server/{services,checkout,certify,video,auth,uploads,ingest,store,vision}/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/widgets/**', '**/demo/**', '**/console/**'],
              message: 'server/ never imports widgets, console or demo code.',
            },
          ],
          paths: [{ name: 'hono', message: 'Services never touch Hono: the route passes plain values.' }],
        },
      ],
    },
  },
  prettier,
);
