import { noChange } from 'lit';
import { Directive, PartType, directive, type ElementPart, type PartInfo } from 'lit/directive.js';

/**
 * Sets inline CSS properties through the CSSOM (`el.style.setProperty`), never through the `style` attribute.
 * A strict Content-Security-Policy (`style-src 'self'`) blocks style attributes, and Lit's own `styleMap`
 * writes the attribute on its first render; CSSOM writes are allowed. Use in element position:
 * `<div ${cssomStyle({ top: '4px' })}>`.
 */
class CssomStyle extends Directive {
  private keys = new Set<string>();

  constructor(info: PartInfo) {
    super(info);
    if (info.type !== PartType.ELEMENT) throw new Error('cssomStyle() goes in element position: <div ${cssomStyle(…)}>');
  }

  render(_styles: Record<string, string>) {
    return noChange;
  }

  override update(part: ElementPart, [styles]: [Record<string, string>]) {
    const style = (part.element as HTMLElement).style;
    for (const k of this.keys) if (!(k in styles)) style.removeProperty(k);
    for (const [k, v] of Object.entries(styles)) if (style.getPropertyValue(k) !== v) style.setProperty(k, v);
    this.keys = new Set(Object.keys(styles));
    return noChange;
  }
}

export const cssomStyle = directive(CssomStyle);
