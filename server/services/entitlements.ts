import type { EventRow } from '../store/types.ts';

/**
 * Who may download which originals. Free-download events allow every photo; otherwise a photo must be
 * covered by a paid order (the composition root passes the checkout area's `OrderEntitlements` source).
 */
export interface EntitlementSource {
  /** The subset of `imageIds` that `orderToken` (a paid order's download token) unlocks. */
  unlocked(event: EventRow, imageIds: string[], orderToken: string): Promise<Set<string>>;
  /**
   * A reference to what `orderToken` unlocks that may go into a signed link (never the token itself), so that the
   * link is checked again when used: a refund relocks it at once. Null: this source does not know the token.
   */
  grantOf?(orderToken: string): string | null;
  /** The subset of `imageIds` that a grant from `grantOf` unlocks now. */
  unlockedByGrant?(event: EventRow, imageIds: string[], grant: string): Promise<Set<string>>;
}

export class Entitlements {
  constructor(private readonly sources: readonly EntitlementSource[]) {}

  /** Returns the ids among `imageIds` that may be downloaded as originals. */
  async allowed(event: EventRow, imageIds: string[], orderToken: string | null): Promise<Set<string>> {
    if (event.free_downloads) return new Set(imageIds);
    const allowed = new Set<string>();
    if (!orderToken) return allowed;
    for (const s of this.sources) for (const id of await s.unlocked(event, imageIds, orderToken)) allowed.add(id);
    return allowed;
  }

  /** The grant a signed original link of a sold event carries (see `EntitlementSource.grantOf`). */
  grantOf(orderToken: string | null): string | null {
    if (!orderToken) return null;
    for (const s of this.sources) {
      const g = s.grantOf?.(orderToken);
      if (g) return g;
    }
    return null;
  }

  /** Whether a signed link's grant still unlocks the photo (free events: always). */
  async stillAllowed(event: EventRow, imageId: string, grant: string | null): Promise<boolean> {
    if (event.free_downloads) return true;
    if (!grant) return false;
    for (const s of this.sources) if ((await s.unlockedByGrant?.(event, [imageId], grant))?.has(imageId)) return true;
    return false;
  }
}
