import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelFile } from '../../core/models.ts';

/** Reads one model file and checks its sha256; a missing, unreadable or corrupt file is a `problem` to report. */
export async function readVerifiedModel(dir: string, m: ModelFile): Promise<{ bytes?: Buffer; problem?: string }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(join(dir, m.name));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { problem: code === 'ENOENT' ? `${m.name} is missing` : `${m.name} is unreadable (${code ?? (e as Error).message})` };
  }
  const got = createHash('sha256').update(bytes).digest('hex');
  if (got !== m.sha256)
    return { problem: `${m.name} is corrupt (sha256 ${got.slice(0, 12)}…, expected ${m.sha256.slice(0, 12)}…)` };
  return { bytes };
}
