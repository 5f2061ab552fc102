import { css } from 'lit';

/** Styles of pf-finder: a row of tabs over one search at a time, and the name search. */
export const finderStyles = css`
  .tabs {
    display: flex;
    gap: 0.25em;
    border-bottom: 1px solid var(--pf-color-border, #767676);
    margin: 0 0 0.75em;
    overflow-x: auto;
  }
  .tab {
    min-height: 2.75em;
    padding: 0.5em 1em;
    border: 1px solid transparent;
    border-bottom: 0;
    border-radius: var(--pf-radius, 6px) var(--pf-radius, 6px) 0 0;
    background: transparent;
    color: var(--pf-color-text-muted, #555555);
    cursor: pointer;
    font-weight: 600;
    margin-bottom: -1px;
    white-space: nowrap;
  }
  .tab[aria-selected='true'] {
    color: var(--pf-color-text, #1a1a1a);
    background: var(--pf-color-bg, #ffffff);
    border-color: var(--pf-color-border, #767676);
    box-shadow: inset 0 3px 0 var(--pf-color-accent, #1a56db);
  }
  .panel[hidden] {
    display: none;
  }
  .panel:focus-visible {
    outline-offset: 4px;
  }
  .name-form {
    display: grid;
    gap: 0.35em;
    margin: 0 0 0.5em;
  }
  .name-form label {
    font-weight: 600;
  }
  .name-form .row {
    display: flex;
    gap: 0.5em;
    flex-wrap: wrap;
  }
  .name-form input {
    flex: 1 1 10em;
  }
  .name-form .hint,
  .status {
    margin: 0;
    font-size: 0.9em;
  }
  .status:empty {
    display: none;
  }
  .runners {
    list-style: none;
    margin: 0.5em 0;
    padding: 0;
    display: grid;
    gap: 0.35em;
  }
  .runner {
    width: 100%;
    justify-content: space-between;
    text-align: start;
  }
  .runner[aria-pressed='true'] {
    border-color: var(--pf-color-accent, #1a56db);
    box-shadow: inset 3px 0 0 var(--pf-color-accent, #1a56db);
  }
  .runner-name {
    font-weight: 600;
  }
  .summary {
    margin: 0.5em 0;
    font-weight: 600;
  }
  pf-gallery::part(status) {
    display: none;
  }
`;
