// `photo-finish/react` (widgets/react/index.ts) is written by scripts/write-react.ts from the element folders: it
// must be current (a new element, or a new @fires, means re-running `npm run react-wrappers`).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { REACT_MODULE, eventProp, formattedReactModule, wrappedElements } from '../../scripts/write-react.ts';

test('widgets/react/index.ts is what scripts/write-react.ts writes (run `npm run react-wrappers`)', async () => {
  assert.equal(readFileSync(REACT_MODULE, 'utf8'), await formattedReactModule());
});

test('every element has a wrapper, every declared event an onPf… prop', () => {
  const elements = wrappedElements();
  const tags = elements.map((e) => e.tag);
  for (const tag of ['pf-event', 'pf-gallery', 'pf-bib-search', 'pf-certificate', 'pf-timeline', 'pf-lightbox'])
    assert.ok(tags.includes(tag), tag);
  const gallery = elements.find((e) => e.tag === 'pf-gallery')!;
  assert.deepEqual(gallery.events, ['pf-download', 'pf-error', 'pf-hide', 'pf-results', 'pf-select', 'pf-selection-change']);
  assert.equal(eventProp('pf-selection-change'), 'onPfSelectionChange');
  const source = readFileSync(REACT_MODULE, 'utf8');
  for (const e of elements) {
    assert.match(source, new RegExp(`export const ${e.className} = createComponent\\(`));
    for (const ev of e.events) assert.ok(source.includes(`${eventProp(ev)}: '${ev}'`), `${e.tag} ${ev}`);
  }
});
