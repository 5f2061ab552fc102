// The static import graph of our TypeScript sources (issue 20, "restart"): which modules a process loads before
// its first line runs, i.e. every `import … from` and `export … from` that survives compilation (type-only imports
// are erased; `import { type A }` is not: verbatimModuleSyntax keeps it as `import {}`). Dynamic `import()` is
// where the graph is cut on purpose. Used by test/server/start/*.test.ts and bench/start-phases.ts.
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';

export interface ImportGraph {
  /** Our source files reached (paths relative to root). */
  files: string[];
  /** Packages reached (bare specifiers reduced to their package name; node: builtins left out). */
  packages: Map<string, string[]>;
}

const packageName = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);

function runtimeImports(file: string): string[] {
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, false);
  const out: string[] = [];
  for (const st of src.statements) {
    if (ts.isImportDeclaration(st)) {
      if (st.importClause?.isTypeOnly) continue;
      out.push((st.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier) {
      if (st.isTypeOnly) continue;
      out.push((st.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return out;
}

/**
 * Walks the static imports from `entries` (paths relative to root). For each package reached, `packages` holds one
 * chain of our files that leads to it (entry first), to say where to cut it.
 */
export function importGraph(root: string, entries: string[]): ImportGraph {
  const parent = new Map<string, string | null>();
  const packages = new Map<string, string[]>();
  const queue: string[] = [];
  for (const e of entries) {
    const abs = resolve(root, e);
    parent.set(abs, null);
    queue.push(abs);
  }
  const chain = (file: string) => {
    const c: string[] = [];
    for (let f: string | null | undefined = file; f; f = parent.get(f)) c.unshift(relative(root, f));
    return c;
  };
  while (queue.length) {
    const file = queue.shift()!;
    for (const spec of runtimeImports(file)) {
      if (spec.startsWith('node:')) continue;
      if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec);
        if (!parent.has(target)) {
          parent.set(target, file);
          queue.push(target);
        }
      } else {
        const name = packageName(spec);
        if (!packages.has(name)) packages.set(name, chain(file));
      }
    }
  }
  return { files: [...parent.keys()].map((f) => relative(root, f)).sort(), packages };
}
