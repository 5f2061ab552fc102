// Load hook of module-log.mjs: one line per ESM module loaded (file: URLs; node: builtins left out).
import { appendFileSync } from 'node:fs';

let file = '';
export function initialize(data) {
  file = data.file;
}
export async function load(url, context, next) {
  if (file && url.startsWith('file:')) appendFileSync(file, url + '\n');
  return next(url, context);
}
