// Console tests: a real app over a real SQLite file, served on loopback, and a tiny cookie-keeping browser.
import type { Role, SessionInfo } from '../../../core/api/auth.ts';
import type { RunningServer } from '../../../server/serve.ts';
import { createApiKey } from '../../../server/services/keys.ts';
import type { EventRow } from '../../../server/store/types.ts';
import { createHarness, type Envelope, type Harness, type HarnessOptions } from '../../support/harness.ts';

export const PASSWORD = 'correct horse battery';

/** One signed-in browser: keeps the pf_session cookie, sends X-CSRF-Token when asked. */
export class Browser {
  cookie: string | null = null;
  csrf: string | null = null;
  lastSetCookie: string | null = null;
  constructor(readonly base: string) {}

  async fetch(path: string, init: RequestInit & { csrf?: boolean; json?: unknown } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set('Cookie', `pf_session=${this.cookie}`);
    if (init.csrf !== false && this.csrf && init.method && init.method !== 'GET') headers.set('X-CSRF-Token', this.csrf);
    let body = init.body;
    if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      headers.set('Content-Type', 'application/json');
    }
    const res = await fetch(this.base + path, { ...init, headers, body });
    const set = res.headers.get('set-cookie');
    if (set) {
      this.lastSetCookie = set;
      const m = /pf_session=([^;]*)/.exec(set);
      if (m) this.cookie = m[1] || null;
    }
    return res;
  }

  async json<T>(path: string, init: RequestInit & { csrf?: boolean; json?: unknown } = {}) {
    const res = await this.fetch(path, init);
    return { status: res.status, body: (await res.json()) as Envelope<T>, res };
  }

  async login(email: string, password = PASSWORD) {
    const r = await this.json<SessionInfo>('/api/v1/auth/login', { method: 'POST', json: { email, password } });
    if (r.status === 200) this.csrf = r.body.data.csrf_token;
    return r;
  }
}

export interface ConsoleWorld {
  h: Harness;
  server: RunningServer;
  base: string;
  orgId: number;
  event: EventRow;
  /** A second event of the org (no photographer is assigned to it). */
  otherEvent: EventRow;
  secret: string;
  /** Another organisation and its event. */
  foreign: { orgId: number; event: EventRow; secret: string };
  users: Record<Role, { id: number; email: string }>;
  browser(): Browser;
  close(): Promise<void>;
}

/** An organisation with an owner, an admin, a photographer (assigned to `event`) and a viewer, all with PASSWORD. */
export async function createConsoleWorld(opts: HarnessOptions = {}): Promise<ConsoleWorld> {
  const h = createHarness(opts);
  const { store, auth } = h.deps;
  const org = await store.orgs.create('Console Club');
  const event = await store.events.create(org.id, { name: 'City 10K', time_zone: 'UTC' });
  const otherEvent = await store.events.create(org.id, { name: 'Trail 25K' });
  const secret = (await createApiKey(store, org.id, { kind: 'secret' })).key;
  const fOrg = await store.orgs.create('Foreign Club');
  const fEvent = await store.events.create(fOrg.id, { name: 'Foreign race' });
  const fSecret = (await createApiKey(store, fOrg.id, { kind: 'secret' })).key;
  const users = {} as ConsoleWorld['users'];
  for (const role of ['owner', 'admin', 'photographer', 'viewer'] as const) {
    const email = `${role}@club.example`;
    const { user } = await auth.createUser({
      orgId: org.id,
      email,
      password: PASSWORD,
      name: role,
      role,
      eventIds: role === 'photographer' ? [event.id] : null,
    });
    users[role] = { id: user.id, email };
  }
  const server = await h.listen();
  return {
    h,
    server,
    base: server.url,
    orgId: org.id,
    event,
    otherEvent,
    secret,
    foreign: { orgId: fOrg.id, event: fEvent, secret: fSecret },
    users,
    browser: () => new Browser(server.url),
    close: () => h.close(),
  };
}
