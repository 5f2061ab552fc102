import { html, nothing, type TemplateResult } from 'lit';
import type { FeatureFlag } from '../../core/api/models.ts';
import { msg } from '../i18n/localize.ts';
import type { EventContextValue } from './context.ts';

export type FeatureState = 'connecting' | 'loading' | 'on' | 'off' | 'error';

/** Where a feature-gated widget stands: waiting for pf-event, for the details, or on/off for this event. */
export function featureState(value: EventContextValue | undefined, flag: FeatureFlag): FeatureState {
  if (!value) return 'connecting';
  if (value.error) return 'error';
  if (!value.details) return 'loading';
  return value.details[flag] ? 'on' : 'off';
}

/** The in-place notice for any state but 'on' (a message, and a retry when the details failed). */
export function featureNotice(
  value: EventContextValue | undefined,
  state: FeatureState,
  off: string,
): TemplateResult | typeof nothing {
  switch (state) {
    case 'on':
      return nothing;
    case 'connecting':
      return html`<p class="muted" part="status">${msg('Connecting to the photo server…', { id: 'common.connecting' })}</p>`;
    case 'loading':
      return html`<p class="muted" part="status">${msg('Loading…', { id: 'common.loading' })}</p>`;
    case 'off':
      return html`<p class="notice" part="unavailable">${off}</p>`;
    case 'error':
      return html`<div class="notice" part="error" role="alert">
        <p class="error">${errorMessage(value?.status ?? 0, value?.error ?? '')}</p>
        <button class="btn" part="retry" @click=${() => value?.reload?.()}>${msg('Try again', { id: 'common.retry' })}</button>
      </div>`;
  }
}

/** A failure as shown to the user: our own words for network, rate-limit and server errors; else the server's. */
export function errorMessage(status: number, message: string): string {
  if (status === 0) return msg('The photo server could not be reached. Check your connection.', { id: 'common.offline' });
  if (status === 429) return msg('Too many requests right now. Wait a moment, then try again.', { id: 'common.busy' });
  if (status >= 500) return msg('The photo server had a problem. Try again in a moment.', { id: 'common.server-error' });
  return message;
}
