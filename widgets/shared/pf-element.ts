import {
  LitElement,
  adoptStyles,
  supportsAdoptingStyleSheets,
  type CSSResult,
  type CSSResultGroup,
  type PropertyValues,
} from 'lit';
import {
  formatLocale,
  langOf,
  localeReady,
  notifyLocaleChange,
  onLocaleChange,
  pickLocale,
  withLocale,
} from '../i18n/localize.ts';
import { base } from './styles.ts';

/**
 * Base of every kit element: picks the element's language (its `lang`, an ancestor's, or the page's) for
 * `msg()` while it renders, re-renders when a language changes, and brings the shared base styles.
 */
export class PfElement extends LitElement {
  static override styles: CSSResultGroup = [base];

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang'];
  }

  /** Kit locale used for strings ('en', 'fr', …). */
  protected locale = 'en';
  /** BCP 47 tag used for numbers and dates (the viewer's region when the language matches). */
  protected formatTag = 'en';
  #unsubscribe: (() => void) | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#unsubscribe = onLocaleChange(() => this.requestUpdate());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (name === 'lang') {
      if (old !== value) notifyLocaleChange();
      return;
    }
    super.attributeChangedCallback(name, old, value);
  }

  /** A render in a language whose strings are still on their way waits for them (no flash of English). */
  protected override scheduleUpdate(): void | Promise<unknown> {
    const ready = localeReady(pickLocale(langOf(this)));
    return ready ? ready.then(() => super.scheduleUpdate()) : super.scheduleUpdate();
  }

  protected override update(changed: PropertyValues): void {
    const lang = langOf(this);
    this.locale = pickLocale(lang);
    this.formatTag = formatLocale(lang);
    withLocale(this.locale, () => super.update(changed));
  }

  /**
   * Adds styles that came with a part fetched later (pf-event's password form, a gallery's Call to Action) to the
   * shadow root, after the element's own: constructable stylesheets, CSP-safe like the others.
   */
  protected addStyles(...more: CSSResult[]): void {
    const root = this.renderRoot as ShadowRoot;
    adoptStyles(root, supportsAdoptingStyleSheets ? [...root.adoptedStyleSheets, ...more] : more);
  }

  /** Runs `fn` in this element's locale (for strings made outside render). */
  protected t<T>(fn: () => T): T {
    return withLocale(this.locale, fn);
  }
}
