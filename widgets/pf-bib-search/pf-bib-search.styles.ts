import { css } from 'lit';

/** Styles of pf-bib-search (the BIB field's own styles are in shared/bib-field.ts). */
export const bibSearchStyles = css`
  .summary {
    margin: 0.25em 0 0.5em;
    font-weight: 600;
  }
  .summary:empty {
    display: none;
  }
  pf-gallery::part(status) {
    display: none;
  }
  .empty p {
    margin: 0 0 0.5em;
  }
  .empty pf-timeline {
    margin-top: 1em;
  }
`;
