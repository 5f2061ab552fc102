// Unit tests of the lightbox gesture rules (widgets/pf-lightbox/gestures.ts) and of the controller driven by
// synthetic pointer events on a bare element (no lightbox, no server).
import { expect } from '@open-wc/testing';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import {
  classifyDrag,
  isDoubleTap,
  LightboxGestures,
  swipeOffset,
  swipeStep,
  type GestureTarget,
} from '../../../widgets/pf-lightbox/gestures.ts';
import { clampPan, IDENTITY, type Zoom } from '../../../widgets/pf-lightbox/zoom.ts';

describe('gesture rules', () => {
  it('a drag is a tap until it leaves the 10-px slop, then sideways = swipe, down = pull, up = nothing', () => {
    expect(classifyDrag(0, 0)).to.equal(null);
    expect(classifyDrag(10, -10)).to.equal(null);
    expect(classifyDrag(11, 3)).to.equal('swipe');
    expect(classifyDrag(-40, 20)).to.equal('swipe');
    expect(classifyDrag(5, 12)).to.equal('pull');
    expect(classifyDrag(5, -12)).to.equal('none');
  });

  it('a released swipe moves when far enough or flicked, else snaps back', () => {
    // Far: past 80 px (or a fifth of a narrow stage).
    expect(swipeStep(-81, 1000, 1000)).to.equal(1);
    expect(swipeStep(81, 1000, 1000)).to.equal(-1);
    expect(swipeStep(-79, 1000, 1000)).to.equal(0);
    expect(swipeStep(-61, 1000, 300)).to.equal(1);
    expect(swipeStep(-59, 1000, 300)).to.equal(0);
    // Flick: faster than 0.5 px/ms and past 30 px.
    expect(swipeStep(-40, 50, 1000)).to.equal(1);
    expect(swipeStep(40, 50, 1000)).to.equal(-1);
    expect(swipeStep(-25, 10, 1000)).to.equal(0);
    expect(swipeStep(-40, 200, 1000)).to.equal(0);
  });

  it('the track follows the finger, at a third past the ends', () => {
    expect(swipeOffset(-90, false)).to.equal(-90);
    expect(swipeOffset(90, true)).to.equal(30);
  });

  it('two taps close in time and place are a double tap', () => {
    const first = { t: 1000, x: 100, y: 100 };
    expect(isDoubleTap(null, first)).to.equal(false);
    expect(isDoubleTap(first, { t: 1200, x: 110, y: 95 })).to.equal(true);
    expect(isDoubleTap(first, { t: 1400, x: 100, y: 100 })).to.equal(false);
    expect(isDoubleTap(first, { t: 1100, x: 140, y: 100 })).to.equal(false);
  });
});

/** A stage element and a target that records what the gestures asked for. */
function rig(count = 5, index = 2) {
  const stage = document.createElement('div');
  Object.assign(stage.style, { position: 'fixed', left: '0', top: '0', width: '400px', height: '600px' });
  const track = document.createElement('div');
  stage.append(track);
  document.body.append(stage);
  const state = { zoom: { ...IDENTITY } as Zoom, index, steps: [] as number[], closed: 0, toggles: 0 };
  const fitted = { w: 400, h: 267 };
  const size = { w: 400, h: 600 };
  const target: GestureTarget = {
    stage: () => stage,
    track: () => track,
    stageWidth: () => 400,
    zoom: () => state.zoom,
    setZoom: (z) => (state.zoom = clampPan(z, fitted, size)),
    resetZoom: () => (state.zoom = { ...IDENTITY }),
    toggleZoom: () => state.toggles++,
    canStep: (dir) => state.index + dir >= 0 && state.index + dir < count,
    step: (dir) => {
      state.index += dir;
      state.steps.push(dir);
    },
    close: () => state.closed++,
  };
  const host: ReactiveControllerHost = {
    addController: (_c: ReactiveController) => undefined,
    removeController: () => undefined,
    requestUpdate: () => undefined,
    updateComplete: Promise.resolve(true),
  };
  const g = new LightboxGestures(host, target);
  const ev = (type: string, id: number, x: number, y: number) =>
    new PointerEvent(type, { pointerId: id, pointerType: 'touch', clientX: x, clientY: y, bubbles: true });
  const down = (id: number, x: number, y: number) =>
    g.onPointerDown(Object.defineProperty(ev('pointerdown', id, x, y), 'target', { value: stage }));
  const move = (id: number, x: number, y: number) => g.onPointerMove(ev('pointermove', id, x, y));
  const up = (id: number, x: number, y: number) => g.onPointerUp(ev('pointerup', id, x, y));
  return { stage, track, state, g, down, move, up, done: () => stage.remove() };
}

describe('LightboxGestures', () => {
  // The slide animation waits for its transitionend (with reduced motion it steps at once): fire it when the
  // step has not happened yet.
  const stepped = (r: ReturnType<typeof rig>, n: number) => {
    if (r.state.steps.length < n) r.track.dispatchEvent(new Event('transitionend'));
  };

  it('a left swipe shows the next photo, a right swipe the previous one', () => {
    const r = rig();
    r.down(1, 300, 300);
    for (let x = 280; x >= 100; x -= 30) r.move(1, x, 300);
    expect(r.track.style.transform).to.match(/^translateX\(-\d+px\)$/);
    r.up(1, 100, 300);
    stepped(r, 1);
    expect(r.state.steps).to.deep.equal([1]);
    r.down(1, 100, 300);
    for (let x = 120; x <= 300; x += 30) r.move(1, x, 300);
    r.up(1, 300, 300);
    stepped(r, 2);
    expect(r.state.steps).to.deep.equal([1, -1]);
    r.done();
  });

  it('a swipe past the last photo snaps back without stepping', () => {
    const r = rig(3, 2);
    r.down(1, 300, 300);
    r.move(1, 250, 300);
    r.move(1, 100, 300);
    // Rubber band: a third of the 200-px drag.
    expect(r.track.style.transform).to.match(/^translateX\(-66\.6+\d*px\)$/);
    r.up(1, 100, 300);
    r.track.dispatchEvent(new Event('transitionend'));
    expect(r.state.steps).to.deep.equal([]);
    expect(r.track.style.transform).to.equal('');
    r.done();
  });

  it('a pull down closes past 100 px, and not before', () => {
    const r = rig();
    r.down(1, 200, 100);
    r.move(1, 202, 150);
    r.up(1, 202, 150);
    expect(r.state.closed).to.equal(0);
    r.down(1, 200, 100);
    r.move(1, 202, 150);
    r.move(1, 202, 260);
    expect(r.track.style.transform).to.equal('translateY(160px)');
    r.up(1, 202, 260);
    expect(r.state.closed).to.equal(1);
    expect(r.track.style.transform).to.equal('');
    r.done();
  });

  it('a double tap toggles the zoom; two far-apart taps do not', () => {
    const r = rig();
    r.down(1, 200, 300);
    r.up(1, 200, 300);
    r.down(1, 205, 302);
    r.up(1, 205, 302);
    expect(r.state.toggles).to.equal(1);
    r.down(1, 50, 50);
    r.up(1, 50, 50);
    r.down(1, 300, 500);
    r.up(1, 300, 500);
    expect(r.state.toggles).to.equal(1);
    r.done();
  });

  it('two fingers spreading zoom in; a pinch released near 1× snaps back to fitted', () => {
    const r = rig();
    r.down(1, 180, 300);
    r.down(2, 220, 300);
    r.move(1, 120, 300);
    r.move(2, 280, 300);
    expect(r.state.zoom.scale).to.equal(4); // 160 / 40, capped at MAX_SCALE
    r.up(1, 120, 300);
    r.up(2, 280, 300);
    expect(r.state.zoom.scale).to.equal(4);
    // A small pinch (×1.025) is released as fitted.
    r.state.zoom = { ...IDENTITY };
    r.down(1, 160, 300);
    r.down(2, 240, 300);
    r.move(2, 242, 300);
    expect(r.state.zoom.scale).to.be.closeTo(1.025, 1e-9);
    r.up(1, 160, 300);
    r.up(2, 242, 300);
    expect(r.state.zoom).to.deep.equal({ scale: 1, tx: 0, ty: 0 });
    r.done();
  });

  it('one finger pans a zoomed photo, within its bounds', () => {
    const r = rig();
    r.state.zoom = { scale: 2, tx: 0, ty: 0 };
    r.down(1, 200, 300);
    r.move(1, 260, 300);
    expect(r.state.zoom).to.deep.equal({ scale: 2, tx: 60, ty: 0 });
    r.move(1, 600, 300);
    // Bounded by half the overhang: (400 × 2 − 400) / 2.
    expect(r.state.zoom.tx).to.equal(200);
    r.up(1, 600, 300);
    expect(r.state.steps).to.deep.equal([]);
    r.done();
  });
});
