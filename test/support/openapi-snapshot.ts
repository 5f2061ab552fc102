// The OpenAPI document of a fresh app, as committed in docs/openapi.json (stable key order, trailing newline).
import { openApiDocument } from '../../server/routes/docs/openapi.ts';
import { routeDrift } from '../../server/routes/docs/coverage.ts';
import { createHarness } from './harness.ts';

export async function openApiSnapshot() {
  const h = createHarness();
  try {
    const doc = openApiDocument(h.app);
    return { doc, json: `${JSON.stringify(doc, null, 2)}\n`, drift: routeDrift(h.app, doc) };
  } finally {
    await h.close();
  }
}
