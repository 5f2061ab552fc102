import { css } from 'lit';

/** Styles of the Credits area's pages: figures, badges, signed numbers, the table toolbars, the purchase steps. */
export const creditsStyles = css`
  dl.figures {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr));
    gap: 0.75rem;
    margin: 0 0 1rem;
  }
  dl.figures > div {
    border: 1px solid var(--pf-color-border, #767676);
    border-radius: var(--pf-radius, 6px);
    padding: 0.5rem 0.75rem;
  }
  dl.figures dt {
    color: var(--pf-color-text-muted, #555);
  }
  dl.figures dd {
    margin: 0;
    font-size: 1.5rem;
    font-variant-numeric: tabular-nums;
  }
  .badge {
    display: inline-block;
    padding: 0 0.5rem;
    border-radius: 999px;
    border: 1px solid var(--pf-color-border, #767676);
    font-size: 0.85rem;
    white-space: nowrap;
    background: var(--pf-color-surface, #fff);
    color: var(--pf-color-text, #1a1a1a);
  }
  .badge.ok {
    border-color: #1e7b34;
    background: #e7f4ea;
    color: #12491f;
  }
  .badge.warn {
    border-color: #8a5a00;
    background: #fff4dc;
    color: #5c3c00;
  }
  .badge.bad {
    border-color: #b00020;
    background: #fde8eb;
    color: #7a0016;
  }
  td.neg {
    color: var(--pf-color-danger, #b00020);
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem 1rem;
    align-items: end;
    margin: 0 0 0.75rem;
  }
  .toolbar .field {
    margin: 0;
    max-width: 16rem;
  }
  ol.steps {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 1rem;
    list-style: none;
    padding: 0;
    margin: 0 0 1rem;
    counter-reset: none;
  }
  ol.steps li {
    padding: 0.25rem 0.5rem;
    border-bottom: 3px solid transparent;
  }
  ol.steps li[aria-current='step'] {
    font-weight: 700;
    border-bottom-color: var(--pf-color-accent, #1a56db);
  }
  ol.steps li.done {
    color: var(--pf-color-text-muted, #555);
  }
  button.link {
    background: none;
    border: 0;
    padding: 0;
    min-height: 2.75rem;
    color: var(--pf-color-accent, #1a56db);
    text-decoration: underline;
    cursor: pointer;
  }
  label.choice {
    display: flex;
    gap: 0.75rem;
    align-items: flex-start;
    padding: 0.5rem 0;
  }
  label.choice input {
    width: 1.25rem;
    height: 1.25rem;
    margin-top: 0.2rem;
    flex: none;
  }
  dl.review {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 0.25rem 1rem;
    max-width: 40rem;
  }
  dl.review > div {
    display: contents;
  }
  dl.review dt {
    color: var(--pf-color-text-muted, #555);
  }
  dl.review dd {
    margin: 0;
  }
  .locked {
    max-width: 40rem;
  }
`;
