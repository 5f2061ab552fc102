import type { Migration } from './index.ts';

const NOW = "(strftime('%Y-%m-%dT%H:%M:%fZ','now'))";

/**
 * Credits, plans and billing (issue 13):
 *  - `images.state`: 'ready', or 'waiting_credits' (stored, not processed: a metered organisation had no credits);
 *    every public read filters state = 'ready';
 *  - `credit_waiting`: what a waiting photo's later processing needs (sidecar BIBs, the clock offset);
 *  - `org_accounts`: an organisation's plan (no row = 'unlimited'), its expiry, cost per photo and per credit, time zone;
 *  - `credit_ledger`: append-only signed deltas; `idem_key` unique, so a photo is charged once and a payment
 *    credits once. Its event column is `ref_event_id` (not `event_id`): deleting an event keeps the ledger;
 *  - `billing_details`, `credit_payments` (with gapless invoice numbers), `credit_gateway_events` (each gateway
 *    event applied once), `operators` (server-level operators: users who manage every organisation's plan and credits).
 */
export const credits: Migration = {
  version: 11,
  name: 'credits: image state, plans, ledger, billing, payments, invoices, operators',
  up: `
    ALTER TABLE images ADD COLUMN state TEXT NOT NULL DEFAULT 'ready' CHECK (state IN ('ready','waiting_credits'));
    CREATE INDEX images_waiting ON images(event_id, created_at) WHERE state <> 'ready';
    CREATE INDEX images_gallery_ready ON images(event_id, untimed, captured_at, id) WHERE state = 'ready';
    CREATE TABLE credit_waiting (
      image_id TEXT PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
      event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
      org_id INTEGER NOT NULL,
      bibs TEXT NOT NULL DEFAULT '[]',
      clock_offset_ms INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL DEFAULT ${NOW}
    );
    CREATE INDEX credit_waiting_org ON credit_waiting(org_id, created_at);
    CREATE TABLE org_accounts (
      org_id INTEGER PRIMARY KEY REFERENCES orgs(id) ON DELETE CASCADE,
      plan TEXT NOT NULL DEFAULT 'unlimited' CHECK (plan IN ('unlimited','trial','payg','pro','enterprise')),
      expires_at TEXT,
      cost_per_photo INTEGER NOT NULL DEFAULT 1 CHECK (cost_per_photo >= 0),
      cost_per_credit INTEGER CHECK (cost_per_credit >= 0),
      currency TEXT NOT NULL DEFAULT 'USD',
      time_zone TEXT NOT NULL DEFAULT 'UTC',
      updated_at TEXT NOT NULL DEFAULT ${NOW}
    );
    CREATE TABLE credit_ledger (
      id INTEGER PRIMARY KEY,
      org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
      type TEXT NOT NULL CHECK (type IN ('usage','purchase','admin_grant','free_credits','refund')),
      usage_kind TEXT CHECK (usage_kind IN ('event_photo_indexing','ai_image_rotation')),
      delta INTEGER NOT NULL,
      ref_event_id INTEGER,
      event_name TEXT,
      image_id TEXT,
      user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
      payment_id TEXT,
      note TEXT,
      idem_key TEXT UNIQUE,
      created_at TEXT NOT NULL DEFAULT ${NOW}
    );
    CREATE INDEX credit_ledger_org ON credit_ledger(org_id, id);
    CREATE INDEX credit_ledger_org_time ON credit_ledger(org_id, created_at);
    CREATE TABLE billing_details (
      org_id INTEGER PRIMARY KEY REFERENCES orgs(id) ON DELETE CASCADE,
      company TEXT NOT NULL,
      email TEXT NOT NULL,
      address TEXT NOT NULL,
      phone TEXT NOT NULL DEFAULT '',
      tax_id TEXT NOT NULL DEFAULT '',
      shipping_address TEXT,
      updated_at TEXT NOT NULL DEFAULT ${NOW}
    );
    CREATE TABLE credit_payments (
      id TEXT PRIMARY KEY,
      org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE RESTRICT,
      kind TEXT NOT NULL CHECK (kind IN ('pro_subscription','credits','custom')),
      status TEXT NOT NULL CHECK (status IN ('completed','pending','failed','abandoned')),
      gateway TEXT NOT NULL CHECK (gateway IN ('stripe','test')),
      amount INTEGER NOT NULL CHECK (amount >= 0),
      currency TEXT NOT NULL,
      credits INTEGER NOT NULL DEFAULT 0,
      pro_days INTEGER NOT NULL DEFAULT 0,
      description TEXT NOT NULL,
      gateway_session TEXT,
      gateway_payment TEXT,
      checkout_url TEXT,
      return_url TEXT NOT NULL,
      user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
      invoice_seq INTEGER UNIQUE,
      invoice_number TEXT UNIQUE,
      invoice_issued_at TEXT,
      invoice_billing TEXT,
      invoice_error TEXT,
      created_at TEXT NOT NULL DEFAULT ${NOW},
      updated_at TEXT NOT NULL DEFAULT ${NOW},
      completed_at TEXT
    );
    CREATE INDEX credit_payments_org ON credit_payments(org_id, created_at);
    CREATE UNIQUE INDEX credit_payments_session ON credit_payments(gateway, gateway_session) WHERE gateway_session IS NOT NULL;
    CREATE TABLE credit_gateway_events (
      gateway TEXT NOT NULL,
      event_id TEXT NOT NULL,
      payment_id TEXT,
      outcome TEXT NOT NULL,
      received_at TEXT NOT NULL DEFAULT ${NOW},
      PRIMARY KEY (gateway, event_id)
    ) WITHOUT ROWID;
    CREATE TABLE operators (
      user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
      created_at TEXT NOT NULL DEFAULT ${NOW}
    );
  `,
};
