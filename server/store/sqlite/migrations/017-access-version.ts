import type { Migration } from './index.ts';

/**
 * API hot path (issue 20): an access data version, one row moved by triggers on every write to what the public API's
 * key and event checks read (api_keys, events, org_accounts), whichever process writes. The server keeps the keys,
 * events and plans it looked up in memory and re-reads them when this version moved (services/access-cache.ts):
 * each request reads one primary-key row instead of the three rows, and a revoked key is refused at once on every
 * server sharing the database. Also: bib tag writes now move the event's gallery data version (image_counts,
 * migration 014), which keys the kept bib search pages.
 */
export const accessVersion: Migration = {
  version: 17,
  name: 'access_version (keys, events, plans) and bib tags moving the gallery data version',
  up: `
    CREATE TABLE access_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
    INSERT INTO access_version (id, version) VALUES (1, 1);
    ${['api_keys', 'events', 'org_accounts']
      .flatMap((table) =>
        ['INSERT', 'UPDATE', 'DELETE'].map(
          (op) => `CREATE TRIGGER access_version_${table}_${op.toLowerCase()} AFTER ${op} ON ${table} BEGIN
        INSERT INTO access_version (id, version) VALUES (1, 1)
          ON CONFLICT (id) DO UPDATE SET version = version + 1;
      END;`,
        ),
      )
      .join('\n    ')}
    CREATE TRIGGER image_counts_bib_insert AFTER INSERT ON bib_tags BEGIN
      UPDATE image_counts SET version = version + 1 WHERE event_id = NEW.event_id;
    END;
    CREATE TRIGGER image_counts_bib_update AFTER UPDATE ON bib_tags BEGIN
      UPDATE image_counts SET version = version + 1 WHERE event_id IN (OLD.event_id, NEW.event_id);
    END;
    CREATE TRIGGER image_counts_bib_delete AFTER DELETE ON bib_tags BEGIN
      UPDATE image_counts SET version = version + 1 WHERE event_id = OLD.event_id;
    END;
  `,
};
