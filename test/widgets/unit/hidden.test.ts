// Unit tests of the "Not me" position mapping (widgets/pf-gallery/hidden.ts).
import { expect } from '@open-wc/testing';
import { HiddenPositions } from '../../../widgets/pf-gallery/hidden.ts';

describe('HiddenPositions', () => {
  it('with nothing hidden, view and data positions are the same', () => {
    const h = new HiddenPositions();
    expect(h.size).to.equal(0);
    expect([0, 1, 7].map((v) => h.toData(v))).to.deep.equal([0, 1, 7]);
    expect([0, 1, 7].map((d) => h.toView(d))).to.deep.equal([0, 1, 7]);
  });

  it('skips hidden photos: the view shows data 0, 2, 4, 5, … when 1 and 3 are hidden', () => {
    const h = new HiddenPositions();
    h.add(3);
    h.add(1);
    expect(h.positions).to.deep.equal([1, 3]);
    expect(h.size).to.equal(2);
    expect([0, 1, 2, 3, 4].map((v) => h.toData(v))).to.deep.equal([0, 2, 4, 5, 6]);
    expect([0, 2, 4, 5, 6].map((d) => h.toView(d))).to.deep.equal([0, 1, 2, 3, 4]);
    // A hidden position maps to the view position of the next photo shown.
    expect(h.toView(1)).to.equal(1);
    expect(h.toView(3)).to.equal(2);
  });

  it('hiding the photo now shown at a view position, one after another (as "Not me" does)', () => {
    const h = new HiddenPositions();
    // Hide what is shown at view 2 three times: data 2, then 3, then 4.
    for (let k = 0; k < 3; k++) h.add(h.toData(2));
    expect(h.positions).to.deep.equal([2, 3, 4]);
    expect(h.toData(2)).to.equal(5);
    expect(h.toData(1)).to.equal(1);
  });

  it('toView ∘ toData is the identity on view positions', () => {
    const h = new HiddenPositions();
    for (const d of [0, 5, 6, 9, 20]) h.add(d);
    for (let v = 0; v < 30; v++) expect(h.toView(h.toData(v)), `view ${v}`).to.equal(v);
    // …and toData never lands on a hidden position.
    for (let v = 0; v < 30; v++) expect(h.positions).not.to.include(h.toData(v));
  });

  it('hiding twice counts once; clear forgets everything', () => {
    const h = new HiddenPositions();
    h.add(4);
    h.add(4);
    expect(h.size).to.equal(1);
    h.clear();
    expect(h.size).to.equal(0);
    expect(h.toData(4)).to.equal(4);
  });
});
