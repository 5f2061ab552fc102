import { svg } from 'lit';

/** Stroke icons (24×24 grid), decorative: the buttons that hold them carry the accessible name. */
const icon = (body: ReturnType<typeof svg>) =>
  svg`<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">${body}</svg>`;

export const icons = {
  close: icon(svg`<path d="M6 6l12 12M18 6L6 18"/>`),
  prev: icon(svg`<path d="M15 5l-7 7 7 7"/>`),
  next: icon(svg`<path d="M9 5l7 7-7 7"/>`),
  download: icon(svg`<path d="M12 4v11m-5-5l5 5 5-5M5 20h14"/>`),
  share: icon(svg`<path d="M12 15V4m-4 4l4-4 4 4M6 12v7a1 1 0 001 1h10a1 1 0 001-1v-7"/>`),
  zoomIn: icon(svg`<circle cx="11" cy="11" r="7"/><path d="M11 8v6M8 11h6M20 20l-4-4"/>`),
  zoomOut: icon(svg`<circle cx="11" cy="11" r="7"/><path d="M8 11h6M20 20l-4-4"/>`),
  check: icon(svg`<path d="M5 12l5 5 9-10"/>`),
  hide: icon(svg`<circle cx="12" cy="12" r="8"/><path d="M6.5 17.5l11-11"/>`),
  search: icon(svg`<circle cx="11" cy="11" r="7"/><path d="M20 20l-4-4"/>`),
  clock: icon(svg`<circle cx="12" cy="12" r="8"/><path d="M12 8v4l3 2"/>`),
};
