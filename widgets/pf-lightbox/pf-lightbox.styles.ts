import { css } from 'lit';
import { SLIDE_GAP } from './gestures.ts';

/** Styles of pf-lightbox: a full-screen dialog, its bars, and the slide track the gestures move. */
export const lightboxStyles = css`
  :host {
    display: contents;
  }
  dialog.root {
    position: fixed;
    inset: 0;
    width: 100%;
    height: 100%;
    max-width: none;
    max-height: none;
    margin: 0;
    padding: 0;
    border: 0;
    overflow: hidden;
    overscroll-behavior: contain;
    background: var(--pf-color-lightbox-bg, #0b0b0c);
    color: var(--pf-color-lightbox-text, #f5f5f5);
    --pf-color-text: var(--pf-color-lightbox-text, #f5f5f5);
    --pf-color-focus: var(--pf-color-lightbox-focus, #8ab4ff);
  }
  dialog[open] {
    display: grid;
    grid-template-rows: auto 1fr auto;
  }
  dialog:focus {
    outline: none;
  }
  dialog::backdrop {
    background: rgba(0, 0, 0, 0.85);
  }
  .top {
    display: flex;
    align-items: center;
    gap: 0.5em;
    padding: 0.4em 0.5em;
    z-index: 2;
    background: var(--pf-color-lightbox-bar, rgba(11, 11, 12, 0.8));
  }
  .counter {
    margin: 0 auto 0 0.5em;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
  .tool {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.35em;
    min-width: 44px;
    min-height: 44px;
    padding: 0 0.6em;
    border: 0;
    border-radius: var(--pf-radius, 6px);
    background: transparent;
    color: inherit;
    cursor: pointer;
  }
  .tool:hover,
  .tool[aria-pressed='true'] {
    background: rgba(255, 255, 255, 0.16);
  }
  .tool .text {
    font-size: 0.9em;
  }
  @media (max-width: 640px) {
    .tool .text {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
    }
  }
  .stage {
    position: relative;
    overflow: hidden;
    touch-action: none;
    user-select: none;
    -webkit-user-select: none;
  }
  .track {
    position: absolute;
    inset: 0;
    will-change: transform;
  }
  .track.animating {
    transition: transform 0.22s ease-out;
  }
  .slide {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
  }
  .slide.prev {
    transform: translateX(calc(-100% - ${SLIDE_GAP}px));
  }
  .slide.next {
    transform: translateX(calc(100% + ${SLIDE_GAP}px));
  }
  .zoom {
    position: absolute;
    inset: 0;
    transform-origin: 50% 50%;
  }
  .zoom img {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    max-width: none;
    object-fit: contain;
    -webkit-user-drag: none;
  }
  .stage.zoomable {
    cursor: zoom-in;
  }
  .stage.zoomed {
    cursor: grab;
  }
  .loading {
    color: var(--pf-color-lightbox-text, #f5f5f5);
  }
  .nav {
    position: absolute;
    top: 50%;
    z-index: 2;
    transform: translateY(-50%);
    width: 48px;
    height: 64px;
    border: 0;
    border-radius: var(--pf-radius, 6px);
    background: rgba(11, 11, 12, 0.55);
    color: inherit;
    cursor: pointer;
    display: grid;
    place-items: center;
  }
  .nav.prev {
    left: 8px;
  }
  .nav.next {
    right: 8px;
  }
  .nav[hidden] {
    display: none;
  }
  @media (pointer: coarse) {
    .nav {
      display: none;
    }
  }
  .foot {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: center;
    gap: 0.5em 1em;
    min-height: 2.5em;
    padding: 0.4em 1em;
    z-index: 2;
    background: var(--pf-color-lightbox-bar, rgba(11, 11, 12, 0.8));
    text-align: center;
  }
  .foot p {
    margin: 0;
  }
  .foot .cta-link {
    color: inherit;
  }
  .foot .cta-row {
    margin: 0;
  }
  .foot .bad {
    color: var(--pf-color-lightbox-danger, #ffb4ab);
  }
  .foot input {
    width: min(100%, 32em);
    padding: 0.4em;
    border-radius: var(--pf-radius, 6px);
    border: 1px solid #8a8a8a;
    background: #1b1b1d;
  }
`;
