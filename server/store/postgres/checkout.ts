import type { GatewayName } from '../../../core/checkout.ts';
import type {
  CheckoutSettingsRow,
  CheckoutStore,
  GatewayEventRef,
  OrderEventRow,
  OrderRow,
  StatusCount,
} from '../checkout-types.ts';
import { PLAN_FIELDS, toOrder, toPlan } from '../sqlite/checkout.ts';
import { bool, nowIso } from '../values.ts';
import { LockSpace, type PgDb, type Sql } from './db.ts';

type Raw = Record<string, unknown>;

/**
 * Checkout tables in PostgreSQL. Every multi-row change runs in one transaction; an order's changes (transition, note,
 * session) lock its row first (SELECT … FOR UPDATE), and a gateway event is claimed by its primary key, so a webhook
 * delivered twice at once applies once: the second waits for the first, then finds the event already claimed.
 */
export function pgCheckout(db: PgDb): CheckoutStore {
  const order = async (q: Sql, id: string, lock = false) => {
    const r = await q.get<Raw>(`SELECT * FROM orders WHERE id = ?${lock ? ' FOR UPDATE' : ''}`, [id]);
    return r ? toOrder(r) : null;
  };
  const logEvent = (q: Sql, o: OrderRow, e: Partial<OrderEventRow> & { source: string; type: string }, at = nowIso()) =>
    q.run(
      `INSERT INTO order_events (order_id, event_id, at, source, type, from_status, to_status, amount, gateway_event_id, detail)
       VALUES (@order_id, @event_id, @at, @source, @type, @from_status, @to_status, @amount, @gateway_event_id, @detail)`,
      {
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
      },
    );
  /** True when the gateway event is new (and now recorded). */
  const claim = async (q: Sql, ref: GatewayEventRef | undefined, orderId: string | null, outcome: string) =>
    !ref ||
    (await q.run(
      'INSERT INTO gateway_events (gateway, id, type, order_id, outcome) VALUES (?, ?, ?, ?, ?) ON CONFLICT (gateway, id) DO NOTHING',
      [ref.gateway, ref.id, ref.type, orderId, outcome],
    )) === 1;
  const setGatewayOutcome = (q: Sql, outcome: string, ref: GatewayEventRef) =>
    q.run('UPDATE gateway_events SET outcome = ? WHERE gateway = ? AND id = ?', [outcome, ref.gateway, ref.id]);
  const getSettings = (q: Sql, eventId: number) => q.get<Raw>('SELECT * FROM checkout_settings WHERE event_id = ?', [eventId]);
  const getPlan = (eventId: number, id: number) =>
    db.get<Raw>('SELECT * FROM checkout_plans WHERE event_id = ? AND id = ?', [eventId, id]);
  const byIdem = (q: Sql, eventId: number, hash: string) =>
    q.get<Raw>('SELECT * FROM orders WHERE event_id = ? AND idempotency_hash = ?', [eventId, hash]);
  const orderImages = (orderId: string) =>
    db.pluck<string>('SELECT image_id FROM order_images WHERE order_id = ? ORDER BY position', [orderId]);

  return {
    async getSettings(eventId) {
      const r = await getSettings(db, eventId);
      return r ? ({ ...(r as unknown as CheckoutSettingsRow), enabled: bool(r.enabled) } as CheckoutSettingsRow) : null;
    },
    async putSettings(eventId, patch) {
      return db.tx(async (q) => {
        await q.lock(LockSpace.checkoutSettings, eventId);
        const cur = await getSettings(q, eventId);
        const enabled = patch.enabled ?? (cur ? bool(cur.enabled) : false);
        const gateway = patch.gateway !== undefined ? patch.gateway : ((cur?.gateway as GatewayName | null | undefined) ?? null);
        const at = nowIso();
        await q.run(
          `INSERT INTO checkout_settings (event_id, enabled, gateway, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (event_id) DO UPDATE SET enabled = excluded.enabled, gateway = excluded.gateway, updated_at = excluded.updated_at`,
          [eventId, enabled ? 1 : 0, gateway, at],
        );
        return { event_id: eventId, enabled, gateway, updated_at: at };
      });
    },

    async createPlan(eventId, plan) {
      const at = nowIso();
      const r = await db.get<Raw>(
        `INSERT INTO checkout_plans (event_id, name, kind, quantity, price, currency, tax_inclusive, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
        [
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
        ],
      );
      return toPlan(r!);
    },
    async getPlan(eventId, id) {
      const r = await getPlan(eventId, id);
      return r ? toPlan(r) : null;
    },
    async listPlans(eventId, statuses) {
      const rows = statuses?.length
        ? await db.all<Raw>('SELECT * FROM checkout_plans WHERE event_id = ? AND status = ANY(?::text[]) ORDER BY id', [
            eventId,
            statuses,
          ])
        : await db.all<Raw>('SELECT * FROM checkout_plans WHERE event_id = ? ORDER BY id', [eventId]);
      return rows.map(toPlan);
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
        const r = await getPlan(eventId, id);
        return r ? toPlan(r) : null;
      }
      const r = await db.get<Raw>(
        `UPDATE checkout_plans SET ${sets.join(', ')}, updated_at = ? WHERE event_id = ? AND id = ? RETURNING *`,
        [...values, nowIso(), eventId, id],
      );
      return r ? toPlan(r) : null;
    },

    async createOrder(o, imageIds, source) {
      return db.tx(async (q) => {
        const now = nowIso();
        const added = await q.run(
          `INSERT INTO orders (id, event_id, org_id, status, amount, currency, tax_inclusive, lines,
             selection_kind, selection_value, image_count, gateway, email, return_url, idempotency_hash, request_hash, token_hash,
             token_sealed, created_at, updated_at)
           VALUES (@id, @event_id, @org_id, 'pending', @amount, @currency, @tax_inclusive, @lines, @selection_kind, @selection_value,
             @image_count, @gateway, @email, @return_url, @idempotency_hash, @request_hash, @token_hash, @token_sealed, @now, @now)
           ON CONFLICT DO NOTHING`,
          { ...o, tax_inclusive: o.tax_inclusive ? 1 : 0, lines: JSON.stringify(o.lines), now },
        );
        // Untargeted: two requests racing with one key may also collide on the id (callers that derive it
        // from the key), and a targeted arbiter would then raise on the primary key instead of yielding.
        if (added === 0) {
          const winner = await byIdem(q, o.event_id, o.idempotency_hash);
          if (!winner) throw new Error(`order id ${o.id} is already taken by another order`);
          return { order: toOrder(winner), created: false };
        }
        if (imageIds.length > 0) {
          await q.run(
            `INSERT INTO order_images (order_id, image_id, position)
             SELECT ?::text, image_id, n - 1 FROM unnest(?::text[]) WITH ORDINALITY AS i(image_id, n)
             ON CONFLICT DO NOTHING`,
            [o.id, imageIds],
          );
        }
        const row = (await order(q, o.id))!;
        await logEvent(
          q,
          row,
          { source, type: 'created', to_status: 'pending', detail: `${o.image_count} photos, ${o.amount} ${o.currency}` },
          now,
        );
        return { order: row, created: true };
      });
    },
    async getOrder(id) {
      return order(db, id);
    },
    async findOrderByIdempotency(eventId, hash) {
      const r = await byIdem(db, eventId, hash);
      return r ? toOrder(r) : null;
    },
    async findOrderBySession(gateway, session) {
      const r = await db.get<Raw>('SELECT * FROM orders WHERE gateway = ? AND gateway_session = ?', [gateway, session]);
      return r ? toOrder(r) : null;
    },
    async findOrderByPayment(gateway, payment) {
      const r = await db.get<Raw>(
        'SELECT * FROM orders WHERE gateway = ? AND gateway_payment = ? ORDER BY created_at DESC LIMIT 1',
        [gateway, payment],
      );
      return r ? toOrder(r) : null;
    },
    async setSession(orderId, session, url, source) {
      return db.tx(async (q) => {
        const cur = await order(q, orderId, true);
        if (!cur) throw new Error(`order ${orderId} not found`);
        if (cur.gateway_session) return cur;
        await q.run('UPDATE orders SET gateway_session = ?, checkout_url = ?, updated_at = ? WHERE id = ?', [
          session,
          url,
          nowIso(),
          orderId,
        ]);
        await logEvent(q, cur, { source, type: 'session', detail: `${cur.gateway} session ${session}` });
        return (await order(q, orderId))!;
      });
    },
    async orderImageIds(orderId) {
      return orderImages(orderId);
    },

    async transition(t) {
      return db.tx(async (q) => {
        const cur = await order(q, t.orderId, true);
        if (!cur) return { outcome: 'unchanged' as const, order: null };
        if (!(await claim(q, t.gatewayEvent, cur.id, 'pending'))) return { outcome: 'duplicate' as const, order: cur };
        const geId = t.gatewayEvent?.id ?? null;
        if (!t.from.includes(cur.status)) {
          await logEvent(q, cur, {
            source: t.source,
            type: 'ignored',
            from_status: cur.status,
            to_status: t.to,
            gateway_event_id: geId,
            detail: t.detail ?? `${cur.status} → ${t.to} is not allowed; kept ${cur.status}`,
          });
          if (t.gatewayEvent) await setGatewayOutcome(q, 'ignored', t.gatewayEvent);
          return { outcome: 'unchanged' as const, order: cur };
        }
        const now = nowIso();
        await q.run(
          `UPDATE orders SET status = @to::text, updated_at = @now::text,
             paid_at = CASE WHEN @to::text = 'paid' THEN COALESCE(paid_at, @now::text) ELSE paid_at END,
             gateway_payment = COALESCE(@payment::text, gateway_payment),
             refunded_amount = COALESCE(@refunded::bigint, refunded_amount)
           WHERE id = @id`,
          { to: t.to, now, payment: t.payment ?? null, refunded: t.refundedAmount ?? null, id: cur.id },
        );
        await logEvent(
          q,
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
        if (t.gatewayEvent) await setGatewayOutcome(q, t.to, t.gatewayEvent);
        return { outcome: 'applied' as const, order: await order(q, cur.id) };
      });
    },
    async note(orderId, e) {
      return db.tx(async (q) => {
        const cur = await order(q, orderId, true);
        if (!cur) return false;
        if (!(await claim(q, e.gatewayEvent, cur.id, e.type ?? 'noted'))) return false;
        if (e.refundedAmount != null)
          await q.run('UPDATE orders SET refunded_amount = ?, updated_at = ? WHERE id = ?', [e.refundedAmount, nowIso(), cur.id]);
        await logEvent(q, cur, {
          source: e.source,
          type: e.type ?? 'note',
          amount: e.amount ?? null,
          gateway_event_id: e.gatewayEvent?.id ?? null,
          detail: e.detail,
        });
        return true;
      });
    },
    async recordGatewayEvent(ref, outcome) {
      return claim(db, ref, null, outcome);
    },
    async hasGatewayEvent(gateway, id) {
      return (await db.get('SELECT 1 FROM gateway_events WHERE gateway = ? AND id = ?', [gateway, id])) !== undefined;
    },
    async orderEvents(orderId) {
      return db.all<OrderEventRow>('SELECT * FROM order_events WHERE order_id = ? ORDER BY id', [orderId]);
    },

    async listOrders(eventId, filter, { offset, limit }) {
      const where = filter.status ? 'event_id = ? AND status = ?' : 'event_id = ?';
      const args: unknown[] = filter.status ? [eventId, filter.status] : [eventId];
      const total = (await db.value<number>(`SELECT count(*) FROM orders WHERE ${where}`, args))!;
      const rows = await db.all<Raw>(`SELECT * FROM orders WHERE ${where} ORDER BY created_at DESC, id LIMIT ? OFFSET ?`, [
        ...args,
        limit,
        offset,
      ]);
      return { items: rows.map(toOrder), total };
    },
    async statusCounts(eventId) {
      return db.all<StatusCount>(
        `SELECT status, gateway, currency, count(*) AS orders, sum(amount) AS amount, sum(refunded_amount) AS refunded
         FROM orders WHERE event_id = ? GROUP BY status, gateway, currency`,
        [eventId],
      );
    },
    async listMoneyEvents(eventId, { offset, limit }) {
      const total = (await db.value<number>('SELECT count(*) FROM order_events WHERE event_id = ? AND amount IS NOT NULL', [
        eventId,
      ]))!;
      const rows = await db.all<OrderEventRow>(
        'SELECT * FROM order_events WHERE event_id = ? AND amount IS NOT NULL ORDER BY id DESC LIMIT ? OFFSET ?',
        [eventId, limit, offset],
      );
      const orders = new Map<string, OrderRow>();
      for (const r of rows) if (!orders.has(r.order_id)) orders.set(r.order_id, (await order(db, r.order_id))!);
      return { items: rows.map((r) => ({ ...r, order: orders.get(r.order_id)! })), total };
    },

    async unlockedImages(eventId, tokenHash, imageIds) {
      const out = new Set<string>();
      const paid = await db.get<{ id: string }>(
        "SELECT id FROM orders WHERE event_id = ? AND token_hash = ? AND status = 'paid'",
        [eventId, tokenHash],
      );
      if (!paid) return out;
      const covered = new Set(await orderImages(paid.id));
      for (const id of imageIds) if (covered.has(id)) out.add(id);
      return out;
    },
  };
}
