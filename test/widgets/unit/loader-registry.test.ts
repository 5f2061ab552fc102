// The drop-in loader's registry (widgets/loader/registry.ts): each tag's module is imported once, when the tag
// first appears in the page (at start, or inserted later), or when asked for; a failed import can be retried.
import { expect, waitUntil } from '@open-wc/testing';
import { createRegistry } from '../../../widgets/loader/registry.ts';

let n = 0;
/** Tags unique to one test (custom elements cannot be undefined again). */
const tag = (name: string) => `pf-test-${name}-${++n}`;

function setup(tags: string[], fail: Set<string> = new Set()) {
  const imported: string[] = [];
  const errors: string[] = [];
  const registry = createRegistry({
    tags,
    importTag: async (t) => {
      imported.push(t);
      if (fail.has(t)) throw new Error(`no module for ${t}`);
      customElements.define(t, class extends HTMLElement {});
    },
    onError: (t) => errors.push(t),
  });
  return { registry, imported, errors };
}

describe('drop-in loader registry', () => {
  let host: HTMLElement;
  beforeEach(() => {
    host = document.createElement('div');
    document.body.append(host);
  });
  afterEach(() => host.remove());

  it('imports only the tags present, each once, and the ones inserted later', async () => {
    const [a, b, c] = [tag('a'), tag('b'), tag('c')];
    host.innerHTML = `<${a}></${a}><${a}></${a}>`;
    const { registry, imported } = setup([a, b, c]);
    registry.observe(document);
    await waitUntil(() => customElements.get(a), `${a} not defined`);
    expect(imported).to.deep.equal([a]);

    // Inserted later, deep inside other markup (a CMS block, a single-page app view).
    const deep = document.createElement('section');
    deep.innerHTML = `<div><p><${c}></${c}></p></div>`;
    host.append(deep);
    await waitUntil(() => customElements.get(c), `${c} not defined after insertion`);
    host.append(document.createElement(a));
    await Promise.resolve();
    expect(imported).to.deep.equal([a, c]);
    expect(host.querySelector(c)!.constructor).to.equal(customElements.get(c));
  });

  it('load(tag) defines on demand and resolves with the class; unknown tags resolve undefined', async () => {
    const [a] = [tag('a')];
    const { registry, imported } = setup([a]);
    const ctor = await registry.load(a.toUpperCase());
    expect(ctor).to.equal(customElements.get(a));
    expect(await registry.load(a)).to.equal(ctor);
    expect(await registry.load('pf-nothing-such')).to.equal(undefined);
    expect(imported).to.deep.equal([a]);
  });

  it('watches a shadow root it is given', async () => {
    const [a] = [tag('a')];
    const { registry } = setup([a]);
    const root = host.attachShadow({ mode: 'open' });
    registry.observe(root);
    root.innerHTML = `<${a}></${a}>`;
    await waitUntil(() => customElements.get(a), 'tag in the shadow root not defined');
  });

  it('reports a module that failed to load and tries again on the next request', async () => {
    const [a] = [tag('a')];
    const fail = new Set([a]);
    const { registry, imported, errors } = setup([a], fail);
    expect(await registry.load(a)).to.equal(undefined);
    expect(errors).to.deep.equal([a]);
    fail.clear();
    expect(await registry.load(a)).to.equal(customElements.get(a));
    expect(imported).to.deep.equal([a, a]);
  });
});
