import type { Role } from '../../core/api/auth.ts';
import type { ApiKeyRow } from '../store/types.ts';
import type { SessionRow, UserRow } from '../store/auth-types.ts';

/**
 * Who makes an admin request: a secret API key (the organisation's full credential: it acts as an owner), or a
 * signed-in console user with their role in the path's organisation.
 */
export type Principal =
  | { kind: 'key'; key: ApiKeyRow; role: 'owner' }
  | { kind: 'user'; user: UserRow; session: SessionRow; token: string; role: Role; eventIds: number[] | null };

/** Who did it, for logs (`key 3`, `user 7`). */
export const actorName = (p: Principal) => (p.kind === 'key' ? `key ${p.key.id}` : `user ${p.user.id}`);

export const canManage = (p: Principal) => p.role === 'owner' || p.role === 'admin';

const READ = new Set(['GET', 'HEAD']);

/**
 * The routes a photographer may use, relative to `/api/v1/admin/{org_id}`: the event list (only their events) and,
 * for an event assigned to them, its settings (read), uploads (tus and multipart), and its processing view and retry.
 */
const PHOTOGRAPHER: { methods: Set<string>; path: RegExp }[] = [
  { methods: READ, path: /^\/events\/?$/ },
  { methods: READ, path: /^\/events\/\d+\/?$/ },
  { methods: new Set(['GET', 'HEAD', 'POST', 'PATCH', 'DELETE']), path: /^\/events\/\d+\/uploads(\/[^/]+)?\/?$/ },
  { methods: new Set(['POST']), path: /^\/events\/\d+\/photos\/?$/ },
  { methods: READ, path: /^\/events\/\d+\/processing(\/stream)?\/?$/ },
  { methods: new Set(['POST']), path: /^\/events\/\d+\/processing\/retry\/?$/ },
];

/**
 * Why the principal may not make this request (a 403 message), or null when it may. `path` is relative to the
 * organisation (`/events/3/uploads`). Which events a photographer may touch is checked when the event is loaded.
 */
export function refusal(p: Principal, method: string, path: string): string | null {
  if (p.role === 'owner' || p.role === 'admin') return null;
  const m = method.toUpperCase();
  if (p.role === 'viewer') return READ.has(m) ? null : 'Viewers can look but not change anything: ask an owner or admin';
  const allowed = PHOTOGRAPHER.some((r) => r.methods.has(m) && r.path.test(path));
  return allowed ? null : 'Photographers can only see and upload to their events: ask an owner or admin for anything else';
}

/** Whether the principal may see or upload to this event (photographers: only the events assigned to them). */
export function mayUseEvent(p: Principal, eventId: number): boolean {
  if (p.kind === 'key' || p.role !== 'photographer') return true;
  return (p.eventIds ?? []).includes(eventId);
}

/** The events a principal may list: null = all. */
export const visibleEvents = (p: Principal): number[] | null =>
  p.kind === 'user' && p.role === 'photographer' ? (p.eventIds ?? []) : null;
