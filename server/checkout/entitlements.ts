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
}
