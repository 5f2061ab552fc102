import { css } from 'lit';

/**
 * Shared base styles. The host page's CSS cannot reach inside the shadow root, but inherited properties
 * (font, line-height, letter-spacing, text-transform…) flow in through the host element, and a CMS may force
 * them with `!important`. So every element renders one wrapper, `.root` (part "base"), that sets them all
 * again from `--pf-*` tokens; nothing inside depends on the page's values.
 *
 * Tokens (all optional; defaults are a light theme that passes WCAG AA on white):
 * --pf-font-family, --pf-font-size, --pf-color-text, --pf-color-text-muted, --pf-color-bg, --pf-color-surface,
 * --pf-color-border, --pf-color-accent, --pf-color-accent-text, --pf-color-focus, --pf-color-danger,
 * --pf-color-placeholder, --pf-radius, --pf-focus-width.
 *
 * What a gallery page does not show at first (text fields, primary buttons, icons, "download all", the Call to
 * Action) is in `controls.styles.ts`: the elements that show them add it, and `PfElement.addStyles` adopts it
 * when a lazily loaded part (pf-event's password form, a gallery's Call to Action) needs it.
 */
export const base = css`
  :host {
    display: block;
    box-sizing: border-box;
  }
  :host([hidden]) {
    display: none !important;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  .root {
    font-family: var(--pf-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    font-size: var(--pf-font-size, max(1rem, 16px));
    font-weight: 400;
    font-style: normal;
    line-height: 1.5;
    letter-spacing: normal;
    word-spacing: normal;
    text-transform: none;
    text-align: start;
    text-indent: 0;
    text-shadow: none;
    white-space: normal;
    color: var(--pf-color-text, #1a1a1a);
    background: var(--pf-color-bg, transparent);
    cursor: auto;
    visibility: visible;
  }
  button,
  input,
  select {
    font: inherit;
    letter-spacing: inherit;
    text-transform: none;
    color: inherit;
    margin: 0;
  }
  .btn {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.4em;
    min-height: 2.75em;
    min-width: 2.75em;
    padding: 0.5em 1em;
    border-radius: var(--pf-radius, 6px);
    border: 1px solid var(--pf-color-border, #767676);
    background: var(--pf-color-surface, #ffffff);
    color: var(--pf-color-text, #1a1a1a);
    cursor: pointer;
    line-height: 1.2;
    text-decoration: none;
  }
  .btn:hover {
    border-color: var(--pf-color-text, #1a1a1a);
  }
  .btn[disabled] {
    cursor: default;
    opacity: 0.6;
  }
  :focus-visible {
    outline: var(--pf-focus-width, 3px) solid var(--pf-color-focus, #1a56db);
    outline-offset: 2px;
  }
  .muted {
    color: var(--pf-color-text-muted, #555555);
  }
  .error {
    color: var(--pf-color-danger, #b00020);
  }
  .notice {
    margin: 0.5em 0;
    padding: 0.75em 1em;
    border-radius: var(--pf-radius, 6px);
    border: 1px solid var(--pf-color-border, #767676);
    background: var(--pf-color-surface, #ffffff);
  }
  .sr-only {
    position: absolute !important;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      transition-duration: 0s !important;
      animation-duration: 0s !important;
      animation-iteration-count: 1 !important;
    }
  }
  @media (forced-colors: active) {
    .btn {
      border-color: ButtonText;
    }
    :focus-visible {
      outline-color: Highlight;
    }
  }
`;
