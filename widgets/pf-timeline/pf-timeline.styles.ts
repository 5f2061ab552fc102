import { css } from 'lit';

/** Styles of pf-timeline: day buttons, the hour bar chart and the chosen hour's gallery. */
export const timelineStyles = css`
  .days {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4em;
    margin: 0 0 0.5em;
  }
  .day[aria-pressed='true'] {
    background: var(--pf-color-accent, #1a56db);
    border-color: var(--pf-color-accent, #1a56db);
    color: var(--pf-color-accent-text, #ffffff);
  }
  .chart {
    display: flex;
    align-items: stretch;
    gap: 3px;
    height: var(--pf-timeline-height, 8em);
    overflow-x: auto;
    padding: 4px 2px 0;
    scrollbar-width: thin;
  }
  .col {
    position: relative;
    flex: 1 0 2.75em;
    max-width: 4.5em;
    display: grid;
    grid-template-rows: auto 1fr auto;
    justify-items: center;
    border-radius: var(--pf-radius, 6px) var(--pf-radius, 6px) 0 0;
    font-size: 0.85em;
    font-variant-numeric: tabular-nums;
  }
  .col:hover:not(.empty),
  .col.on {
    background: var(--pf-color-surface-hover, rgba(26, 86, 219, 0.1));
  }
  .col.empty {
    color: var(--pf-color-text-muted, #555555);
  }
  .bar {
    position: absolute;
    inset: 0;
    width: 100%;
    padding: 0;
    border: 0;
    border-radius: inherit;
    background: transparent;
    cursor: pointer;
  }
  .bar[disabled] {
    cursor: default;
  }
  .track {
    display: flex;
    align-items: end;
    width: 70%;
  }
  .fill {
    width: 100%;
    min-height: 2px;
    border-radius: 3px 3px 0 0;
    background: var(--pf-timeline-bar, var(--pf-color-accent, #1a56db));
    opacity: 0.75;
  }
  .col.on .fill {
    opacity: 1;
  }
  .col.empty .fill {
    background: var(--pf-color-border, #767676);
    opacity: 0.4;
  }
  .hour {
    padding: 0.15em 0;
    border-top: 1px solid var(--pf-color-border, #767676);
    width: 100%;
    text-align: center;
    white-space: nowrap;
  }
  .zone {
    margin: 0.35em 0 0;
    font-size: 0.85em;
  }
  .window {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.5em;
    margin: 0.9em 0 0.6em;
  }
  .window p {
    flex: 1 1 100%;
    margin: 0;
    font-weight: 600;
  }
  pf-gallery::part(status) {
    display: none;
  }
  @media (forced-colors: active) {
    .fill {
      background: CanvasText;
    }
    .col.on {
      outline: 2px solid Highlight;
    }
  }
`;
