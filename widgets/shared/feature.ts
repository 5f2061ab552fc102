import { ORIGIN_REFUSED } from '../api/client.ts';
import { msg } from '../i18n/localize.ts';

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
