import { css } from 'lit';

export const galleryStyles = css`
  .canvas {
    position: relative;
    overflow-anchor: none;
    contain: layout style;
    min-height: 1px;
  }
  .cell {
    position: absolute;
    /* Sized by the layout: the browser lays out and paints each cell on its own while scrolling. */
    contain: strict;
    border-radius: var(--pf-radius, 6px);
    overflow: hidden;
    background: var(--pf-color-placeholder, #e4e4e7);
  }
  .cell.ph {
    background: linear-gradient(
      100deg,
      var(--pf-color-placeholder, #e4e4e7) 40%,
      var(--pf-color-placeholder-shine, #efeff1) 50%,
      var(--pf-color-placeholder, #e4e4e7) 60%
    );
    background-size: 300% 100%;
    animation: pf-shine 1.4s linear infinite;
  }
  @keyframes pf-shine {
    from {
      background-position: 100% 0;
    }
    to {
      background-position: 0 0;
    }
  }
  button.photo {
    display: block;
    width: 100%;
    height: 100%;
    padding: 0;
    border: 0;
    margin: 0;
    background: none;
    cursor: zoom-in;
    border-radius: inherit;
  }
  button.photo:focus-visible {
    outline-offset: -3px;
  }
  .cell:has(button.photo:focus-visible) {
    overflow: visible;
  }
  img {
    display: block;
    width: 100%;
    height: 100%;
    max-width: none;
    object-fit: cover;
    border-radius: inherit;
    opacity: 0;
    transition: opacity 0.25s ease;
  }
  img.ready {
    opacity: 1;
  }
  .badge,
  .hide {
    position: absolute;
    right: 6px;
    border-radius: 999px;
    font-size: 0.8em;
    font-weight: 600;
    background: var(--pf-color-badge-bg, rgba(0, 0, 0, 0.72));
    color: var(--pf-color-badge-text, #ffffff);
  }
  .badge {
    bottom: 6px;
    padding: 0.1em 0.5em;
    pointer-events: none;
  }
  .badge.why {
    right: auto;
    left: 6px;
  }
  .select {
    position: absolute;
    top: 4px;
    left: 4px;
    width: 44px;
    height: 44px;
    display: grid;
    place-items: center;
    cursor: pointer;
  }
  .select input {
    width: 22px;
    height: 22px;
    margin: 0;
    accent-color: var(--pf-color-accent, #1a56db);
    cursor: pointer;
  }
  .cell.selected {
    outline: 3px solid var(--pf-color-accent, #1a56db);
    outline-offset: -3px;
  }
  .hide {
    top: 6px;
    min-height: 32px;
    padding: 0.2em 0.7em;
    border: 0;
    cursor: pointer;
  }
  .bar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em 1em;
    margin: 0.75em 0 0;
  }
  .status:empty {
    display: none;
  }
  .status {
    margin: 0;
  }
  @media (prefers-reduced-motion: reduce) {
    .cell.ph {
      animation: none;
    }
  }
  @media (forced-colors: active) {
    .cell {
      border: 1px solid CanvasText;
    }
  }
`;
