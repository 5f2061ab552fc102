import type { EntitlementSource } from '../services/entitlements.ts';
import type { Store } from '../store/types.ts';
import { hashToken } from './tokens.ts';

/**
 * Paid orders as an entitlement source: a download token unlocks the photos of its order while the order
 * is paid (a refund relocks them at once), and only in the order's own event.
 */
export class OrderEntitlements implements EntitlementSource {
  constructor(private readonly store: Store) {}

  async unlocked(event: { id: number }, imageIds: string[], orderToken: string): Promise<Set<string>> {
    if (!orderToken.startsWith('pfo_') || imageIds.length === 0) return new Set();
    return this.store.checkout.unlockedImages(event.id, hashToken(orderToken), imageIds);
  }

  /** The token's hash (what the store keeps): it names the order in a signed link without giving the token away. */
  grantOf(orderToken: string): string | null {
    return orderToken.startsWith('pfo_') ? hashToken(orderToken) : null;
  }

  async unlockedByGrant(event: { id: number }, imageIds: string[], grant: string): Promise<Set<string>> {
    if (!/^[0-9a-f]{64}$/.test(grant) || imageIds.length === 0) return new Set();
    return this.store.checkout.unlockedImages(event.id, grant, imageIds);
  }
}
