import { css } from 'lit';

/** Styles of pf-selfie-search: consent, picker, preview, progress and results. */
export const selfieStyles = css`
  .consent {
    margin: 0 0 0.75em;
  }
  .consent p {
    margin: 0 0 0.5em;
  }
  .check {
    display: flex;
    gap: 0.5em;
    align-items: flex-start;
    font-weight: 600;
  }
  .check input {
    width: 1.25em;
    height: 1.25em;
    margin-top: 0.15em;
    flex: none;
  }
  .actions {
    display: flex;
    gap: 0.5em;
    flex-wrap: wrap;
    margin: 0.5em 0;
  }
  .tips {
    margin: 0.25em 0 0.5em;
    font-size: 0.9em;
  }
  .progress {
    display: grid;
    gap: 0.35em;
    margin: 0.5em 0;
  }
  progress {
    width: 100%;
    max-width: 24em;
    height: 0.6em;
    accent-color: var(--pf-color-accent, #1a56db);
  }
  .preview {
    display: flex;
    gap: 1em;
    align-items: center;
    flex-wrap: wrap;
    margin: 0.5em 0;
  }
  .preview img {
    width: var(--pf-selfie-preview-size, 112px);
    height: var(--pf-selfie-preview-size, 112px);
    border-radius: var(--pf-radius, 6px);
    border: 1px solid var(--pf-color-border, #767676);
    image-rendering: auto;
  }
  .preview p {
    margin: 0 0 0.5em;
  }
  .summary {
    margin: 0.5em 0;
    font-weight: 600;
  }
  .request {
    display: flex;
    gap: 0.5em;
    align-items: center;
    flex-wrap: wrap;
    margin: 0 0 0.75em;
    font-size: 0.9em;
  }
  .request code {
    font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
    overflow-wrap: anywhere;
  }
  .request .btn {
    min-height: 2.25em;
    padding: 0.25em 0.75em;
  }
  input[type='file'] {
    display: none;
  }
  pf-gallery::part(status) {
    display: none;
  }
`;
