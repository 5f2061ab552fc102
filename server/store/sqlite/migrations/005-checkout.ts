import type { Migration } from './index.ts';

const NOW = "(strftime('%Y-%m-%dT%H:%M:%fZ','now'))";

/**
 * Checkout: per-event settings, plans, orders (+ their photos), the log of every order change, and the
 * gateway events already processed. Orders keep their event (ON DELETE RESTRICT): a payment is never lost
 * by deleting an event.
 */
export const checkout: Migration = {
  version: 5,
  name: 'checkout: settings, plans, orders, order_images, order_events, gateway_events',
  up: `
    CREATE TABLE checkout_settings (
      event_id INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
      enabled INTEGER NOT NULL DEFAULT 0,
      gateway TEXT CHECK (gateway IN ('stripe','test')),
      updated_at TEXT NOT NULL DEFAULT ${NOW}
    );
    CREATE TABLE checkout_plans (
      id INTEGER PRIMARY KEY,
      event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('single','bundle','all')),
      quantity INTEGER,
      price INTEGER NOT NULL CHECK (price > 0),
      currency TEXT NOT NULL,
      tax_inclusive INTEGER NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('draft','published','paused','archived')),
      created_at TEXT NOT NULL DEFAULT ${NOW},
      updated_at TEXT NOT NULL DEFAULT ${NOW}
    );
    CREATE INDEX checkout_plans_event ON checkout_plans(event_id, status);
    CREATE TABLE orders (
      id TEXT PRIMARY KEY,
      event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE RESTRICT,
      org_id INTEGER NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('pending','paid','refunded','failed','abandoned')),
      amount INTEGER NOT NULL CHECK (amount >= 0),
      currency TEXT NOT NULL,
      tax_inclusive INTEGER NOT NULL,
      lines TEXT NOT NULL,
      selection_kind TEXT NOT NULL CHECK (selection_kind IN ('image_ids','bib','selfie')),
      selection_value TEXT,
      image_count INTEGER NOT NULL,
      gateway TEXT NOT NULL CHECK (gateway IN ('stripe','test')),
      gateway_session TEXT,
      checkout_url TEXT,
      gateway_payment TEXT,
      refunded_amount INTEGER NOT NULL DEFAULT 0,
      email TEXT,
      return_url TEXT NOT NULL,
      idempotency_hash TEXT NOT NULL,
      request_hash TEXT NOT NULL,
      token_hash TEXT NOT NULL UNIQUE,
      token_sealed TEXT NOT NULL,
      created_at TEXT NOT NULL DEFAULT ${NOW},
      updated_at TEXT NOT NULL DEFAULT ${NOW},
      paid_at TEXT,
      UNIQUE (event_id, idempotency_hash)
    );
    CREATE INDEX orders_event ON orders(event_id, created_at DESC);
    CREATE UNIQUE INDEX orders_session ON orders(gateway, gateway_session) WHERE gateway_session IS NOT NULL;
    CREATE INDEX orders_payment ON orders(gateway, gateway_payment) WHERE gateway_payment IS NOT NULL;
    CREATE TABLE order_images (
      order_id TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
      image_id TEXT NOT NULL,
      position INTEGER NOT NULL,
      PRIMARY KEY (order_id, image_id)
    );
    CREATE TABLE order_events (
      id INTEGER PRIMARY KEY,
      order_id TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
      event_id INTEGER NOT NULL,
      at TEXT NOT NULL DEFAULT ${NOW},
      source TEXT NOT NULL,
      type TEXT NOT NULL,
      from_status TEXT,
      to_status TEXT,
      amount INTEGER,
      gateway_event_id TEXT,
      detail TEXT
    );
    CREATE INDEX order_events_order ON order_events(order_id, id);
    CREATE INDEX order_events_money ON order_events(event_id, id) WHERE amount IS NOT NULL;
    CREATE TABLE gateway_events (
      gateway TEXT NOT NULL,
      id TEXT NOT NULL,
      type TEXT NOT NULL,
      order_id TEXT,
      outcome TEXT NOT NULL,
      received_at TEXT NOT NULL DEFAULT ${NOW},
      PRIMARY KEY (gateway, id)
    );
  `,
};
