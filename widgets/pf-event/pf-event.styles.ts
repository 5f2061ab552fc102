import { css } from 'lit';

/** Styles of pf-event: a plain block around its widgets. */
export const eventStyles = css`
  :host {
    display: block;
  }
  :host([hidden]) {
    display: none;
  }
`;
