import type { Address, PlanName } from '../../../core/api/credits.ts';
import type {
  BillingRow,
  CreditPaymentRow,
  CreditStore,
  LedgerRow,
  NewLedgerRow,
  OrgAccountPatch,
  OrgAccountRow,
  WaitingRow,
} from '../credits-types.ts';
import { nowIso, type Db } from './db.ts';

type Raw = Record<string, unknown>;

export const DAY_MS = 86_400_000;

export const DEFAULT_ACCOUNT: Omit<OrgAccountRow, 'org_id'> = {
  plan: 'unlimited',
  expires_at: null,
  cost_per_photo: 1,
  cost_per_credit: null,
  currency: 'USD',
  time_zone: 'UTC',
  updated_at: null,
};

export const LEDGER_SELECT = `SELECT l.*, u.name AS user_name, u.email AS user_email
  FROM credit_ledger l LEFT JOIN users u ON u.id = l.user_id`;

export const toBilling = (r: Raw): BillingRow => ({
  ...(r as unknown as BillingRow),
  address: JSON.parse(r.address as string) as Address,
  shipping_address: r.shipping_address ? (JSON.parse(r.shipping_address as string) as Address) : null,
});

export const toWaiting = (r: Raw): WaitingRow => ({
  ...(r as unknown as WaitingRow),
  bibs: JSON.parse(r.bibs as string) as string[],
});

/** Credits, plans and billing in SQLite. Charges and settlements run in IMMEDIATE transactions (one writer at a time). */
export function sqliteCredits(db: Db): CreditStore {
  const getAccount = db.prepare('SELECT * FROM org_accounts WHERE org_id = ?');
  const sumOf = db.prepare('SELECT coalesce(sum(delta), 0) FROM credit_ledger WHERE org_id = ?').pluck();
  const insertLedger = db.prepare(`INSERT INTO credit_ledger
      (org_id, type, usage_kind, delta, ref_event_id, event_name, image_id, user_id, payment_id, note, idem_key, created_at)
    VALUES (@org_id, @type, @usage_kind, @delta, @ref_event_id, @event_name, @image_id, @user_id, @payment_id, @note, @idem_key, @created_at)
    ON CONFLICT (idem_key) DO NOTHING RETURNING id`);
  const ledgerById = db.prepare(`${LEDGER_SELECT} WHERE l.org_id = ? AND l.id = ?`);
  const byIdem = db.prepare('SELECT 1 FROM credit_ledger WHERE idem_key = ?').pluck();
  const getPayment = db.prepare('SELECT * FROM credit_payments WHERE id = ?');
  // The truth is images.state; credit_waiting only adds what the later processing needs (BIBs, clock offset).
  const waitingSelect = `SELECT i.id AS image_id, i.event_id, e.org_id, coalesce(w.bibs, '[]') AS bibs,
      coalesce(w.clock_offset_ms, 0) AS clock_offset_ms, i.created_at, e.name AS event_name, i.original_name
    FROM images i JOIN events e ON e.id = i.event_id LEFT JOIN credit_waiting w ON w.image_id = i.id`;
  const WAITING = "i.state = 'waiting_credits'";

  const countWaiting = db
    .prepare(
      `SELECT count(*) FROM images i WHERE i.state = 'waiting_credits' AND i.event_id IN (SELECT id FROM events WHERE org_id = ?)`,
    )
    .pluck();
  const photoKey = (orgId: number, imageId: string) => `usage:${orgId}:event_photo_indexing:${imageId}`;

  const append = (row: NewLedgerRow): LedgerRow | null => {
    const r = insertLedger.get({
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
    }) as { id: number } | undefined;
    return r ? (ledgerById.get(row.org_id, r.id) as LedgerRow) : null;
  };

  const account = (orgId: number): OrgAccountRow =>
    (getAccount.get(orgId) as OrgAccountRow | undefined) ?? { org_id: orgId, ...DEFAULT_ACCOUNT };

  const updateAccount = (orgId: number, patch: OrgAccountPatch): OrgAccountRow => {
    const next = { ...account(orgId), ...patch, updated_at: nowIso() };
    db.prepare(
      `INSERT INTO org_accounts (org_id, plan, expires_at, cost_per_photo, cost_per_credit, currency, time_zone, updated_at)
       VALUES (@org_id, @plan, @expires_at, @cost_per_photo, @cost_per_credit, @currency, @time_zone, @updated_at)
       ON CONFLICT (org_id) DO UPDATE SET plan = excluded.plan, expires_at = excluded.expires_at,
         cost_per_photo = excluded.cost_per_photo, cost_per_credit = excluded.cost_per_credit,
         currency = excluded.currency, time_zone = excluded.time_zone, updated_at = excluded.updated_at`,
    ).run(next);
    return next;
  };

  const chargeTx = db.transaction((c: Parameters<CreditStore['chargePhoto']>[0]) => {
    const key = photoKey(c.org_id, c.image_id);
    if (byIdem.get(key)) return 'already' as const;
    if ((sumOf.get(c.org_id) as number) < c.cost) return 'insufficient' as const;
    append({
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

  const settleTx = db.transaction((ev: Parameters<CreditStore['applyGatewayEvent']>[0]) => {
    const seen = db
      .prepare(
        'INSERT INTO credit_gateway_events (gateway, event_id, payment_id, outcome) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
      )
      .run(ev.gateway, ev.event_id, ev.payment_id, ev.outcome);
    if (seen.changes === 0) return { duplicate: true, settlement: null };
    const p = getPayment.get(ev.payment_id) as CreditPaymentRow | undefined;
    if (!p) return { duplicate: false, settlement: null };
    const now = nowIso();
    if (ev.outcome === 'none') return { duplicate: false, settlement: { applied: false, payment: p } };
    if (p.status === 'completed') return { duplicate: false, settlement: { applied: false, payment: p } };
    if (ev.outcome !== 'completed') {
      db.prepare('UPDATE credit_payments SET status = ?, updated_at = ? WHERE id = ?').run(ev.outcome, now, p.id);
      return { duplicate: false, settlement: { applied: true, payment: getPayment.get(p.id) as CreditPaymentRow } };
    }
    db.prepare(
      `UPDATE credit_payments SET status = 'completed', completed_at = ?, updated_at = ?,
         gateway_payment = coalesce(?, gateway_payment) WHERE id = ?`,
    ).run(now, now, ev.gateway_payment, p.id);
    if (p.credits > 0)
      append({
        org_id: p.org_id,
        type: 'purchase',
        delta: p.credits,
        payment_id: p.id,
        user_id: p.user_id,
        note: p.description,
        idem_key: `payment:${p.id}`,
      });
    if (p.pro_days > 0) {
      const acc = account(p.org_id);
      const from = Math.max(Date.now(), acc.expires_at ? Date.parse(acc.expires_at) : 0);
      const plan: PlanName = acc.plan === 'enterprise' ? 'enterprise' : 'pro';
      updateAccount(p.org_id, { plan, expires_at: new Date(from + p.pro_days * DAY_MS).toISOString() });
    }
    return { duplicate: false, settlement: { applied: true, payment: getPayment.get(p.id) as CreditPaymentRow } };
  });

  const numberTx = db.transaction(
    (id: string, billing: BillingRow, issuedAt: string, format: (seq: number) => string): CreditPaymentRow | null => {
      const p = getPayment.get(id) as CreditPaymentRow | undefined;
      if (!p) return null;
      if (p.invoice_seq !== null) return p;
      const seq = (db.prepare('SELECT coalesce(max(invoice_seq), 0) + 1 FROM credit_payments').pluck().get() as number) ?? 1;
      db.prepare(
        `UPDATE credit_payments SET invoice_seq = ?, invoice_number = ?, invoice_issued_at = ?, invoice_billing = ?,
           invoice_error = NULL, updated_at = ? WHERE id = ?`,
      ).run(seq, format(seq), issuedAt, JSON.stringify(billing), nowIso(), id);
      return getPayment.get(id) as CreditPaymentRow;
    },
  );

  return {
    async account(orgId) {
      return account(orgId);
    },
    async updateAccount(orgId, patch) {
      return db.transaction(() => updateAccount(orgId, patch)).immediate();
    },
    async balance(orgId) {
      return sumOf.get(orgId) as number;
    },
    async append(row) {
      return db.transaction(() => append(row)).immediate();
    },
    async chargePhoto(c) {
      return chargeTx.immediate(c);
    },
    async isCharged(orgId, imageId) {
      return Boolean(byIdem.get(photoKey(orgId, imageId)));
    },
    async transactions(orgId, filter, { offset, limit }) {
      const where = ['l.org_id = @org'];
      if (filter.type) where.push('l.type = @type');
      if (filter.eventId !== undefined) where.push('l.ref_event_id = @event');
      const params = { org: orgId, type: filter.type ?? null, event: filter.eventId ?? null, limit, offset };
      const w = where.join(' AND ');
      const total = db.prepare(`SELECT count(*) FROM credit_ledger l WHERE ${w}`).pluck().get(params) as number;
      const items = db
        .prepare(`${LEDGER_SELECT} WHERE ${w} ORDER BY l.id DESC LIMIT @limit OFFSET @offset`)
        .all(params) as LedgerRow[];
      return { items, total };
    },
    async getTransaction(orgId, id) {
      return (ledgerById.get(orgId, id) as LedgerRow | undefined) ?? null;
    },
    async monthTotals(orgId, from, to) {
      const r = db
        .prepare(
          `SELECT
             coalesce(sum(CASE WHEN type = 'usage' AND usage_kind = 'event_photo_indexing' THEN -delta END), 0) AS photo_processing,
             coalesce(sum(CASE WHEN type = 'usage' AND usage_kind = 'ai_image_rotation' THEN -delta END), 0) AS ai_image_rotation,
             coalesce(sum(CASE WHEN type <> 'usage' THEN delta END), 0) AS added
           FROM credit_ledger WHERE org_id = ? AND created_at >= ? AND created_at < ?`,
        )
        .get(orgId, from, to) as { photo_processing: number; ai_image_rotation: number; added: number };
      return r;
    },

    async putWaiting(w) {
      db.prepare(
        `INSERT INTO credit_waiting (image_id, event_id, org_id, bibs, clock_offset_ms)
         SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM images WHERE id = ? AND state = 'waiting_credits')
         ON CONFLICT (image_id) DO NOTHING`,
      ).run(w.image_id, w.event_id, w.org_id, JSON.stringify(w.bibs), w.clock_offset_ms, w.image_id);
    },
    async getWaiting(imageId) {
      const r = db.prepare(`${waitingSelect} WHERE i.id = ? AND ${WAITING}`).get(imageId) as Raw | undefined;
      return r ? toWaiting(r) : null;
    },
    async listWaiting(orgId, { offset, limit }) {
      const total = countWaiting.get(orgId) as number;
      const rows = db
        .prepare(`${waitingSelect} WHERE e.org_id = ? AND ${WAITING} ORDER BY i.created_at, i.id LIMIT ? OFFSET ?`)
        .all(orgId, limit, offset) as Raw[];
      return { items: rows.map(toWaiting), total };
    },
    async countWaiting(orgId) {
      return countWaiting.get(orgId) as number;
    },
    async orgsWithWaiting() {
      return db
        .prepare(`SELECT DISTINCT e.org_id FROM images i JOIN events e ON e.id = i.event_id WHERE ${WAITING} ORDER BY e.org_id`)
        .pluck()
        .all() as number[];
    },

    async getBilling(orgId) {
      const r = db.prepare('SELECT * FROM billing_details WHERE org_id = ?').get(orgId) as Raw | undefined;
      return r ? toBilling(r) : null;
    },
    async putBilling(b) {
      db.prepare(
        `INSERT INTO billing_details (org_id, company, email, address, phone, tax_id, shipping_address, updated_at)
         VALUES (@org_id, @company, @email, @address, @phone, @tax_id, @shipping_address, @updated_at)
         ON CONFLICT (org_id) DO UPDATE SET company = excluded.company, email = excluded.email, address = excluded.address,
           phone = excluded.phone, tax_id = excluded.tax_id, shipping_address = excluded.shipping_address,
           updated_at = excluded.updated_at`,
      ).run({
        ...b,
        address: JSON.stringify(b.address),
        shipping_address: b.shipping_address ? JSON.stringify(b.shipping_address) : null,
        updated_at: nowIso(),
      });
      return toBilling(db.prepare('SELECT * FROM billing_details WHERE org_id = ?').get(b.org_id) as Raw);
    },

    async createPayment(p) {
      const now = nowIso();
      db.prepare(
        `INSERT INTO credit_payments (id, org_id, kind, status, gateway, amount, currency, credits, pro_days, description,
           return_url, user_id, created_at, updated_at)
         VALUES (@id, @org_id, @kind, 'pending', @gateway, @amount, @currency, @credits, @pro_days, @description,
           @return_url, @user_id, @now, @now)`,
      ).run({ ...p, now });
      return getPayment.get(p.id) as CreditPaymentRow;
    },
    async getPayment(id) {
      return (getPayment.get(id) as CreditPaymentRow | undefined) ?? null;
    },
    async findPaymentBySession(gateway, session) {
      return (
        (db.prepare('SELECT * FROM credit_payments WHERE gateway = ? AND gateway_session = ?').get(gateway, session) as
          CreditPaymentRow | undefined) ?? null
      );
    },
    async listPayments(orgId, filter, { offset, limit }) {
      const w = filter.status ? 'org_id = @org AND status = @status' : 'org_id = @org';
      const params = { org: orgId, status: filter.status ?? null, limit, offset };
      const total = db.prepare(`SELECT count(*) FROM credit_payments WHERE ${w}`).pluck().get(params) as number;
      const items = db
        .prepare(`SELECT * FROM credit_payments WHERE ${w} ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset`)
        .all(params) as CreditPaymentRow[];
      return { items, total };
    },
    async setSession(id, session, url) {
      db.prepare('UPDATE credit_payments SET gateway_session = ?, checkout_url = ?, updated_at = ? WHERE id = ?').run(
        session,
        url,
        nowIso(),
        id,
      );
    },
    async applyGatewayEvent(ev) {
      return settleTx.immediate(ev);
    },
    async numberInvoice(id, billing, issuedAt, format) {
      return numberTx.immediate(id, billing, issuedAt, format);
    },
    async setInvoiceError(id, error) {
      db.prepare('UPDATE credit_payments SET invoice_error = ?, updated_at = ? WHERE id = ?').run(error, nowIso(), id);
    },
    async invoicesBetween(orgId, from, to) {
      return db
        .prepare(
          `SELECT * FROM credit_payments WHERE org_id = ? AND invoice_seq IS NOT NULL
             AND invoice_issued_at >= ? AND invoice_issued_at < ? ORDER BY invoice_seq`,
        )
        .all(orgId, from, to) as CreditPaymentRow[];
    },

    async isOperator(userId) {
      return Boolean(db.prepare('SELECT 1 FROM operators WHERE user_id = ?').pluck().get(userId));
    },
    async addOperator(userId) {
      return db.prepare('INSERT INTO operators (user_id) VALUES (?) ON CONFLICT DO NOTHING').run(userId).changes > 0;
    },
  };
}
