/**
 * Locks the page's scrolling while a full-screen viewer is open. A modal `<dialog>` makes the page inert but
 * not still: Firefox keeps the page's scrollbar beside the viewer (a wheel or a drag there scrolls the page),
 * and PageDown or Space on the open viewer scroll the page behind it in Firefox and WebKit. While locked, the
 * root element has `overflow: hidden` (set through the CSSOM, so a strict CSP allows it, and `!important`, so
 * a theme's `html { overflow-y: scroll }` does not win), and the width the scrollbar took is added to its right
 * padding so nothing behind the viewer moves. The scroll position is kept; unlocking restores the page's own
 * inline values.
 *
 * The count of locks is shared through a global symbol, so two viewers (or two copies of the kit on one
 * page) lock and unlock the page once between them.
 */
interface LockState {
  count: number;
  saved: { overflow: [string, string]; paddingRight: [string, string] } | null;
}

const KEY = Symbol.for('photo-finish.scroll-lock');

function state(): LockState {
  const g = globalThis as typeof globalThis & { [KEY]?: LockState };
  return (g[KEY] ??= { count: 0, saved: null });
}

const read = (s: CSSStyleDeclaration, p: string): [string, string] => [s.getPropertyValue(p), s.getPropertyPriority(p)];
const write = (s: CSSStyleDeclaration, p: string, [value, priority]: [string, string]) =>
  value ? s.setProperty(p, value, priority) : s.removeProperty(p);

/** Locks the page's scrolling; returns the unlock function (calling it more than once does nothing). */
export function lockPageScroll(): () => void {
  const st = state();
  const root = document.documentElement;
  if (st.count++ === 0) {
    const scrollbar = Math.max(0, innerWidth - root.clientWidth);
    st.saved = { overflow: read(root.style, 'overflow'), paddingRight: read(root.style, 'padding-right') };
    const padding = parseFloat(getComputedStyle(root).paddingRight) || 0;
    root.style.setProperty('overflow', 'hidden', 'important');
    if (scrollbar > 0) root.style.setProperty('padding-right', `${padding + scrollbar}px`, 'important');
  }
  let unlocked = false;
  return () => {
    if (unlocked) return;
    unlocked = true;
    if (--st.count > 0 || !st.saved) return;
    write(root.style, 'overflow', st.saved.overflow);
    write(root.style, 'padding-right', st.saved.paddingRight);
    st.saved = null;
  };
}

/** Whether the page's scrolling is locked now (for tests). */
export function pageScrollLocked(): boolean {
  return state().count > 0;
}
