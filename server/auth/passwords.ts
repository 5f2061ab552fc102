import type * as Argon2 from '@node-rs/argon2';

/**
 * Passwords as argon2id hashes (PHC strings, `$argon2id$v=19$m=19456,t=2,p=1$…`) through @node-rs/argon2, with
 * the library's defaults, which are the OWASP minimum for argon2id (19 MiB, 2 passes, 1 lane). The work runs
 * on libuv's thread pool, off the event loop. The native module loads with the first hash or check, not at start.
 */
let argon2: Promise<typeof Argon2> | null = null;
const lib = () => (argon2 ??= import('@node-rs/argon2'));

export async function hashPassword(password: string): Promise<string> {
  // The library's default algorithm is argon2id; the stored string says so (`$argon2id$`), and tests check it.
  return (await lib()).hash(password);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await (await lib()).verify(stored, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | null = null;

/** Spends the time of one verification when the account does not exist, so timing does not reveal which emails do. */
export async function verifyNothing(password: string): Promise<false> {
  dummy ??= hashPassword('not a password of anyone');
  await verifyPassword(await dummy, password);
  return false;
}
