import type { PlanName } from '../../../core/api/credits.ts';
import type {
  BillingRow,
  CreditPaymentRow,
  CreditStore,
  LedgerRow,
  NewLedgerRow,
  OrgAccountPatch,
  OrgAccountRow,
} from '../credits-types.ts';
import { DAY_MS, DEFAULT_ACCOUNT, LEDGER_SELECT, toBilling, toWaiting } from '../sqlite/credits.ts';
import { nowIso } from '../values.ts';
import { LockSpace, type PgDb, type Sql } from './db.ts';

type Raw = Record<string, unknown>;

const photoKey = (orgId: number, imageId: string) => `usage:${orgId}:event_photo_indexing:${imageId}`;
// The truth is images.state; credit_waiting only adds what the later processing needs (BIBs, clock offset).
const WAITING_SELECT = `SELECT i.id AS image_id, i.event_id, e.org_id, coalesce(w.bibs, '[]') AS bibs,
    coalesce(w.clock_offset_ms, 0) AS clock_offset_ms, i.created_at, e.name AS event_name, i.original_name
  FROM images i JOIN events e ON e.id = i.event_id LEFT JOIN credit_waiting w ON w.image_id = i.id`;
const WAITING = "i.state = 'waiting_credits'";

/**
 * Twin of sqlite/credits.ts. SQLite runs charges and settlements in IMMEDIATE transactions (one writer); here an
 * organisation's balance changes are serialised by a transaction advisory lock on the organisation, a payment by its
 * row lock, a gateway event by its primary key, invoice numbers by one lock (gapless, each once).
 */
export function pgCredits(db: PgDb): CreditStore {
  const getPayment = async (q: Sql, id: string) =>
    (await q.get<CreditPaymentRow>('SELECT * FROM credit_payments WHERE id = ?', [id])) ?? null;
  const sumOf = async (q: Sql, orgId: number) =>
    (await q.value<number>('SELECT coalesce(sum(delta), 0) FROM credit_ledger WHERE org_id = ?', [orgId]))!;
  const byIdem = async (q: Sql, key: string) =>
    (await q.get('SELECT 1 FROM credit_ledger WHERE idem_key = ?', [key])) !== undefined;
  const countWaiting = async (orgId: number) =>
    (await db.value<number>(
      `SELECT count(*) FROM images i WHERE i.state = 'waiting_credits' AND i.event_id IN (SELECT id FROM events WHERE org_id = ?)`,
      [orgId],
    ))!;

  const append = async (q: Sql, row: NewLedgerRow): Promise<LedgerRow | null> => {
    const id = await q.value<number>(
      `INSERT INTO credit_ledger
         (org_id, type, usage_kind, delta, ref_event_id, event_name, image_id, user_id, payment_id, note, idem_key, created_at)
       VALUES (@org_id, @type, @usage_kind, @delta, @ref_event_id, @event_name, @image_id, @user_id, @payment_id, @note, @idem_key,
         @created_at)
       ON CONFLICT (idem_key) DO NOTHING RETURNING id`,
      {
        usage_kind: null,
        ref_event_id: null,
        event_name: null,
        image_id: null,
        user_id: null,
        payment_id: null,
        note: null,
        idem_key: null,
        created_at: nowIso(),
        ...row,
      },
    );
    return id === undefined
      ? null
      : ((await q.get<LedgerRow>(`${LEDGER_SELECT} WHERE l.org_id = ? AND l.id = ?`, [row.org_id, id])) ?? null);
  };

  const account = async (q: Sql, orgId: number): Promise<OrgAccountRow> =>
    (await q.get<OrgAccountRow>('SELECT * FROM org_accounts WHERE org_id = ?', [orgId])) ?? { org_id: orgId, ...DEFAULT_ACCOUNT };

  /** Inside a transaction holding the organisation's lock. */
  const updateAccount = async (q: Sql, orgId: number, patch: OrgAccountPatch): Promise<OrgAccountRow> => {
    const next = { ...(await account(q, orgId)), ...patch, updated_at: nowIso() };
    await q.run(
      `INSERT INTO org_accounts (org_id, plan, expires_at, cost_per_photo, cost_per_credit, currency, time_zone, updated_at)
       VALUES (@org_id, @plan, @expires_at, @cost_per_photo, @cost_per_credit, @currency, @time_zone, @updated_at)
       ON CONFLICT (org_id) DO UPDATE SET plan = excluded.plan, expires_at = excluded.expires_at,
         cost_per_photo = excluded.cost_per_photo, cost_per_credit = excluded.cost_per_credit,
         currency = excluded.currency, time_zone = excluded.time_zone, updated_at = excluded.updated_at`,
      next,
    );
    return next;
  };

  return {
    async account(orgId) {
      return account(db, orgId);
    },
    async updateAccount(orgId, patch) {
      return db.tx(async (q) => {
        await q.lock(LockSpace.credits, orgId);
        return updateAccount(q, orgId, patch);
      });
    },
    async balance(orgId) {
      return sumOf(db, orgId);
    },
    async append(row) {
      return db.tx(async (q) => {
        await q.lock(LockSpace.credits, row.org_id);
        return append(q, row);
      });
    },
    async chargePhoto(c) {
      // Check the key and the balance, then write, under the organisation's lock: concurrent ingests never overdraw
      // and a photo is charged once.
      return db.tx(async (q) => {
        await q.lock(LockSpace.credits, c.org_id);
        const key = photoKey(c.org_id, c.image_id);
        if (await byIdem(q, key)) return 'already' as const;
        if ((await sumOf(q, c.org_id)) < c.cost) return 'insufficient' as const;
        await append(q, {
          org_id: c.org_id,
          type: 'usage',
          usage_kind: 'event_photo_indexing',
          delta: -c.cost,
          ref_event_id: c.event_id,
          event_name: c.event_name,
          image_id: c.image_id,
          idem_key: key,
        });
        return 'charged' as const;
      });
    },
    async isCharged(orgId, imageId) {
      return byIdem(db, photoKey(orgId, imageId));
    },
    async transactions(orgId, filter, { offset, limit }) {
      const where = ['l.org_id = @org'];
      if (filter.type) where.push('l.type = @type');
      if (filter.eventId !== undefined) where.push('l.ref_event_id = @event');
      const params = { org: orgId, type: filter.type ?? null, event: filter.eventId ?? null, limit, offset };
      const w = where.join(' AND ');
      const total = (await db.value<number>(`SELECT count(*) FROM credit_ledger l WHERE ${w}`, params))!;
      const items = await db.all<LedgerRow>(`${LEDGER_SELECT} WHERE ${w} ORDER BY l.id DESC LIMIT @limit OFFSET @offset`, params);
      return { items, total };
    },
    async getTransaction(orgId, id) {
      return (await db.get<LedgerRow>(`${LEDGER_SELECT} WHERE l.org_id = ? AND l.id = ?`, [orgId, id])) ?? null;
    },
    async monthTotals(orgId, from, to) {
      return (await db.get<{ photo_processing: number; ai_image_rotation: number; added: number }>(
        `SELECT
           coalesce(sum(CASE WHEN type = 'usage' AND usage_kind = 'event_photo_indexing' THEN -delta END), 0) AS photo_processing,
           coalesce(sum(CASE WHEN type = 'usage' AND usage_kind = 'ai_image_rotation' THEN -delta END), 0) AS ai_image_rotation,
           coalesce(sum(CASE WHEN type <> 'usage' THEN delta END), 0) AS added
         FROM credit_ledger WHERE org_id = ? AND created_at >= ? AND created_at < ?`,
        [orgId, from, to],
      ))!;
    },

    async putWaiting(w) {
      await db.run(
        `INSERT INTO credit_waiting (image_id, event_id, org_id, bibs, clock_offset_ms)
         SELECT ?::text, ?::bigint, ?::bigint, ?::text, ?::bigint
         WHERE EXISTS (SELECT 1 FROM images WHERE id = ? AND state = 'waiting_credits')
         ON CONFLICT (image_id) DO NOTHING`,
        [w.image_id, w.event_id, w.org_id, JSON.stringify(w.bibs), w.clock_offset_ms, w.image_id],
      );
    },
    async getWaiting(imageId) {
      const r = await db.get<Raw>(`${WAITING_SELECT} WHERE i.id = ? AND ${WAITING}`, [imageId]);
      return r ? toWaiting(r) : null;
    },
    async listWaiting(orgId, { offset, limit }) {
      const total = await countWaiting(orgId);
      const rows = await db.all<Raw>(
        `${WAITING_SELECT} WHERE e.org_id = ? AND ${WAITING} ORDER BY i.created_at, i.id LIMIT ? OFFSET ?`,
        [orgId, limit, offset],
      );
      return { items: rows.map(toWaiting), total };
    },
    async countWaiting(orgId) {
      return countWaiting(orgId);
    },
    async orgsWithWaiting() {
      return db.pluck<number>(
        `SELECT DISTINCT e.org_id FROM images i JOIN events e ON e.id = i.event_id WHERE ${WAITING} ORDER BY e.org_id`,
      );
    },

    async getBilling(orgId) {
      const r = await db.get<Raw>('SELECT * FROM billing_details WHERE org_id = ?', [orgId]);
      return r ? toBilling(r) : null;
    },
    async putBilling(b) {
      const r = await db.get<Raw>(
        `INSERT INTO billing_details (org_id, company, email, address, phone, tax_id, shipping_address, updated_at)
         VALUES (@org_id, @company, @email, @address, @phone, @tax_id, @shipping_address, @updated_at)
         ON CONFLICT (org_id) DO UPDATE SET company = excluded.company, email = excluded.email, address = excluded.address,
           phone = excluded.phone, tax_id = excluded.tax_id, shipping_address = excluded.shipping_address,
           updated_at = excluded.updated_at
         RETURNING *`,
        {
          ...b,
          address: JSON.stringify(b.address),
          shipping_address: b.shipping_address ? JSON.stringify(b.shipping_address) : null,
          updated_at: nowIso(),
        },
      );
      return toBilling(r!);
    },

    async createPayment(p) {
      const now = nowIso();
      return (await db.get<CreditPaymentRow>(
        `INSERT INTO credit_payments (id, org_id, kind, status, gateway, amount, currency, credits, pro_days, description,
           return_url, user_id, created_at, updated_at)
         VALUES (@id, @org_id, @kind, 'pending', @gateway, @amount, @currency, @credits, @pro_days, @description,
           @return_url, @user_id, @now, @now)
         RETURNING *`,
        { ...p, now },
      ))!;
    },
    async getPayment(id) {
      return getPayment(db, id);
    },
    async findPaymentBySession(gateway, session) {
      return (
        (await db.get<CreditPaymentRow>('SELECT * FROM credit_payments WHERE gateway = ? AND gateway_session = ?', [
          gateway,
          session,
        ])) ?? null
      );
    },
    async listPayments(orgId, filter, { offset, limit }) {
      const w = filter.status ? 'org_id = @org AND status = @status' : 'org_id = @org';
      const params = { org: orgId, status: filter.status ?? null, limit, offset };
      const total = (await db.value<number>(`SELECT count(*) FROM credit_payments WHERE ${w}`, params))!;
      const items = await db.all<CreditPaymentRow>(
        `SELECT * FROM credit_payments WHERE ${w} ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset`,
        params,
      );
      return { items, total };
    },
    async setSession(id, session, url) {
      await db.run('UPDATE credit_payments SET gateway_session = ?, checkout_url = ?, updated_at = ? WHERE id = ?', [
        session,
        url,
        nowIso(),
        id,
      ]);
    },
    async applyGatewayEvent(ev) {
      return db.tx(async (q) => {
        const seen = await q.run(
          'INSERT INTO credit_gateway_events (gateway, event_id, payment_id, outcome) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
          [ev.gateway, ev.event_id, ev.payment_id, ev.outcome],
        );
        if (seen === 0) return { duplicate: true, settlement: null };
        const p = await q.get<CreditPaymentRow>('SELECT * FROM credit_payments WHERE id = ? FOR UPDATE', [ev.payment_id]);
        if (!p) return { duplicate: false, settlement: null };
        const now = nowIso();
        if (ev.outcome === 'none') return { duplicate: false, settlement: { applied: false, payment: p } };
        if (p.status === 'completed') return { duplicate: false, settlement: { applied: false, payment: p } };
        if (ev.outcome !== 'completed') {
          await q.run('UPDATE credit_payments SET status = ?, updated_at = ? WHERE id = ?', [ev.outcome, now, p.id]);
          return { duplicate: false, settlement: { applied: true, payment: (await getPayment(q, p.id))! } };
        }
        await q.lock(LockSpace.credits, p.org_id);
        await q.run(
          `UPDATE credit_payments SET status = 'completed', completed_at = ?, updated_at = ?,
             gateway_payment = coalesce(?::text, gateway_payment) WHERE id = ?`,
          [now, now, ev.gateway_payment, p.id],
        );
        if (p.credits > 0)
          await append(q, {
            org_id: p.org_id,
            type: 'purchase',
            delta: p.credits,
            payment_id: p.id,
            user_id: p.user_id,
            note: p.description,
            idem_key: `payment:${p.id}`,
          });
        if (p.pro_days > 0) {
          const acc = await account(q, p.org_id);
          const from = Math.max(Date.now(), acc.expires_at ? Date.parse(acc.expires_at) : 0);
          const plan: PlanName = acc.plan === 'enterprise' ? 'enterprise' : 'pro';
          await updateAccount(q, p.org_id, { plan, expires_at: new Date(from + p.pro_days * DAY_MS).toISOString() });
        }
        return { duplicate: false, settlement: { applied: true, payment: (await getPayment(q, p.id))! } };
      });
    },
    async numberInvoice(id, billing: BillingRow, issuedAt, format) {
      return db.tx(async (q) => {
        // Gapless numbers, each once: one numbering at a time.
        await q.lock(LockSpace.invoices, 0);
        const p = await q.get<CreditPaymentRow>('SELECT * FROM credit_payments WHERE id = ? FOR UPDATE', [id]);
        if (!p) return null;
        if (p.invoice_seq !== null) return p;
        const seq = (await q.value<number>('SELECT coalesce(max(invoice_seq), 0) + 1 FROM credit_payments')) ?? 1;
        await q.run(
          `UPDATE credit_payments SET invoice_seq = ?, invoice_number = ?, invoice_issued_at = ?, invoice_billing = ?,
             invoice_error = NULL, updated_at = ? WHERE id = ?`,
          [seq, format(seq), issuedAt, JSON.stringify(billing), nowIso(), id],
        );
        return getPayment(q, id);
      });
    },
    async setInvoiceError(id, error) {
      await db.run('UPDATE credit_payments SET invoice_error = ?, updated_at = ? WHERE id = ?', [error, nowIso(), id]);
    },
    async invoicesBetween(orgId, from, to) {
      return db.all<CreditPaymentRow>(
        `SELECT * FROM credit_payments WHERE org_id = ? AND invoice_seq IS NOT NULL
           AND invoice_issued_at >= ? AND invoice_issued_at < ? ORDER BY invoice_seq`,
        [orgId, from, to],
      );
    },

    async isOperator(userId) {
      return (await db.get('SELECT 1 FROM operators WHERE user_id = ?', [userId])) !== undefined;
    },
    async addOperator(userId) {
      return (await db.run('INSERT INTO operators (user_id) VALUES (?) ON CONFLICT DO NOTHING', [userId])) > 0;
    },
  };
}
