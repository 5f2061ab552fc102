// `npm run react-wrappers`: writes widgets/react/index.ts, the React components of `photo-finish/react`, one per
// element folder `widgets/pf-x/pf-x.ts`: the element class it exports and the events its JSDoc declares
// (`@fires pf-results - …` becomes the prop `onPfResults`). A new element gets its wrapper by re-running this;
// test/server/package.test.ts fails when the committed file differs from what this writes.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';

const root = join(import.meta.dirname, '..');

export interface WrappedElement {
  tag: string;
  className: string;
  events: string[];
}

/** Every element of widgets/ with its class and events, sorted by tag. */
export function wrappedElements(): WrappedElement[] {
  const widgets = join(root, 'widgets');
  return readdirSync(widgets, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name.startsWith('pf-') && existsSync(join(widgets, d.name, `${d.name}.ts`)))
    .map((d) => {
      const source = readFileSync(join(widgets, d.name, `${d.name}.ts`), 'utf8');
      const className = /^export class (\w+)/m.exec(source)?.[1];
      if (!className) throw new Error(`widgets/${d.name}/${d.name}.ts exports no class`);
      const events = [...new Set([...source.matchAll(/^\s*\*\s*@fires\s+(pf-[\w-]+)/gm)].map((m) => m[1]!))].sort();
      return { tag: d.name, className, events };
    })
    .sort((a, b) => a.tag.localeCompare(b.tag));
}

/** `pf-selection-change` → `onPfSelectionChange`. */
export const eventProp = (event: string) => `on${event.replace(/(^|-)(\w)/g, (_, _d: string, c: string) => c.toUpperCase())}`;

export function reactModule(elements = wrappedElements()): string {
  const lines = [
    '// Written by scripts/write-react.ts (`npm run react-wrappers`) from the element folders: do not edit by hand.',
    '/**',
    ' * `photo-finish/react`: a typed React component for every element, made with @lit/react. Properties are set as',
    ' * properties (objects and arrays too), and every `pf-*` event the element fires is an `onPf…` prop:',
    ' *',
    ' * ```tsx',
    " * import { PfEvent, PfBibSearch, PfGallery } from 'photo-finish/react';",
    ' * <PfEvent api="https://photos.example.org" org="1" event="7" apiKey="pk_…">',
    ' *   <PfBibSearch onPfResults={(e) => console.log(e.detail.total)} />',
    ' * </PfEvent>',
    ' * ```',
    ' */',
    "import { createComponent, type EventName } from '@lit/react';",
    "import * as React from 'react';",
    ...elements.map((e) => `import { ${e.className} as ${e.className}Element } from '../${e.tag}/${e.tag}.ts';`),
    '',
    'type PfEventOf<K extends keyof HTMLElementEventMap> = EventName<HTMLElementEventMap[K]>;',
  ];
  for (const e of elements) {
    lines.push(
      '',
      `/** \`<${e.tag}>\` as a React component. */`,
      `export const ${e.className} = createComponent({`,
      `  react: React,`,
      `  tagName: '${e.tag}',`,
      `  elementClass: ${e.className}Element,`,
      `  displayName: '${e.className}',`,
      e.events.length
        ? `  events: {\n${e.events.map((ev) => `    ${eventProp(ev)}: '${ev}' as PfEventOf<'${ev}'>,`).join('\n')}\n  },`
        : `  events: {},`,
      `});`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export const REACT_MODULE = join(root, 'widgets/react/index.ts');

/** The module as committed: formatted by the project's prettier settings. */
export async function formattedReactModule(): Promise<string> {
  return format(reactModule(), { ...(await resolveConfig(REACT_MODULE)), filepath: REACT_MODULE });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(REACT_MODULE, await formattedReactModule());
  console.log(`react: ${wrappedElements().length} wrappers written to widgets/react/index.ts`);
}
