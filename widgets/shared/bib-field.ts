import { css, html, nothing, type TemplateResult } from 'lit';
import { BIB_MAX_LENGTH, bibProblem, normaliseBib } from '../../core/bib.ts';
import { icons } from './icons.ts';

/**
 * The BIB field of pf-bib-search and pf-certificate: one form (label, text field, optional clear button inside
 * the field, submit button, hint or validation message), its styles and its validation text. Each element
 * passes its own strings (its own i18n ids) and element ids; the parts are the same in both:
 * `form`, `label`, `search-input`, `clear`, `search-button`, `problem`.
 */

/** The validation messages, in the caller's words (called in the caller's locale). */
export interface BibProblemMessages {
  empty(): string;
  long(max: number): string;
  chars(): string;
}

/** Why `raw` cannot be searched (empty, too long, characters other than letters and digits), or null. */
export function bibProblemText(raw: string, m: BibProblemMessages): string | null {
  if (!bibProblem(raw)) return null;
  const n = normaliseBib(raw);
  if (!n) return m.empty();
  if (n.length > BIB_MAX_LENGTH) return m.long(BIB_MAX_LENGTH);
  return m.chars();
}

export interface BibFieldOptions {
  /** Element ids inside the caller's shadow root: the input, the validation message, the hint. */
  ids: { input: string; problem: string; hint: string };
  /** What is typed (kept as typed, also after an error). */
  value: string;
  /** The validation message shown, or null (then the hint shows). */
  problem: string | null;
  /** Accessible name of the form. */
  formLabel: string;
  /** `search` for a search landmark. */
  role?: 'search';
  label: string;
  hint: string;
  submit: string;
  onSubmit(e: Event): void;
  onInput(e: Event): void;
  /** A "clear" button inside the field (shown when given). */
  clear?: { label: string; onClick(): void } | null;
}

/** The form. The caller's `@query('input')` (or `[part~=search-input]`) finds its field. */
export function bibField(o: BibFieldOptions): TemplateResult {
  return html`<form
    class="bib-form"
    part="form"
    role=${o.role ?? nothing}
    aria-label=${o.formLabel}
    novalidate
    @submit=${o.onSubmit}
  >
    <label for=${o.ids.input} part="label">${o.label}</label>
    <div class="row">
      <span class="field">
        <input
          class="text-input"
          id=${o.ids.input}
          part="search-input"
          name="bib"
          type="text"
          inputmode="text"
          autocomplete="off"
          autocapitalize="characters"
          spellcheck="false"
          enterkeyhint="search"
          maxlength="40"
          .value=${o.value}
          aria-invalid=${o.problem ? 'true' : 'false'}
          aria-describedby=${o.problem ? o.ids.problem : o.ids.hint}
          @input=${o.onInput}
        />
        ${
          o.clear
            ? html`<button
                class="clear"
                part="clear"
                type="button"
                aria-label=${o.clear.label}
                title=${o.clear.label}
                @click=${o.clear.onClick}
              >
                ${icons.close}
              </button>`
            : nothing
        }
      </span>
      <button class="btn primary" part="search-button" type="submit">${icons.search}${o.submit}</button>
    </div>
    ${
      o.problem
        ? html`<p id=${o.ids.problem} class="problem error" part="problem" role="alert">${o.problem}</p>`
        : html`<p id=${o.ids.hint} class="hint muted">${o.hint}</p>`
    }
  </form>`;
}

/** Styles of the BIB form (add them after PfElement.styles). */
export const bibFieldStyles = css`
  .bib-form {
    display: grid;
    gap: 0.35em;
    margin: 0 0 0.75em;
  }
  .bib-form label {
    font-weight: 600;
  }
  .bib-form .row {
    display: flex;
    gap: 0.5em;
    flex-wrap: wrap;
  }
  .bib-form .field {
    position: relative;
    display: flex;
    flex: 1 1 8em;
    min-width: 0;
  }
  .bib-form input {
    flex: 1;
    font-variant-numeric: tabular-nums;
    letter-spacing: 0.04em;
  }
  .bib-form .field:has(.clear) input {
    padding-right: 2.75em;
  }
  .bib-form .clear {
    position: absolute;
    top: 0;
    right: 0;
    width: 2.75em;
    height: 100%;
    display: grid;
    place-items: center;
    padding: 0;
    border: 0;
    border-radius: var(--pf-radius, 6px);
    background: transparent;
    color: var(--pf-color-text-muted, #555555);
    cursor: pointer;
  }
  .bib-form input[aria-invalid='true'] {
    border-color: var(--pf-color-danger, #b00020);
    border-width: 2px;
  }
  .bib-form .hint,
  .bib-form .problem {
    margin: 0;
    font-size: 0.9em;
  }
`;
