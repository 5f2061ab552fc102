import { css } from 'lit';

/** Styles of pf-event: a plain block around its widgets, and the page password form. */
export const eventStyles = css`
  slot[hidden] {
    display: none;
  }
  .password {
    display: grid;
    gap: 0.5em;
    max-width: 32em;
    padding: 1em;
    border: 1px solid var(--pf-color-border, #8a8a8a);
    border-radius: var(--pf-radius, 6px);
    background: var(--pf-color-surface, #f4f4f4);
  }
  .password .title {
    margin: 0;
    font-weight: 600;
  }
  .password .name,
  .password .hint,
  .password .error {
    margin: 0;
  }
  .password label {
    font-weight: 600;
  }
  .password .row {
    display: flex;
    gap: 0.5em;
    flex-wrap: wrap;
  }
  .password input {
    flex: 1 1 12em;
  }
`;
