import { css } from 'lit';

/** Styles of pf-certificate (the BIB form's are in shared/bib-field.ts). */
export const certificateStyles = css`
  .copy label {
    font-weight: 600;
  }
  .status {
    margin: 0 0 0.5em;
  }
  .status:empty {
    display: none;
  }
  figure {
    margin: 0 0 0.75em;
  }
  .frame {
    position: relative;
    width: 100%;
    max-width: var(--pf-certificate-max-width, 48em);
    border: 1px solid var(--pf-color-border, #767676);
    border-radius: var(--pf-radius, 6px);
    background: var(--pf-color-surface, #ffffff);
    overflow: hidden;
  }
  .frame img {
    display: block;
    width: 100%;
    height: auto;
  }
  .frame img.loading {
    visibility: hidden;
  }
  .frame .placeholder {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
    padding: 1em;
    text-align: center;
  }
  figcaption {
    margin: 0.5em 0 0;
  }
  .name {
    font-weight: 700;
  }
  dl {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25em 1.25em;
    margin: 0.25em 0 0;
  }
  dl div {
    display: flex;
    gap: 0.35em;
  }
  dt {
    color: var(--pf-color-text-muted, #555555);
  }
  dd {
    margin: 0;
    font-variant-numeric: tabular-nums;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em;
    margin: 0.5em 0;
  }
  .copy {
    display: grid;
    gap: 0.25em;
    margin: 0.5em 0;
  }
  .notice p {
    margin: 0 0 0.5em;
  }
  .notice p:last-child {
    margin-bottom: 0;
  }
`;
