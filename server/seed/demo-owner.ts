import { randomBytes } from 'node:crypto';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import type { Store } from '../store/types.ts';

export const DEMO_OWNER_EMAIL = 'owner@demo.example';

/**
 * The demo organisation's console owner (`npm start` prints the email and password next to the demo keys; they are
 * kept in data/demo.json like the keys). Created once; an existing one keeps its password unless it no longer
 * matches what demo.json says (someone changed it in the console), in which case the new one is not known: the
 * answer then has no password.
 */
export async function ensureDemoOwner(
  store: Store,
  orgId: number,
  known: { email?: string; password?: string },
): Promise<{ owner_email: string; owner_password?: string }> {
  const email = known.email ?? DEMO_OWNER_EMAIL;
  const existing = await store.auth.findUserByEmail(email);
  if (existing) {
    if (!(await store.auth.getMembership(orgId, existing.id)))
      await store.auth.putMembership({ org_id: orgId, user_id: existing.id, role: 'owner', event_ids: null });
    const still = known.password && (await verifyPassword(existing.password_hash, known.password));
    return still ? { owner_email: email, owner_password: known.password! } : { owner_email: email };
  }
  const password = `demo-${randomBytes(9).toString('base64url')}`;
  const user = await store.auth.createUser({ email, name: 'Demo owner', password_hash: await hashPassword(password) });
  await store.auth.putMembership({ org_id: orgId, user_id: user.id, role: 'owner', event_ids: null });
  return { owner_email: email, owner_password: password };
}
