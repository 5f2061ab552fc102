import { css } from 'lit';

/**
 * Styles of the controls a gallery page does not show at first (see `base` in styles.ts for the tokens): text
 * fields, primary buttons, icons, "download all" and the Call to Action. Elements that render them list
 * `controlStyles` after `PfElement.styles`; pf-event and pf-gallery adopt them with the part that needs them
 * (the password form, the Call to Action).
 */
export const controlStyles = css`
  /* A text field: a 44-px touch target, 16 px text so phones do not zoom in. */
  .text-input {
    width: 100%;
    min-width: 0;
    min-height: 2.75em;
    padding: 0.5em 0.75em;
    border-radius: var(--pf-radius, 6px);
    border: 1px solid var(--pf-color-border, #767676);
    background: var(--pf-color-surface, #ffffff);
    font-size: max(1em, 16px);
  }
  .btn.primary {
    background: var(--pf-color-accent, #1a56db);
    border-color: var(--pf-color-accent, #1a56db);
    color: var(--pf-color-accent-text, #ffffff);
  }
  .download-all {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.25em 0.75em;
    margin: 0.5em 0;
  }
  .download-all p {
    flex-basis: 100%;
    margin: 0;
  }
  .download-all p:empty {
    display: none;
  }
  .cta-row {
    margin: 0.5em 0;
  }
  .cta-link {
    color: var(--pf-color-accent, #1a56db);
    font-weight: 600;
    text-decoration: underline;
    text-underline-offset: 0.15em;
  }
  svg.icon {
    width: 1.25em;
    height: 1.25em;
    flex: none;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
`;
