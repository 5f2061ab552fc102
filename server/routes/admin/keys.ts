import { CreatedKey, CreateKeyRequest, DeletedKey, KeyItem, KeyList, UpdateKeyRequest } from '../../../core/api/admin.ts';
import { wholeNumber } from '../../../core/index.ts';
import type { Principal } from '../../auth/roles.ts';
import { ok } from '../../http/envelope.ts';
import { OrgPath } from '../../http/params.ts';
import { createRouter, defineRoute } from '../../http/route.ts';
import { createKey, deleteKey, listKeys, MAX_KEYS_PER_ORG, setKeyActive } from '../../services/keys.ts';

const TAG = 'Admin: keys';

/** The key making the request (it may not deactivate or delete itself), or null for a console session. */
const callerKey = (c: { get(k: 'principal'): Principal }) => {
  const p = c.get('principal');
  return p.kind === 'key' ? p.key.id : null;
};

const KeyPath = OrgPath.extend({
  key_id: wholeNumber('must be a positive integer', (n) => n.positive('must be a positive integer')).meta({
    description: 'key id, as found at data.keys[].key_id',
  }),
});

export const listKeysRoute = defineRoute({
  method: 'get',
  path: '/keys',
  tag: TAG,
  summary: 'List keys',
  description: 'Never the keys themselves: their first characters followed by ***.',
  auth: 'secret',
  request: { params: OrgPath },
  data: KeyList,
  errors: [422],
});

export const createKeyRoute = defineRoute({
  method: 'post',
  path: '/keys',
  tag: TAG,
  summary: 'Create a key',
  description:
    `The full key is in the answer, once. At most ${MAX_KEYS_PER_ORG} keys per organisation (409 beyond). ` +
    'event_ids and origins limit publishable keys only. On a metered plan, secret keys (the Developer Zone) need Enterprise: 403 otherwise.',
  auth: 'secret',
  request: {
    params: OrgPath,
    body: { required: true, content: { 'application/json': { schema: CreateKeyRequest } } },
  },
  data: CreatedKey,
  status: 201,
  errors: [400, 409, 415, 422],
});

export const updateKeyRoute = defineRoute({
  method: 'patch',
  path: '/keys/{key_id}',
  tag: TAG,
  summary: 'Activate or deactivate a key',
  description: 'A deactivated key is refused (403) at once. The key making the request cannot deactivate itself (409).',
  auth: 'secret',
  request: {
    params: KeyPath,
    body: { required: true, content: { 'application/json': { schema: UpdateKeyRequest } } },
  },
  data: KeyItem,
  errors: [400, 404, 409, 415, 422],
});

export const deleteKeyRoute = defineRoute({
  method: 'delete',
  path: '/keys/{key_id}',
  tag: TAG,
  summary: 'Delete a key',
  description: 'The key making the request cannot delete itself (409).',
  auth: 'secret',
  request: { params: KeyPath },
  data: DeletedKey,
  errors: [404, 409, 422],
});

/** API keys of the organisation: at most MAX_KEYS_PER_ORG; the full key is shown once, at creation. */
export const adminKeys = createRouter()
  .openapi(listKeysRoute, async (c) => {
    const data = await listKeys(c.get('deps'), c.get('orgId'));
    return ok(c, `${data.keys.length} of ${data.max_keys} keys`, data);
  })
  .openapi(createKeyRoute, async (c) => {
    const data = await createKey(c.get('deps'), c.get('orgId'), c.req.valid('json'));
    return ok(c, 'Key created: copy it now, it is not shown again', data, 201);
  })
  .openapi(updateKeyRoute, async (c) => {
    const { key_id } = c.req.valid('param');
    const { active } = c.req.valid('json');
    const data = await setKeyActive(c.get('deps'), c.get('orgId'), key_id, active, callerKey(c));
    return ok(c, active ? 'Key activated' : 'Key deactivated: it is refused from now on', data);
  })
  .openapi(deleteKeyRoute, async (c) => {
    const { key_id } = c.req.valid('param');
    return ok(c, 'Key deleted', await deleteKey(c.get('deps'), c.get('orgId'), key_id, callerKey(c)));
  });
