import type { Store } from '../store/types.ts';

export const CREDITS_DEMO_ORG = 'Demo Timing Co';
/** Free Credits the metered demo organisation starts with. */
export const CREDITS_DEMO_FREE = 200;

/**
 * The metered side of the demo (issue 13, docs/credits.md): besides the unlimited demo organisation, "Demo Timing Co"
 * on Pay As You Go with 200 Free Credits, whose owner is the demo owner (the console's organisation switcher shows
 * it; its Credits page buys credits through the test gateway). The demo owner is also a server operator. Idempotent:
 * an existing organisation keeps its plan and ledger.
 */
export async function ensureCreditsDemo(store: Store, ownerEmail: string | undefined): Promise<number> {
  const orgs = await store.orgs.list();
  let org = orgs.find((o) => o.name === CREDITS_DEMO_ORG);
  if (!org) {
    org = await store.orgs.create(CREDITS_DEMO_ORG);
    await store.credits.updateAccount(org.id, { plan: 'payg' });
  }
  await store.credits.append({
    org_id: org.id,
    type: 'free_credits',
    delta: CREDITS_DEMO_FREE,
    note: 'Demo free credits',
    idem_key: `demo:free-credits:${org.id}`,
  });
  const owner = ownerEmail ? await store.auth.findUserByEmail(ownerEmail) : null;
  if (owner) {
    if (!(await store.auth.getMembership(org.id, owner.id)))
      await store.auth.putMembership({ org_id: org.id, user_id: owner.id, role: 'owner', event_ids: null });
    await store.credits.addOperator(owner.id);
  }
  return org.id;
}
