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
  /** The root's own inline values, put back by the last unlock. */
  overflow: string;
  padding: string;
}

const KEY = Symbol.for('photo-finish.scroll-lock');

/** Locks the page's scrolling; returns the unlock function (calling it more than once does nothing). */
export function lockPageScroll(): () => void {
  const g = globalThis as typeof globalThis & { [KEY]?: LockState };
  const st = (g[KEY] ??= { count: 0, overflow: '', padding: '' });
  const root = document.documentElement;
  const style = root.style;
  if (st.count++ === 0) {
    const scrollbar = innerWidth - root.clientWidth;
    st.overflow = style.overflow;
    st.padding = style.paddingRight;
    if (scrollbar > 0)
      style.setProperty('padding-right', `${(parseFloat(getComputedStyle(root).paddingRight) || 0) + scrollbar}px`, 'important');
    style.setProperty('overflow', 'hidden', 'important');
  }
  let unlocked = false;
  return () => {
    if (unlocked) return;
    unlocked = true;
    if (--st.count > 0) return;
    style.overflow = st.overflow;
    style.paddingRight = st.padding;
  };
}
