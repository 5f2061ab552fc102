import { html, nothing, type TemplateResult } from 'lit';
import type { FeatureFlag } from '../../core/api/models.ts';
import { ORIGIN_REFUSED } from '../api/client.ts';
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
      // The page's site is not on the key's list: trying again cannot help, so no retry button.
      return html`<div class="notice" part="error" role="alert">
        <p class="error">${errorMessage(value?.status ?? 0, value?.error ?? '')}</p>
        ${
          originRefused(value?.status ?? 0, value?.error ?? '')
            ? nothing
            : html`<button class="btn" part="retry" @click=${() => value?.reload?.()}>
                ${msg('Try again', { id: 'common.retry' })}
              </button>`
        }
      </div>`;
  }
}

/** The server refused the page's site (the publishable key's list of allowed origins does not name it). */
export function originRefused(status: number, message: string): boolean {
  return status === 403 && ORIGIN_REFUSED.test(message);
}

/**
 * A failure as shown to the user: our own words for network, rate-limit, server and "site not allowed" errors;
 * else the server's.
 */
export function errorMessage(status: number, message: string): string {
  if (originRefused(status, message))
    return msg('This site is not allowed to show these photos.', { id: 'common.origin-refused' });
  if (status === 0) return msg('The photo server could not be reached. Check your connection.', { id: 'common.offline' });
  if (status === 429) return msg('Too many requests right now. Wait a moment, then try again.', { id: 'common.busy' });
  if (status >= 500) return msg('The photo server had a problem. Try again in a moment.', { id: 'common.server-error' });
  return message;
}
