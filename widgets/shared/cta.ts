import { html, nothing, type TemplateResult } from 'lit';
import type { Cta } from '../../core/api/models.ts';
import type { EventContextValue, Participant } from './context.ts';
import { controlStyles } from './controls.styles.ts';

/**
 * The organiser's Call to Action (`cta` in the event's details): a link or button shown where the organiser
 * placed it (`gallery`: under a gallery; `lightbox`: in the photo viewer; `download`: next to the downloads),
 * its URL carrying the participant's context as 9Pic does: `ref` (the page's URL, Base64), `eventId`, and, when
 * the participant searched, `bibNumber` and `selfieRequestId`. Styles: `.cta-row`, `.cta-link`, `.btn.primary` in
 * controls.styles.ts (`ctaStyles`: an element that loads this module later adopts them with it).
 */
export const ctaStyles = controlStyles;

/** The target URL with the participant's context appended, or null when the URL is not http(s). */
export function ctaHref(cta: Cta, eventId: number, participant: Partial<Participant> = {}, page = location.href): string | null {
  let url: URL;
  try {
    url = new URL(cta.url);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  let ref = '';
  try {
    ref = btoa(unescape(encodeURIComponent(page)));
  } catch {
    /* not encodable: leave ref out */
  }
  if (ref) url.searchParams.set('ref', ref);
  url.searchParams.set('eventId', String(eventId));
  if (participant.bib) url.searchParams.set('bibNumber', participant.bib);
  if (participant.selfie) url.searchParams.set('selfieRequestId', participant.selfie);
  return url.href;
}

/**
 * The Call to Action of `placement`, or nothing when the event has none there. `own` overrides the event-wide
 * participant with what this widget shows (a gallery of BIB 427's photos carries 427).
 */
export function renderCta(
  value: EventContextValue | undefined,
  placement: Cta['placement'],
  own: Partial<Participant> = {},
  part = 'cta',
): TemplateResult | typeof nothing {
  const d = value?.details;
  const cta = d?.cta;
  if (!d || !cta || cta.placement !== placement || !cta.text) return nothing;
  const href = ctaHref(cta, d.event_id, { ...value.participant, ...stripEmpty(own) });
  if (!href) return nothing;
  return html`<p class="cta-row">
    <a class=${cta.style === 'link' ? 'cta-link' : 'btn primary cta'} part=${part} href=${href} target="_blank" rel="noopener"
      >${cta.text}</a
    >
  </p>`;
}

function stripEmpty(p: Partial<Participant>): Partial<Participant> {
  const out: Partial<Participant> = {};
  if (p.bib) out.bib = p.bib;
  if (p.selfie) out.selfie = p.selfie;
  return out;
}
