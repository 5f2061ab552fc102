import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes a secret file (the signing key, demo.json with the demo keys) readable by its owner only (0600), also
 * when it existed before with wider rights. A folder it creates (DATA_DIR) is 0700.
 */
export function writeSecretFile(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  // Written next to it, then renamed over it: a reader (the demo pages read demo.json on every request) sees the old
  // file or the new one, never half of one.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, content, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}
