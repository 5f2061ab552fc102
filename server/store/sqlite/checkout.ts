import type { GatewayName } from '../../../core/checkout.ts';
import type {
  CheckoutSettingsRow,
  CheckoutStore,
  GatewayEventRef,
  OrderEventRow,
  OrderRow,
  PlanRow,
  StatusCount,
} from '../checkout-types.ts';
import { bool, nowIso, type Db } from './db.ts';

type Raw = Record<string, unknown>;

export const toPlan = (r: Raw): PlanRow => ({
  ...(r as unknown as PlanRow),
  tax_inclusive: bool(r.tax_inclusive),
});

export const toOrder = (r: Raw): OrderRow => ({
  ...(r as unknown as OrderRow),
  tax_inclusive: bool(r.tax_inclusive),
  lines: JSON.parse(r.lines as string) as OrderRow['lines'],
});

export const PLAN_FIELDS = ['name', 'kind', 'quantity', 'price', 'currency', 'tax_inclusive', 'status'] as const;

/** Checkout tables in SQLite. Every multi-row change runs in one transaction. */
export function sqliteCheckout(db: Db): CheckoutStore {
  const getSettings = db.prepare('SELECT * FROM checkout_settings WHERE event_id = ?');
  const getPlan = db.prepare('SELECT * FROM checkout_plans WHERE event_id = ? AND id = ?');
  const getOrder = db.prepare('SELECT * FROM orders WHERE id = ?');
  const byIdem = db.prepare('SELECT * FROM orders WHERE event_id = ? AND idempotency_hash = ?');
  const bySession = db.prepare('SELECT * FROM orders WHERE gateway = ? AND gateway_session = ?');
  const byPayment = db.prepare('SELECT * FROM orders WHERE gateway = ? AND gateway_payment = ? ORDER BY created_at DESC LIMIT 1');
  const insertOrder = db.prepare(`INSERT INTO orders (id, event_id, org_id, status, amount, currency, tax_inclusive, lines,
      selection_kind, selection_value, image_count, gateway, email, return_url, idempotency_hash, request_hash, token_hash,
      token_sealed, created_at, updated_at)
    VALUES (@id, @event_id, @org_id, 'pending', @amount, @currency, @tax_inclusive, @lines, @selection_kind, @selection_value,
      @image_count, @gateway, @email, @return_url, @idempotency_hash, @request_hash, @token_hash, @token_sealed, @now, @now)
    ON CONFLICT (event_id, idempotency_hash) DO NOTHING`);
  const insertImage = db.prepare('INSERT OR IGNORE INTO order_images (order_id, image_id, position) VALUES (?, ?, ?)');
  const insertEvent = db.prepare(`INSERT INTO order_events
      (order_id, event_id, at, source, type, from_status, to_status, amount, gateway_event_id, detail)
    VALUES (@order_id, @event_id, @at, @source, @type, @from_status, @to_status, @amount, @gateway_event_id, @detail)`);
  const insertGatewayEvent = db.prepare(
    'INSERT INTO gateway_events (gateway, id, type, order_id, outcome) VALUES (?, ?, ?, ?, ?) ON CONFLICT (gateway, id) DO NOTHING',
  );
  const setGatewayOutcome = db.prepare('UPDATE gateway_events SET outcome = ? WHERE gateway = ? AND id = ?');
  const orderImages = db.prepare('SELECT image_id FROM order_images WHERE order_id = ? ORDER BY position');

  const logEvent = (o: OrderRow, e: Partial<OrderEventRow> & { source: string; type: string }, at = nowIso()) =>
    insertEvent.run({
      order_id: o.id,
      event_id: o.event_id,
      at,
      source: e.source,
      type: e.type,
      from_status: e.from_status ?? null,
      to_status: e.to_status ?? null,
      amount: e.amount ?? null,
      gateway_event_id: e.gateway_event_id ?? null,
      detail: e.detail ?? null,
    });

  /** True when the gateway event is new (and now recorded). */
  const claim = (ref: GatewayEventRef | undefined, orderId: string | null, outcome: string) =>
    !ref || insertGatewayEvent.run(ref.gateway, ref.id, ref.type, orderId, outcome).changes === 1;

  const order = (id: string) => {
    const r = getOrder.get(id) as Raw | undefined;
    return r ? toOrder(r) : null;
  };

  return {
    async getSettings(eventId) {
      const r = getSettings.get(eventId) as Raw | undefined;
      return r ? ({ ...(r as unknown as CheckoutSettingsRow), enabled: bool(r.enabled) } as CheckoutSettingsRow) : null;
    },
    async putSettings(eventId, patch) {
      return db.transaction(() => {
        const cur = getSettings.get(eventId) as Raw | undefined;
        const enabled = patch.enabled ?? (cur ? bool(cur.enabled) : false);
        const gateway = patch.gateway !== undefined ? patch.gateway : ((cur?.gateway as GatewayName | null | undefined) ?? null);
        const at = nowIso();
        db.prepare(
          `INSERT INTO checkout_settings (event_id, enabled, gateway, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (event_id) DO UPDATE SET enabled = excluded.enabled, gateway = excluded.gateway, updated_at = excluded.updated_at`,
        ).run(eventId, enabled ? 1 : 0, gateway, at);
        return { event_id: eventId, enabled, gateway, updated_at: at };
      })();
    },

    async createPlan(eventId, plan) {
      const at = nowIso();
      const r = db
        .prepare(
          `INSERT INTO checkout_plans (event_id, name, kind, quantity, price, currency, tax_inclusive, status, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
        )
        .get(
          eventId,
          plan.name,
          plan.kind,
          plan.quantity,
          plan.price,
          plan.currency,
          plan.tax_inclusive ? 1 : 0,
          plan.status,
          at,
          at,
        ) as Raw;
      return toPlan(r);
    },
    async getPlan(eventId, id) {
      const r = getPlan.get(eventId, id) as Raw | undefined;
      return r ? toPlan(r) : null;
    },
    async listPlans(eventId, statuses) {
      const rows = statuses?.length
        ? db
            .prepare(
              `SELECT * FROM checkout_plans WHERE event_id = ? AND status IN (${statuses.map(() => '?').join(',')}) ORDER BY id`,
            )
            .all(eventId, ...statuses)
        : db.prepare('SELECT * FROM checkout_plans WHERE event_id = ? ORDER BY id').all(eventId);
      return (rows as Raw[]).map(toPlan);
    },
    async updatePlan(eventId, id, patch) {
      const sets: string[] = [];
      const values: unknown[] = [];
      for (const f of PLAN_FIELDS) {
        if (patch[f] === undefined) continue;
        sets.push(`${f} = ?`);
        values.push(f === 'tax_inclusive' ? (patch[f] ? 1 : 0) : patch[f]);
      }
      if (sets.length === 0) {
        const r = getPlan.get(eventId, id) as Raw | undefined;
        return r ? toPlan(r) : null;
      }
      const r = db
        .prepare(`UPDATE checkout_plans SET ${sets.join(', ')}, updated_at = ? WHERE event_id = ? AND id = ? RETURNING *`)
        .get(...values, nowIso(), eventId, id) as Raw | undefined;
      return r ? toPlan(r) : null;
    },

    async createOrder(o, imageIds, source) {
      return db.transaction(() => {
        const now = nowIso();
        const res = insertOrder.run({ ...o, tax_inclusive: o.tax_inclusive ? 1 : 0, lines: JSON.stringify(o.lines), now });
        if (res.changes === 0) {
          return { order: toOrder(byIdem.get(o.event_id, o.idempotency_hash) as Raw), created: false };
        }
        imageIds.forEach((id, i) => insertImage.run(o.id, id, i));
        const row = order(o.id)!;
        logEvent(
          row,
          { source, type: 'created', to_status: 'pending', detail: `${o.image_count} photos, ${o.amount} ${o.currency}` },
          now,
        );
        return { order: row, created: true };
      })();
    },
    async getOrder(id) {
      return order(id);
    },
    async findOrderByIdempotency(eventId, hash) {
      const r = byIdem.get(eventId, hash) as Raw | undefined;
      return r ? toOrder(r) : null;
    },
    async findOrderBySession(gateway, session) {
      const r = bySession.get(gateway, session) as Raw | undefined;
      return r ? toOrder(r) : null;
    },
    async findOrderByPayment(gateway, payment) {
      const r = byPayment.get(gateway, payment) as Raw | undefined;
      return r ? toOrder(r) : null;
    },
    async setSession(orderId, session, url, source) {
      return db.transaction(() => {
        const cur = order(orderId);
        if (!cur) throw new Error(`order ${orderId} not found`);
        if (cur.gateway_session) return cur;
        db.prepare('UPDATE orders SET gateway_session = ?, checkout_url = ?, updated_at = ? WHERE id = ?').run(
          session,
          url,
          nowIso(),
          orderId,
        );
        logEvent(cur, { source, type: 'session', detail: `${cur.gateway} session ${session}` });
        return order(orderId)!;
      })();
    },
    async orderImageIds(orderId) {
      return (orderImages.all(orderId) as { image_id: string }[]).map((r) => r.image_id);
    },

    async transition(t) {
      return db.transaction(() => {
        const cur = order(t.orderId);
        if (!cur) return { outcome: 'unchanged' as const, order: null };
        if (!claim(t.gatewayEvent, cur.id, 'pending')) return { outcome: 'duplicate' as const, order: cur };
        const geId = t.gatewayEvent?.id ?? null;
        if (!t.from.includes(cur.status)) {
          logEvent(cur, {
            source: t.source,
            type: 'ignored',
            from_status: cur.status,
            to_status: t.to,
            gateway_event_id: geId,
            detail: t.detail ?? `${cur.status} → ${t.to} is not allowed; kept ${cur.status}`,
          });
          if (t.gatewayEvent) setGatewayOutcome.run('ignored', t.gatewayEvent.gateway, t.gatewayEvent.id);
          return { outcome: 'unchanged' as const, order: cur };
        }
        const now = nowIso();
        db.prepare(
          `UPDATE orders SET status = @to, updated_at = @now,
             paid_at = CASE WHEN @to = 'paid' THEN COALESCE(paid_at, @now) ELSE paid_at END,
             gateway_payment = COALESCE(@payment, gateway_payment),
             refunded_amount = COALESCE(@refunded, refunded_amount)
           WHERE id = @id`,
        ).run({ to: t.to, now, payment: t.payment ?? null, refunded: t.refundedAmount ?? null, id: cur.id });
        logEvent(
          cur,
          {
            source: t.source,
            type: 'status',
            from_status: cur.status,
            to_status: t.to,
            amount: t.amount ?? null,
            gateway_event_id: geId,
            detail: t.detail ?? null,
          },
          now,
        );
        if (t.gatewayEvent) setGatewayOutcome.run(t.to, t.gatewayEvent.gateway, t.gatewayEvent.id);
        return { outcome: 'applied' as const, order: order(cur.id) };
      })();
    },
    async note(orderId, e) {
      return db.transaction(() => {
        const cur = order(orderId);
        if (!cur) return false;
        if (!claim(e.gatewayEvent, cur.id, e.type ?? 'noted')) return false;
        if (e.refundedAmount != null)
          db.prepare('UPDATE orders SET refunded_amount = ?, updated_at = ? WHERE id = ?').run(
            e.refundedAmount,
            nowIso(),
            cur.id,
          );
        logEvent(cur, {
          source: e.source,
          type: e.type ?? 'note',
          amount: e.amount ?? null,
          gateway_event_id: e.gatewayEvent?.id ?? null,
          detail: e.detail,
        });
        return true;
      })();
    },
    async recordGatewayEvent(ref, outcome) {
      return claim(ref, null, outcome);
    },
    async hasGatewayEvent(gateway, id) {
      return db.prepare('SELECT 1 FROM gateway_events WHERE gateway = ? AND id = ?').get(gateway, id) !== undefined;
    },
    async orderEvents(orderId) {
      return db.prepare('SELECT * FROM order_events WHERE order_id = ? ORDER BY id').all(orderId) as OrderEventRow[];
    },

    async listOrders(eventId, filter, { offset, limit }) {
      const where = filter.status ? 'event_id = ? AND status = ?' : 'event_id = ?';
      const args: unknown[] = filter.status ? [eventId, filter.status] : [eventId];
      const total = (db.prepare(`SELECT count(*) n FROM orders WHERE ${where}`).get(...args) as { n: number }).n;
      const rows = db
        .prepare(`SELECT * FROM orders WHERE ${where} ORDER BY created_at DESC, id LIMIT ? OFFSET ?`)
        .all(...args, limit, offset) as Raw[];
      return { items: rows.map(toOrder), total };
    },
    async statusCounts(eventId) {
      return db
        .prepare(
          `SELECT status, gateway, currency, count(*) orders, sum(amount) amount, sum(refunded_amount) refunded
           FROM orders WHERE event_id = ? GROUP BY status, gateway, currency`,
        )
        .all(eventId) as StatusCount[];
    },
    async listMoneyEvents(eventId, { offset, limit }) {
      const total = (
        db.prepare('SELECT count(*) n FROM order_events WHERE event_id = ? AND amount IS NOT NULL').get(eventId) as { n: number }
      ).n;
      const rows = db
        .prepare('SELECT * FROM order_events WHERE event_id = ? AND amount IS NOT NULL ORDER BY id DESC LIMIT ? OFFSET ?')
        .all(eventId, limit, offset) as OrderEventRow[];
      const orders = new Map<string, OrderRow>();
      for (const r of rows) if (!orders.has(r.order_id)) orders.set(r.order_id, order(r.order_id)!);
      return { items: rows.map((r) => ({ ...r, order: orders.get(r.order_id)! })), total };
    },

    async unlockedImages(eventId, tokenHash, imageIds) {
      const out = new Set<string>();
      const paid = db
        .prepare("SELECT id FROM orders WHERE event_id = ? AND token_hash = ? AND status = 'paid'")
        .get(eventId, tokenHash) as { id: string } | undefined;
      if (!paid) return out;
      const covered = new Set((orderImages.all(paid.id) as { image_id: string }[]).map((r) => r.image_id));
      for (const id of imageIds) if (covered.has(id)) out.add(id);
      return out;
    },
  };
}
