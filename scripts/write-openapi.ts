// `npm run openapi`: writes docs/openapi.json from the route declarations (commit it with the code change).
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { openApiSnapshot } from '../test/support/openapi-snapshot.ts';

const file = resolve(import.meta.dirname, '..', 'docs', 'openapi.json');
const { json, drift } = await openApiSnapshot();
writeFileSync(file, json);
console.log(`wrote ${file}`);
if (drift.undocumented.length) {
  console.error(`routes served without a declaration:\n  ${drift.undocumented.join('\n  ')}`);
  process.exitCode = 1;
}
