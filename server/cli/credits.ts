import { GrantRequest, PLANS, PlanPatch, type PlanName } from '../../core/api/credits.ts';
import { flattenIssues } from '../../core/index.ts';
import type { AppDeps } from '../deps.ts';
import { ApiError } from '../http/errors.ts';
import type { Store } from '../store/types.ts';
import { CliError, EXIT } from './errors.ts';

/** Credits, plans and operators from the command line (issue 13, docs/credits.md). */

const fail = (e: unknown): never => {
  if (e instanceof ApiError) throw new CliError(EXIT.failed, e.message);
  throw e;
};

/** `photo-finish plan set --org N --plan P [--expires YYYY-MM-DD|none] [--cost-per-credit C] [--cost-per-photo K] [--tz ZONE]` */
export async function runPlanSet(
  deps: AppDeps,
  o: {
    orgId: number;
    plan?: string;
    expires?: string;
    costPerCredit?: string;
    costPerPhoto?: string;
    timeZone?: string;
    json: boolean;
  },
) {
  if (o.plan !== undefined && !PLANS.includes(o.plan as PlanName))
    throw new CliError(EXIT.usage, `--plan must be one of ${PLANS.join(', ')}, not "${o.plan}"`);
  const num = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new CliError(EXIT.usage, `--${name} must be a whole number, not "${v}"`);
    return Number(v);
  };
  const raw = {
    ...(o.plan !== undefined ? { plan: o.plan } : {}),
    ...(o.expires !== undefined ? { expires: o.expires === 'none' ? null : o.expires } : {}),
    ...(o.costPerCredit !== undefined ? { cost_per_credit: num('cost-per-credit', o.costPerCredit) } : {}),
    ...(o.costPerPhoto !== undefined ? { cost_per_photo: num('cost-per-photo', o.costPerPhoto) } : {}),
    ...(o.timeZone !== undefined ? { time_zone: o.timeZone } : {}),
  };
  const parsed = PlanPatch.safeParse(raw);
  if (!parsed.success) throw new CliError(EXIT.usage, flattenIssues(parsed.error.issues));
  const org = await deps.credits.setPlan(o.orgId, parsed.data).catch(fail);
  await deps.credits.idle();
  const human =
    `organisation ${org.org_id} (${org.name}): ${org.plan_label}` +
    `${org.expires_at ? `, expires ${org.expires_at}` : ''}; balance ${org.balance} credits` +
    `${org.waiting_photos ? `, ${org.waiting_photos} photos waiting for credits` : ''}`;
  console.log(o.json ? JSON.stringify(org, null, 2) : human);
}

/** `photo-finish credits grant --org N --credits K [--type admin|free] [--note TEXT]`: waiting photos are processed before it returns. */
export async function runCreditsGrant(
  deps: AppDeps,
  o: { orgId: number; credits: string; type?: string; note?: string; json: boolean },
) {
  const type = o.type === undefined || o.type === 'admin' ? 'admin_grant' : o.type === 'free' ? 'free_credits' : null;
  if (!type) throw new CliError(EXIT.usage, `--type must be admin or free, not "${o.type}"`);
  if (!/^\d+$/.test(o.credits)) throw new CliError(EXIT.usage, `--credits must be a positive whole number, not "${o.credits}"`);
  const parsed = GrantRequest.safeParse({ credits: Number(o.credits), type, ...(o.note ? { note: o.note } : {}) });
  if (!parsed.success) throw new CliError(EXIT.usage, flattenIssues(parsed.error.issues).replace(/^credits/, '--credits'));
  const res = await deps.credits.grant(o.orgId, parsed.data, null).catch(fail);
  await deps.credits.idle();
  const balance = await deps.store.credits.balance(o.orgId);
  const waiting = await deps.store.credits.countWaiting(o.orgId);
  const processed = Math.max(0, res.resumed - waiting);
  const out = { ...res, balance, processed, waiting_photos: waiting };
  console.log(
    o.json
      ? JSON.stringify(out, null, 2)
      : `${parsed.data.credits} credits granted (${res.transaction.type_label}) to organisation ${o.orgId}; balance ${balance}` +
          `${processed ? `; ${processed} waiting photos processed` : ''}${waiting ? `; ${waiting} still waiting` : ''}`,
  );
}

/** `photo-finish credits show --org N`: plan, balance, the last transactions. */
export async function runCreditsShow(deps: AppDeps, o: { orgId: number; json: boolean }) {
  const summary = await deps.credits.summary(o.orgId);
  const tx = await deps.credits.transactions(o.orgId, { page: 1, page_size: 10 });
  if (o.json) return console.log(JSON.stringify({ ...summary, transactions: tx.transactions }, null, 2));
  console.log(
    [
      `${summary.plan_label}${summary.subscription.badge ? ` (${summary.subscription.badge.label})` : ''}: balance ${summary.balance} credits, ` +
        `${summary.cost_per_photo} per photo, ${summary.waiting_photos} photos waiting`,
      ...tx.transactions.map(
        (t) =>
          `${t.created_at}\t${t.type_label}${t.usage_label ? ` (${t.usage_label})` : ''}\t${t.delta > 0 ? '+' : ''}${t.delta}\t${t.actor}`,
      ),
    ].join('\n'),
  );
}

/** `photo-finish operator create --email E [--password P] [--name N]`: a server operator (a new user, or an existing one). */
export async function runOperatorCreate(store: Store, o: { email: string; password?: string; name?: string; json: boolean }) {
  const [{ Email, Password, PersonName }, { hashPassword }] = await Promise.all([
    import('../../core/api/auth.ts'),
    import('../auth/passwords.ts'),
  ]);
  const email = Email.safeParse(o.email);
  if (!email.success) throw new CliError(EXIT.usage, `--email: ${email.error.issues[0]?.message ?? 'invalid'}`);
  let user = await store.auth.findUserByEmail(email.data);
  let created = false;
  if (!user) {
    if (o.password === undefined)
      throw new CliError(
        EXIT.usage,
        `no user ${email.data} yet: add --password to create it (or make an existing user an operator)`,
      );
    const password = Password.safeParse(o.password);
    if (!password.success) throw new CliError(EXIT.usage, `--password: ${password.error.issues[0]?.message ?? 'invalid'}`);
    const name = PersonName.safeParse(o.name ?? '');
    if (!name.success) throw new CliError(EXIT.usage, `--name: ${name.error.issues[0]?.message ?? 'invalid'}`);
    user = await store.auth.createUser({ email: email.data, name: name.data, password_hash: await hashPassword(password.data) });
    created = true;
  } else if (o.password !== undefined) {
    throw new CliError(EXIT.usage, `user ${email.data} exists: drop --password (its password is unchanged)`);
  }
  const added = await store.credits.addOperator(user.id);
  const out = { user_id: user.id, email: user.email, created, operator: true };
  console.log(
    o.json
      ? JSON.stringify(out, null, 2)
      : `${created ? 'user created and ' : ''}${user.email} (user ${user.id}) ${added ? 'is now' : 'was already'} a server operator: ` +
          'sign in at /console; the operator API is /api/v1/operator',
  );
}
