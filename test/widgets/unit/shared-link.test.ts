// Unit tests of the shared-link rule (widgets/pf-gallery/shared-link.ts): which gallery of a page opens the photo
// a ?photo=…&photo_at=… link names. Fake galleries, no DOM, no server.
import { expect } from '@open-wc/testing';
import type { ImageItem } from '../../../core/api/models.ts';
import { openSharedPhoto, sharedLink, type SharedLinkGallery } from '../../../widgets/pf-gallery/shared-link.ts';

/** A gallery showing these photo ids (all loaded), recording what it opens. */
function gallery(ids: string[], current = () => true) {
  const opened: number[] = [];
  const g: SharedLinkGallery = {
    count: ids.length,
    current,
    ensure: () => Promise.resolve(),
    item: (v) => (ids[v] ? ({ image_id: ids[v] } as ImageItem) : undefined),
    find: (id) => ids.indexOf(id),
    open: async (v) => void opened.push(v),
  };
  return { g, opened };
}

const link = (query: string) => history.replaceState(null, '', query ? `?${query}` : location.pathname);

describe('openSharedPhoto', () => {
  beforeEach(() => (sharedLink.claimed = false));
  after(() => link(''));

  it('without ?photo= nothing opens', async () => {
    link('');
    const { g, opened } = gallery(['a', 'b']);
    await openSharedPhoto(g);
    expect(opened).to.deep.equal([]);
    expect(sharedLink.claimed).to.equal(false);
  });

  it('the gallery that has the photo at the linked position opens it at once, and claims the link', async () => {
    link('photo=b&photo_at=1');
    const { g, opened } = gallery(['a', 'b', 'c']);
    const t = performance.now();
    await openSharedPhoto(g);
    expect(opened).to.deep.equal([1]);
    expect(performance.now() - t).to.be.lessThan(500);
    expect(sharedLink.claimed).to.equal(true);
    // Another gallery of the page that has it too leaves it alone.
    const other = gallery(['b']);
    await openSharedPhoto(other.g);
    expect(other.opened).to.deep.equal([]);
  });

  it('a gallery that has the photo elsewhere opens it after a wait, unless another claimed it meanwhile', async () => {
    link('photo=b&photo_at=5');
    const elsewhere = gallery(['x', 'b']); // position 5 is past its end
    const t = performance.now();
    await openSharedPhoto(elsewhere.g);
    expect(elsewhere.opened).to.deep.equal([1]);
    expect(performance.now() - t).to.be.at.least(1400);

    sharedLink.claimed = false;
    const late = gallery(['x', 'b', 'y']);
    const exact = gallery(['0', '1', '2', '3', '4', 'b']);
    const waiting = openSharedPhoto(late.g);
    await openSharedPhoto(exact.g);
    await waiting;
    expect(exact.opened).to.deep.equal([5]);
    expect(late.opened).to.deep.equal([]);
  });

  it('drops what it found when the result set started again, or the link changed meanwhile', async () => {
    link('photo=b&photo_at=1');
    let fresh = true;
    const reset = gallery(['a', 'b'], () => fresh);
    reset.g.ensure = async () => void (fresh = false);
    await openSharedPhoto(reset.g);
    expect(reset.opened).to.deep.equal([]);

    link('photo=b');
    const changed = gallery(['a', 'b']);
    setTimeout(() => link('photo=c'), 100);
    await openSharedPhoto(changed.g);
    expect(changed.opened).to.deep.equal([]);
    expect(sharedLink.claimed).to.equal(false);
  });
});
