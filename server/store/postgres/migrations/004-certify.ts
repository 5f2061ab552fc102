import { NOW_SQL as NOW } from '../db.ts';
import type { PgMigration } from './index.ts';

/** Twin of sqlite/migrations/004-certify.ts. */
export const certify: PgMigration = {
  version: 4,
  name: 'certify: certificate_templates, certificate_records, certificate_state, certificate_renders',
  up: `
    CREATE TABLE certificate_templates (
      event_id BIGINT PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
      template TEXT NOT NULL,
      source TEXT NOT NULL,
      version BIGINT NOT NULL,
      updated_at TEXT NOT NULL DEFAULT ${NOW}
    );
    CREATE TABLE certificate_records (
      event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
      bib TEXT NOT NULL,
      name TEXT NOT NULL,
      data TEXT NOT NULL,
      digest TEXT NOT NULL,
      version BIGINT NOT NULL DEFAULT 1,
      import_id BIGINT,
      updated_at TEXT NOT NULL DEFAULT ${NOW},
      PRIMARY KEY (event_id, bib)
    );
    CREATE INDEX certificate_records_unpadded ON certificate_records(event_id, ltrim(bib, '0'));
    CREATE TABLE certificate_state (
      event_id BIGINT PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
      published BIGINT NOT NULL DEFAULT 0,
      published_at TEXT,
      last_import TEXT,
      import_seq BIGINT NOT NULL DEFAULT 0,
      updated_at TEXT NOT NULL DEFAULT ${NOW}
    );
    CREATE TABLE certificate_renders (
      event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
      bib TEXT NOT NULL,
      format TEXT NOT NULL CHECK (format IN ('png','pdf')),
      cache_key TEXT NOT NULL,
      blob_key TEXT NOT NULL,
      bytes BIGINT NOT NULL,
      created_at TEXT NOT NULL DEFAULT ${NOW},
      PRIMARY KEY (event_id, bib, format)
    );
  `,
};
