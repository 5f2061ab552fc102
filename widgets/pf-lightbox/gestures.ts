import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { isZoomed, pinch, SNAP_BELOW, wheelScale, zoomAbout, type PinchStart, type Point, type Zoom } from './zoom.ts';

/** Space between two slides of the track, in px (the styles use it too). */
export const SLIDE_GAP = 16;
/** A pointer that moved less than this (px) is still a tap. */
export const TAP_SLOP = 10;
/** Two taps closer than this in time (ms) and place (px) are a double tap. */
export const DOUBLE_TAP_MS = 320;
export const DOUBLE_TAP_PX = 30;
/** A downward pull longer than this (px) closes the viewer. */
export const PULL_CLOSE_PX = 100;

/** What a one-finger drag that left the tap slop becomes: sideways = swipe, down = pull to close, up = nothing. */
export function classifyDrag(dx: number, dy: number): 'swipe' | 'pull' | 'none' | null {
  if (Math.abs(dx) <= TAP_SLOP && Math.abs(dy) <= TAP_SLOP) return null;
  return Math.abs(dx) > Math.abs(dy) ? 'swipe' : dy > 0 ? 'pull' : 'none';
}

/**
 * Where a released swipe goes: 1 = next photo (dragged left), -1 = previous, 0 = snap back. Far enough
 * (80 px or a fifth of the stage, whichever is less), or a flick (faster than 0.5 px/ms and past 30 px).
 */
export function swipeStep(dx: number, dtMs: number, stageWidth: number): -1 | 0 | 1 {
  const fast = Math.abs(dx) / Math.max(1, dtMs) > 0.5;
  const far = Math.abs(dx) > Math.min(80, stageWidth * 0.2);
  if (!far && !(fast && Math.abs(dx) > 30)) return 0;
  return dx < 0 ? 1 : -1;
}

/** The track's offset while swiping: a third of the drag past the first or last photo (rubber band). */
export const swipeOffset = (dx: number, atEdge: boolean): number => (atEdge ? dx / 3 : dx);

export interface Tap {
  t: number;
  x: number;
  y: number;
}

/** Whether `tap` completes a double tap begun by `last`. */
export const isDoubleTap = (last: Tap | null, tap: Tap): boolean =>
  !!last && tap.t - last.t < DOUBLE_TAP_MS && Math.hypot(tap.x - last.x, tap.y - last.y) < DOUBLE_TAP_PX;

/** What the gestures act on (the lightbox), as functions so that the element keeps them private. */
export interface GestureTarget {
  /** The element that receives the pointers (null before the first render). */
  stage(): HTMLElement | null;
  /** The strip of previous/current/next slides that follows a swipe or a pull. */
  track(): HTMLElement | null;
  /** Width of the stage in px. */
  stageWidth(): number;
  /** The current zoom. */
  zoom(): Zoom;
  /** Sets the zoom (the target clamps the pan and draws it). */
  setZoom(z: Zoom): void;
  /** Back to the fitted photo. */
  resetZoom(): void;
  /** Double tap / double click at `p` (stage-centre coordinates): zoom in there, or back out. */
  toggleZoom(p: Point): void;
  /** Whether there is a photo in that direction (1 = next). */
  canStep(dir: 1 | -1): boolean;
  /** Shows the photo in that direction (after the slide animation). */
  step(dir: 1 | -1): void;
  close(): void;
}

type Mode = 'none' | 'pending' | 'swipe' | 'pull' | 'pan' | 'pinch';

/**
 * Touch, pen and mouse gestures of the lightbox stage: swipe sideways to move (with the track following the
 * finger), pull down to close, pinch and double-tap to zoom, drag to pan a zoomed photo, double-click and
 * ctrl+wheel (trackpad pinch) to zoom, wheel to pan a zoomed photo. The maths is in zoom.ts; this class only
 * tracks pointers and turns them into calls on the host.
 *
 * The host binds `onPointerDown/Move/Up` and `onDblClick` on the stage in its template, and `onWheel` as a
 * non-passive listener (it calls preventDefault).
 */
export class LightboxGestures implements ReactiveController {
  private readonly pointers = new Map<number, Point>();
  private mode: Mode = 'none';
  private start = { x: 0, y: 0, t: 0, zoom: { scale: 1, tx: 0, ty: 0 } as Zoom };
  private pinchStart: PinchStart | null = null;
  private lastTap: Tap | null = null;
  private lastPointer = 'mouse';

  private readonly target: GestureTarget;

  constructor(host: ReactiveControllerHost, target: GestureTarget) {
    this.target = target;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.cancel();
  }

  /** Forgets the pointers (the viewer closed). */
  cancel(): void {
    this.pointers.clear();
    this.mode = 'none';
    this.pinchStart = null;
  }

  /** A point of the page in stage-centre coordinates. */
  centreOf(x: number, y: number): Point {
    const r = this.target.stage()!.getBoundingClientRect();
    return { x: x - r.left - r.width / 2, y: y - r.top - r.height / 2 };
  }

  private pinchFrom(a: Point, b: Point): PinchStart {
    return {
      zoom: { ...this.target.zoom() },
      mid: this.centreOf((a.x + b.x) / 2, (a.y + b.y) / 2),
      dist: Math.hypot(a.x - b.x, a.y - b.y) || 1,
    };
  }

  readonly onPointerDown = (e: PointerEvent): void => {
    const stage = this.target.stage();
    if (!stage || (e.pointerType === 'mouse' && e.button !== 0)) return;
    if ((e.target as HTMLElement).closest('button')) return;
    this.lastPointer = e.pointerType;
    try {
      stage.setPointerCapture(e.pointerId);
    } catch {
      /* a pointer that is already gone: follow it without capture */
    }
    this.pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    const pts = [...this.pointers.values()];
    if (pts.length === 2) {
      this.mode = 'pinch';
      const track = this.target.track();
      if (track) track.style.transform = '';
      this.pinchStart = this.pinchFrom(pts[0]!, pts[1]!);
    } else if (pts.length === 1) {
      this.mode = isZoomed(this.target.zoom()) ? 'pan' : 'pending';
      this.start = { x: e.clientX, y: e.clientY, t: performance.now(), zoom: { ...this.target.zoom() } };
    }
  };

  readonly onPointerMove = (e: PointerEvent): void => {
    if (!this.pointers.has(e.pointerId)) return;
    this.pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    const dx = e.clientX - this.start.x;
    const dy = e.clientY - this.start.y;
    const track = this.target.track();
    switch (this.mode) {
      case 'pinch': {
        const [a, b] = [...this.pointers.values()];
        if (!a || !b || !this.pinchStart) return;
        const mid = this.centreOf((a.x + b.x) / 2, (a.y + b.y) / 2);
        this.target.setZoom(pinch(this.pinchStart, mid, Math.hypot(a.x - b.x, a.y - b.y)));
        return;
      }
      case 'pan':
        this.target.setZoom({ ...this.start.zoom, tx: this.start.zoom.tx + dx, ty: this.start.zoom.ty + dy });
        return;
      case 'pending':
        this.mode = classifyDrag(dx, dy) ?? 'pending';
        return;
      case 'swipe':
        if (track) track.style.transform = `translateX(${swipeOffset(dx, !this.target.canStep(dx > 0 ? -1 : 1))}px)`;
        return;
      case 'pull':
        if (!track) return;
        track.style.transform = `translateY(${Math.max(0, dy)}px)`;
        track.style.opacity = String(Math.max(0.3, 1 - dy / 400));
        return;
    }
  };

  readonly onPointerUp = (e: PointerEvent): void => {
    if (!this.pointers.delete(e.pointerId)) return;
    const dx = e.clientX - this.start.x;
    const dy = e.clientY - this.start.y;
    const dt = performance.now() - this.start.t;
    const mode = this.mode;
    if (mode === 'pinch') {
      const rest = [...this.pointers.values()][0];
      if (rest) {
        this.mode = 'pan';
        this.start = { ...this.start, x: rest.x, y: rest.y, zoom: { ...this.target.zoom() } };
      } else this.mode = 'none';
      this.pinchStart = null;
      if (this.target.zoom().scale < SNAP_BELOW) this.target.resetZoom();
      return;
    }
    this.mode = 'none';
    const track = this.target.track();
    if (mode === 'swipe') {
      const dir = swipeStep(dx, dt, this.target.stageWidth());
      if (dir && this.target.canStep(dir)) this.slideTo(dir);
      else this.snapBack();
    } else if (mode === 'pull') {
      if (track) {
        track.style.transform = '';
        track.style.opacity = '';
      }
      if (dy > PULL_CLOSE_PX) this.target.close();
    } else if ((mode === 'pending' || (mode === 'pan' && Math.hypot(dx, dy) < TAP_SLOP)) && e.pointerType !== 'mouse') {
      // A tap: two of them close together in time and place are a double tap.
      const tap = { t: performance.now(), x: e.clientX, y: e.clientY };
      if (isDoubleTap(this.lastTap, tap)) {
        this.target.toggleZoom(this.centreOf(tap.x, tap.y));
        this.lastTap = null;
      } else this.lastTap = tap;
    }
  };

  readonly onDblClick = (e: MouseEvent): void => {
    if (this.lastPointer !== 'mouse' || (e.target as HTMLElement).closest('button')) return;
    this.target.toggleZoom(this.centreOf(e.clientX, e.clientY));
  };

  readonly onWheel = (e: WheelEvent): void => {
    e.preventDefault();
    const z = this.target.zoom();
    if (e.ctrlKey) this.target.setZoom(zoomAbout(z, this.centreOf(e.clientX, e.clientY), wheelScale(z.scale, e.deltaY)));
    else if (isZoomed(z)) this.target.setZoom({ ...z, tx: z.tx - e.deltaX, ty: z.ty - e.deltaY });
  };

  private reducedMotion(): boolean {
    return matchMedia('(prefers-reduced-motion: reduce)').matches;
  }

  /** Slides the track one photo over, then lets the host show that photo. */
  private slideTo(dir: 1 | -1): void {
    const track = this.target.track();
    if (!track || this.reducedMotion()) {
      if (track) track.style.transform = '';
      this.target.step(dir);
      return;
    }
    track.classList.add('animating');
    track.style.transform = `translateX(${-dir * (this.target.stageWidth() + SLIDE_GAP)}px)`;
    const done = () => {
      track.classList.remove('animating');
      track.style.transform = '';
      this.target.step(dir);
    };
    track.addEventListener('transitionend', done, { once: true });
  }

  private snapBack(): void {
    const track = this.target.track();
    if (!track) return;
    if (!this.reducedMotion()) {
      track.classList.add('animating');
      track.addEventListener('transitionend', () => track.classList.remove('animating'), { once: true });
    }
    track.style.transform = '';
  }
}
