import type { EventRow } from '../store/types.ts';

/**
 * Who may download which originals. Free-download events allow every photo; otherwise a photo must be
 * covered by a paid order (the composition root passes the checkout area's `OrderEntitlements` source).
 */
export interface EntitlementSource {
  /** The subset of `imageIds` that `orderToken` (a paid order's download token) unlocks. */
  unlocked(event: EventRow, imageIds: string[], orderToken: string): Promise<Set<string>>;
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
}
