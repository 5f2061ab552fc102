import { createHash, randomBytes } from 'node:crypto';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import type { Store } from '../store/types.ts';

export const DEMO_OWNER_EMAIL = 'owner@demo.example';

/**
 * What demo.json keeps to know, on a restart, that the owner's password is still the one it prints, without
 * hashing it (argon2 costs 19 MiB and tens of ms of CPU, on every `npm start`): the sha256 of the stored hash.
 * argon2 hashes are salted, so any change of password in the console (even back to the same password) stores a
 * new hash, and the stamp no longer matches.
 */
export const passwordStamp = (passwordHash: string) => createHash('sha256').update(passwordHash).digest('hex');

export interface DemoOwner {
  owner_email: string;
  /** Only while it is still the owner's password. */
  owner_password?: string;
  /** passwordStamp() of the owner's stored hash when owner_password was known to be current. */
  owner_password_stamp?: string;
}

/**
 * The demo organisation's console owner (`npm start` prints the email and password next to the demo keys; they are
 * kept in data/demo.json like the keys). Created once; an existing one keeps its password unless it no longer
 * matches what demo.json says (someone changed it in the console), in which case the new one is not known: the
 * answer then has no password. A restart compares the stored hash with demo.json's stamp (no argon2); a demo.json
 * written before the stamp existed is checked with argon2 once, and stamped.
 */
export async function ensureDemoOwner(
  store: Store,
  orgId: number,
  known: { email?: string; password?: string; stamp?: string },
): Promise<DemoOwner> {
  const email = known.email ?? DEMO_OWNER_EMAIL;
  const existing = await store.auth.findUserByEmail(email);
  if (existing) {
    if (!(await store.auth.getMembership(orgId, existing.id)))
      await store.auth.putMembership({ org_id: orgId, user_id: existing.id, role: 'owner', event_ids: null });
    if (!known.password) return { owner_email: email };
    const stamp = passwordStamp(existing.password_hash);
    const still = known.stamp ? known.stamp === stamp : await verifyPassword(existing.password_hash, known.password);
    return still ? { owner_email: email, owner_password: known.password, owner_password_stamp: stamp } : { owner_email: email };
  }
  const password = `demo-${randomBytes(9).toString('base64url')}`;
  const password_hash = await hashPassword(password);
  const user = await store.auth.createUser({ email, name: 'Demo owner', password_hash });
  await store.auth.putMembership({ org_id: orgId, user_id: user.id, role: 'owner', event_ids: null });
  return { owner_email: email, owner_password: password, owner_password_stamp: passwordStamp(password_hash) };
}
