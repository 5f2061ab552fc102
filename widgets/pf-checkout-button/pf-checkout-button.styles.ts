import { css } from 'lit';

export const checkoutStyles = css`
  .summary {
    margin: 0 0 0.5em;
  }
  .price {
    font-variant-numeric: tabular-nums;
  }
  .buy {
    width: 100%;
    max-width: 24em;
    font-weight: 600;
  }
  .status:empty {
    display: none;
  }
  .status {
    margin: 0.5em 0 0;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em;
  }
  .error {
    margin: 0.5em 0 0;
  }
  .downloads {
    border: 1px solid var(--pf-color-border, #767676);
    border-radius: var(--pf-radius, 6px);
    background: var(--pf-color-surface, #ffffff);
    padding: 0.75em 1em;
  }
  .downloads p {
    margin: 0 0 0.5em;
  }
  .title {
    font-weight: 700;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em;
    margin: 0.5em 0;
  }
  .small {
    font-size: 0.875em;
  }
  button.link {
    background: none;
    border: 0;
    padding: 0.25em 0;
    color: var(--pf-color-accent, #1a56db);
    text-decoration: underline;
    cursor: pointer;
    min-height: 2.75em;
  }
  .spinner {
    width: 1em;
    height: 1em;
    border: 2px solid currentColor;
    border-right-color: transparent;
    border-radius: 50%;
    animation: pf-spin 0.8s linear infinite;
  }
  @keyframes pf-spin {
    to {
      transform: rotate(360deg);
    }
  }
`;
