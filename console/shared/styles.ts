import { css } from 'lit';

/** Styles every console element shares: type, forms, buttons, tables, messages. Colours are the kit's theme tokens. */
export const consoleStyles = css`
  :host {
    display: block;
    box-sizing: border-box;
    font-family: var(--pf-font-family, system-ui, sans-serif);
    font-size: var(--pf-font-size, 16px);
    line-height: 1.5;
    color: var(--pf-color-text, #1a1a1a);
  }
  :host([hidden]) {
    display: none !important;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  h1 {
    font-size: 1.5rem;
    margin: 0 0 1rem;
    line-height: 1.25;
  }
  h1:focus {
    outline: none;
  }
  h1:focus-visible {
    outline: var(--pf-focus-width, 3px) solid var(--pf-color-focus, #1a56db);
  }
  h2 {
    font-size: 1.2rem;
    margin: 1.5rem 0 0.75rem;
  }
  h3 {
    font-size: 1rem;
    margin: 1rem 0 0.5rem;
  }
  p {
    margin: 0 0 0.75rem;
  }
  a {
    color: var(--pf-color-accent, #1a56db);
  }
  .muted {
    color: var(--pf-color-text-muted, #555);
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
  }
  :focus-visible {
    outline: var(--pf-focus-width, 3px) solid var(--pf-color-focus, #1a56db);
    outline-offset: 2px;
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 0.25rem;
    margin: 0 0 1rem;
    max-width: 32rem;
  }
  .field label,
  .label {
    font-weight: 600;
  }
  .field .hint {
    font-size: 0.875rem;
    color: var(--pf-color-text-muted, #555);
  }
  input[type='text'],
  input[type='email'],
  input[type='password'],
  input[type='number'],
  input[type='date'],
  input[type='datetime-local'],
  input[type='url'],
  input[type='search'],
  select,
  textarea {
    min-height: 2.75rem;
    padding: 0.5rem 0.75rem;
    border: 1px solid var(--pf-color-border, #767676);
    border-radius: var(--pf-radius, 6px);
    background: var(--pf-color-surface, #fff);
    width: 100%;
  }
  input[aria-invalid='true'] {
    border-color: var(--pf-color-danger, #b00020);
    border-width: 2px;
  }
  input[type='file'] {
    max-width: 100%;
  }
  .check {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    min-height: 2.75rem;
  }
  .check input {
    width: 1.25rem;
    height: 1.25rem;
  }
  fieldset {
    border: 1px solid var(--pf-color-border, #767676);
    border-radius: var(--pf-radius, 6px);
    padding: 0.75rem 1rem;
    margin: 0 0 1rem;
    max-width: 40rem;
  }
  legend {
    font-weight: 600;
    padding: 0 0.25rem;
  }
  .btn {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.4rem;
    min-height: 2.75rem;
    padding: 0.5rem 1rem;
    border: 1px solid var(--pf-color-border, #767676);
    border-radius: var(--pf-radius, 6px);
    background: var(--pf-color-surface, #fff);
    cursor: pointer;
    text-decoration: none;
    color: inherit;
  }
  .btn:hover {
    background: var(--pf-color-surface-hover, rgba(26, 86, 219, 0.1));
  }
  .btn[disabled] {
    opacity: 0.6;
    cursor: not-allowed;
  }
  .btn.primary {
    background: var(--pf-color-accent, #1a56db);
    border-color: var(--pf-color-accent, #1a56db);
    color: var(--pf-color-accent-text, #fff);
  }
  .btn.danger {
    border-color: var(--pf-color-danger, #b00020);
    color: var(--pf-color-danger, #b00020);
  }
  .btn.small {
    min-height: 2.25rem;
    padding: 0.25rem 0.6rem;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  .error {
    color: var(--pf-color-danger, #b00020);
    border-left: 4px solid var(--pf-color-danger, #b00020);
    padding: 0.5rem 0.75rem;
    margin: 0 0 1rem;
    background: var(--pf-color-surface, #fff);
  }
  .field-error {
    color: var(--pf-color-danger, #b00020);
    font-size: 0.9rem;
    margin: 0;
  }
  .notice {
    border-left: 4px solid var(--pf-color-accent, #1a56db);
    padding: 0.5rem 0.75rem;
    margin: 0 0 1rem;
  }
  .table-wrap {
    overflow-x: auto;
    max-width: 100%;
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  th,
  td {
    text-align: start;
    padding: 0.5rem;
    border-bottom: 1px solid var(--pf-color-border, #767676);
    vertical-align: middle;
  }
  td.num,
  th.num {
    text-align: end;
    font-variant-numeric: tabular-nums;
  }
  .card {
    border: 1px solid var(--pf-color-border, #767676);
    border-radius: var(--pf-radius, 6px);
    background: var(--pf-color-surface, #fff);
    padding: 1rem;
  }
  dialog {
    border: 1px solid var(--pf-color-border, #767676);
    border-radius: var(--pf-radius, 6px);
    background: var(--pf-color-surface, #fff);
    color: inherit;
    max-width: min(32rem, 92vw);
  }
  dialog::backdrop {
    background: rgba(0, 0, 0, 0.5);
  }
  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  code,
  pre {
    font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
    font-size: 0.9em;
  }
  pre {
    white-space: pre-wrap;
    word-break: break-all;
    padding: 0.75rem;
    border: 1px solid var(--pf-color-border, #767676);
    border-radius: var(--pf-radius, 6px);
    background: var(--pf-color-surface, #fff);
  }
  progress {
    width: 100%;
    height: 0.75rem;
  }
`;
