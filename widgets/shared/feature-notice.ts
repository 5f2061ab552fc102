import { html, nothing, type TemplateResult } from 'lit';
import type { FeatureFlag } from '../../core/api/models.ts';
import { msg } from '../i18n/localize.ts';
import type { EventContextValue } from './context.ts';
import { errorMessage, originRefused } from './feature.ts';

// The notices of feature-gated widgets (the searches, the timeline, certificates, video clips): a module apart from
// feature.ts, so that a gallery page (which needs only errorMessage) does not fetch them.

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
