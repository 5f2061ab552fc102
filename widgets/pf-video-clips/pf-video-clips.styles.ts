import { css } from 'lit';

/** Styles of pf-video-clips. */
export const videoClipsStyles = css`
  .clips {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(var(--pf-video-clip-min-width, 16em), 1fr));
    gap: 0.75em;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  figure {
    margin: 0;
    border: 1px solid var(--pf-color-border, #767676);
    border-radius: var(--pf-radius, 6px);
    background: var(--pf-color-surface, #ffffff);
    overflow: hidden;
  }
  video {
    display: block;
    width: 100%;
    aspect-ratio: 16 / 9;
    background: #000;
  }
  figcaption {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25em 0.75em;
    align-items: center;
    justify-content: space-between;
    padding: 0.5em 0.75em;
  }
  .pending {
    display: flex;
    gap: 0.5em;
    align-items: center;
  }
  .spinner {
    width: 1em;
    height: 1em;
    border: 2px solid currentColor;
    border-right-color: transparent;
    border-radius: 50%;
    animation: pf-spin 0.8s linear infinite;
  }
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation: none;
    }
  }
  @keyframes pf-spin {
    to {
      transform: rotate(360deg);
    }
  }
  h3 {
    margin: 0 0 0.5em;
    font-size: 1.05em;
  }
`;
