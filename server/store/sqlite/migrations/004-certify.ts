import type { Migration } from './index.ts';

const NOW = "(strftime('%Y-%m-%dT%H:%M:%fZ','now'))";

/**
 * Certify: the event's certificate template (JSON, versioned), participant records keyed by normalised
 * BIB (content digest + version per record, the import that last saw them), the publish flag with the
 * last import's report, and the index of rendered certificates (blob per BIB and format).
 */
export const certify: Migration = {
  version: 4,
  name: 'certify: certificate_templates, certificate_records, certificate_state, certificate_renders',
  up: `
    CREATE TABLE certificate_templates (
      event_id INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
      template TEXT NOT NULL,
      source TEXT NOT NULL,
      version INTEGER NOT NULL,
      updated_at TEXT NOT NULL DEFAULT ${NOW}
    );
    CREATE TABLE certificate_records (
      event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
      bib TEXT NOT NULL,
      name TEXT NOT NULL,
      data TEXT NOT NULL,
      digest TEXT NOT NULL,
      version INTEGER NOT NULL DEFAULT 1,
      import_id INTEGER,
      updated_at TEXT NOT NULL DEFAULT ${NOW},
      PRIMARY KEY (event_id, bib)
    ) WITHOUT ROWID;
    CREATE INDEX certificate_records_unpadded ON certificate_records(event_id, ltrim(bib, '0'));
    CREATE TABLE certificate_state (
      event_id INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
      published INTEGER NOT NULL DEFAULT 0,
      published_at TEXT,
      last_import TEXT,
      import_seq INTEGER NOT NULL DEFAULT 0,
      updated_at TEXT NOT NULL DEFAULT ${NOW}
    );
    CREATE TABLE certificate_renders (
      event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
      bib TEXT NOT NULL,
      format TEXT NOT NULL CHECK (format IN ('png','pdf')),
      cache_key TEXT NOT NULL,
      blob_key TEXT NOT NULL,
      bytes INTEGER NOT NULL,
      created_at TEXT NOT NULL DEFAULT ${NOW},
      PRIMARY KEY (event_id, bib, format)
    ) WITHOUT ROWID;
  `,
};
