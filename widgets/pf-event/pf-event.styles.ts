import { css } from 'lit';

/** Styles of pf-event: a plain block around its widgets (the page password form's are in password.ts). */
export const eventStyles = css`
  slot[hidden] {
    display: none;
  }
`;
