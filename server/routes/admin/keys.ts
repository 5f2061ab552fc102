import { Hono } from 'hono';
import { z } from 'zod';
import { CreateKeyRequest, UpdateKeyRequest, type CreatedKey, type KeyList } from '../../../core/api/admin.ts';
import type { AppEnv } from '../../http/env.ts';
import { ok } from '../../http/envelope.ts';
import { ApiError, notFound } from '../../http/errors.ts';
import { jsonBody, parse } from '../../http/validate.ts';
import { createApiKey, MAX_KEYS_PER_ORG, toKeyItem } from '../../services/keys.ts';

const KeyParam = z.object({ key_id: z.coerce.number().int('must be an integer').positive('must be a positive integer') });

/** API keys of the organisation: at most 10; the full key is shown once, at creation. */
export const adminKeys = new Hono<AppEnv>()
  .get('/keys', async (c) => {
    const rows = await c.get('deps').store.keys.listForOrg(c.get('orgId'));
    const data: KeyList = { keys: rows.map(toKeyItem), max_keys: MAX_KEYS_PER_ORG };
    return ok(c, `${rows.length} of ${MAX_KEYS_PER_ORG} keys`, data);
  })
  .post('/keys', async (c) => {
    const req = await jsonBody(c, CreateKeyRequest);
    const { key, row } = await createApiKey(c.get('deps').store, c.get('orgId'), {
      kind: req.kind,
      label: req.label ?? null,
      eventIds: req.event_ids ?? null,
      origins: req.origins ?? null,
    });
    const data: CreatedKey = { ...toKeyItem(row), key };
    return ok(c, 'Key created: copy it now, it is not shown again', data, 201);
  })
  .patch('/keys/:key_id', async (c) => {
    const { key_id } = parse(KeyParam, { key_id: c.req.param('key_id') });
    const { active } = await jsonBody(c, UpdateKeyRequest);
    const orgId = c.get('orgId');
    if (!active && key_id === c.get('apiKey').id)
      throw new ApiError(409, 'This is the key making the request: deactivate it with another secret key');
    const { store } = c.get('deps');
    if (!(await store.keys.setActive(orgId, key_id, active))) throw notFound(`Key ${key_id} not found in organisation ${orgId}`);
    const row = (await store.keys.listForOrg(orgId)).find((k) => k.id === key_id)!;
    return ok(c, active ? 'Key activated' : 'Key deactivated: it is refused from now on', toKeyItem(row));
  })
  .delete('/keys/:key_id', async (c) => {
    const { key_id } = parse(KeyParam, { key_id: c.req.param('key_id') });
    const orgId = c.get('orgId');
    if (key_id === c.get('apiKey').id)
      throw new ApiError(409, 'This is the key making the request: delete it with another secret key');
    if (!(await c.get('deps').store.keys.delete(orgId, key_id)))
      throw notFound(`Key ${key_id} not found in organisation ${orgId}`);
    return ok(c, 'Key deleted', { key_id, deleted: true as const });
  });
