// Unit tests of the lightbox's zoom maths (widgets/pf-lightbox/zoom.ts): no DOM, no server.
import { expect } from '@open-wc/testing';
import {
  clamp,
  clampPan,
  DOUBLE_TAP_SCALE,
  fitContain,
  isZoomed,
  MAX_SCALE,
  needsLarger,
  panBounds,
  pinch,
  toggleZoom,
  wheelScale,
  zoomAbout,
  zoomOutStep,
  type Point,
  type Zoom,
} from '../../../widgets/pf-lightbox/zoom.ts';

/** Where the photo point `c` (unscaled, centre-relative) is drawn under the zoom `z`. */
const drawn = (z: Zoom, c: Point): Point => ({ x: c.x * z.scale + z.tx, y: c.y * z.scale + z.ty });
/** The photo point under the stage point `p`. */
const under = (z: Zoom, p: Point): Point => ({ x: (p.x - z.tx) / z.scale, y: (p.y - z.ty) / z.scale });

const close = (a: number, b: number) => expect(a).to.be.closeTo(b, 1e-9);

describe('zoom maths', () => {
  it('clamp keeps a value inside [lo, hi]', () => {
    expect(clamp(5, 1, 4)).to.equal(4);
    expect(clamp(0.2, 1, 4)).to.equal(1);
    expect(clamp(2.5, 1, 4)).to.equal(2.5);
    expect(clamp(-30, -10, 10)).to.equal(-10);
  });

  it('fits a photo inside the stage by its aspect ratio (contain)', () => {
    // A wide stage and a 3:2 photo: the height fills, bands left and right.
    expect(fitContain({ w: 1000, h: 400 }, 1.5)).to.deep.equal({ w: 600, h: 400 });
    // A tall stage (phone): the width fills, bands above and below.
    expect(fitContain({ w: 390, h: 630 }, 1.5)).to.deep.equal({ w: 390, h: 260 });
    // A portrait photo in a landscape stage.
    expect(fitContain({ w: 1000, h: 600 }, 0.5)).to.deep.equal({ w: 300, h: 600 });
    // Exactly the stage's shape: fills it.
    expect(fitContain({ w: 300, h: 200 }, 1.5)).to.deep.equal({ w: 300, h: 200 });
    // Unknown, zero or broken ratios fall back to 3:2.
    for (const r of [undefined, 0, NaN, Infinity, -2])
      expect(fitContain({ w: 390, h: 630 }, r)).to.deep.equal({ w: 390, h: 260 });
  });

  it('pan bounds are half the overhang past the stage, and zero when the photo fits', () => {
    const stage = { w: 390, h: 630 };
    const fitted = { w: 390, h: 260 };
    expect(panBounds(fitted, stage, 1)).to.deep.equal({ x: 0, y: 0 });
    // 2×: 780 × 520 → 195 px of overhang each side horizontally, none vertically (520 < 630).
    expect(panBounds(fitted, stage, 2)).to.deep.equal({ x: 195, y: 0 });
    // 4×: 1560 × 1040 → (1560 − 390) / 2 and (1040 − 630) / 2.
    expect(panBounds(fitted, stage, 4)).to.deep.equal({ x: 585, y: 205 });
  });

  it('clampPan keeps the zoomed photo covering the stage where it can', () => {
    const stage = { w: 390, h: 630 };
    const fitted = { w: 390, h: 260 };
    expect(clampPan({ scale: 2, tx: 500, ty: 80 }, fitted, stage)).to.deep.equal({ scale: 2, tx: 195, ty: 0 });
    expect(clampPan({ scale: 2, tx: -500, ty: -80 }, fitted, stage)).to.deep.equal({ scale: 2, tx: -195, ty: 0 });
    expect(clampPan({ scale: 2, tx: 100, ty: 0 }, fitted, stage)).to.deep.equal({ scale: 2, tx: 100, ty: 0 });
    // Not zoomed: always centred.
    expect(clampPan({ scale: 1, tx: 40, ty: -40 }, fitted, stage)).to.deep.equal({ scale: 1, tx: 0, ty: 0 });
  });

  it('zoomAbout keeps the photo point under the pointer where it is', () => {
    const start: Zoom = { scale: 1, tx: 0, ty: 0 };
    const p = { x: 120, y: -45 };
    const c = under(start, p);
    const z = zoomAbout(start, p, 2.5);
    expect(z.scale).to.equal(2.5);
    const at = drawn(z, c);
    close(at.x, p.x);
    close(at.y, p.y);
    // About the centre, nothing moves: no translation.
    expect(zoomAbout(start, { x: 0, y: 0 }, 3)).to.deep.equal({ scale: 3, tx: 0, ty: 0 });
    // From an already zoomed and panned state too.
    const from: Zoom = { scale: 2, tx: -60, ty: 30 };
    const q = { x: -80, y: 100 };
    const cq = under(from, q);
    const z2 = zoomAbout(from, q, 3.2);
    close(drawn(z2, cq).x, q.x);
    close(drawn(z2, cq).y, q.y);
  });

  it('zoomAbout clamps the scale to 1…MAX_SCALE', () => {
    expect(zoomAbout({ scale: 1, tx: 0, ty: 0 }, { x: 10, y: 10 }, 99).scale).to.equal(MAX_SCALE);
    expect(zoomAbout({ scale: 2, tx: 0, ty: 0 }, { x: 10, y: 10 }, 0.1).scale).to.equal(1);
    // Zooming back out to 1 about any point lands centred (tx = ty = 0 when it started centred at 1).
    const z = zoomAbout(zoomAbout({ scale: 1, tx: 0, ty: 0 }, { x: 50, y: 20 }, 2), { x: 50, y: 20 }, 1);
    close(z.tx, 0);
    close(z.ty, 0);
  });

  it('pinch: the scale follows the finger distance, and the pinched point follows the midpoint', () => {
    const start = { zoom: { scale: 1, tx: 0, ty: 0 }, mid: { x: 30, y: -10 }, dist: 40 };
    const c = under(start.zoom, start.mid);
    // Fingers twice as far apart, midpoint unchanged: 2×, the point under the fingers stays.
    const z = pinch(start, start.mid, 80);
    expect(z.scale).to.equal(2);
    close(drawn(z, c).x, 30);
    close(drawn(z, c).y, -10);
    // Same distance, midpoint moved: a pan by the same amount.
    const moved = pinch(start, { x: 80, y: 40 }, 40);
    expect(moved.scale).to.equal(1);
    close(moved.tx, 50);
    close(moved.ty, 50);
    // Spread and move at once: the pinched point follows the new midpoint.
    const both = pinch(start, { x: -20, y: 60 }, 120);
    expect(both.scale).to.equal(3);
    close(drawn(both, c).x, -20);
    close(drawn(both, c).y, 60);
    // Clamped both ways; a zero start distance does not divide by zero.
    expect(pinch(start, start.mid, 4000).scale).to.equal(MAX_SCALE);
    expect(pinch(start, start.mid, 5).scale).to.equal(1);
    expect(Number.isFinite(pinch({ ...start, dist: 0 }, start.mid, 2).scale)).to.equal(true);
  });

  it('pinch starts from the zoom in place when the fingers came down', () => {
    const start = { zoom: { scale: 2, tx: 40, ty: -20 }, mid: { x: 0, y: 0 }, dist: 100 };
    const z = pinch(start, { x: 0, y: 0 }, 150);
    expect(z.scale).to.equal(3);
    // The photo point that was at the centre (−20, 10) is still drawn at the centre.
    close(drawn(z, { x: -20, y: 10 }).x, 0);
    close(drawn(z, { x: -20, y: 10 }).y, 0);
  });

  it('toggleZoom: fitted → DOUBLE_TAP_SCALE about the tap, zoomed → fitted', () => {
    const z = toggleZoom({ scale: 1, tx: 0, ty: 0 }, { x: 100, y: 50 });
    expect(z.scale).to.equal(DOUBLE_TAP_SCALE);
    close(drawn(z, { x: 100, y: 50 }).x, 100);
    expect(isZoomed(z)).to.equal(true);
    expect(toggleZoom(z, { x: 5, y: 5 })).to.deep.equal({ scale: 1, tx: 0, ty: 0 });
    // The toolbar button zooms about the centre.
    expect(toggleZoom({ scale: 1, tx: 0, ty: 0 })).to.deep.equal({ scale: DOUBLE_TAP_SCALE, tx: 0, ty: 0 });
  });

  it('isZoomed ignores float noise around 1', () => {
    expect(isZoomed({ scale: 1 })).to.equal(false);
    expect(isZoomed({ scale: 1.005 })).to.equal(false);
    expect(isZoomed({ scale: 1.2 })).to.equal(true);
  });

  it('wheel: down zooms out, up zooms in, proportionally', () => {
    expect(wheelScale(2, 0)).to.equal(2);
    expect(wheelScale(2, -10)).to.be.greaterThan(2);
    expect(wheelScale(2, 10)).to.be.lessThan(2);
    close(wheelScale(wheelScale(2, 37), -37), 2);
  });

  it('keyboard −: one step out, or straight back to fitted', () => {
    const out = zoomOutStep({ scale: 3, tx: 30, ty: 15 });
    close(out.scale, 2);
    expect(zoomOutStep({ scale: 1.4, tx: 30, ty: 15 })).to.deep.equal({ scale: 1, tx: 0, ty: 0 });
  });

  it('asks for the large image only when the shown one has too few pixels', () => {
    // 640-px rendition shown 390 px wide on a 2× screen: 780 device px at 1× already → needed.
    expect(needsLarger(640, 390, 1, 2)).to.equal(true);
    expect(needsLarger(640, 390, 1.5, 1)).to.equal(false);
    expect(needsLarger(640, 390, 2.5, 1)).to.equal(true);
    expect(needsLarger(1600, 390, 4, 1)).to.equal(false);
  });
});
