import type { PgMigration } from './index.ts';

/**
 * Twin of sqlite/migrations/017-access-version.ts: one access data version row moved by statement triggers on
 * api_keys, events and org_accounts (every replica re-reads the keys, events and plans it kept when it moved), and bib
 * tag writes moving the event's gallery data version (image_counts), which keys the kept bib search pages. The
 * version row is locked by a writing transaction until it commits; these writes are rare (key, event settings and
 * plan changes).
 */
export const accessVersion: PgMigration = {
  version: 17,
  name: 'access_version (keys, events, plans) and bib tags moving the gallery data version',
  up: `
    CREATE TABLE access_version (id INTEGER PRIMARY KEY CHECK (id = 1), version BIGINT NOT NULL);
    INSERT INTO access_version (id, version) VALUES (1, 1);
    CREATE FUNCTION access_version_bump() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      -- An upsert: a test database emptied by TRUNCATE (which fires no trigger) gets its row back on the next write.
      INSERT INTO access_version (id, version) VALUES (1, 1)
        ON CONFLICT (id) DO UPDATE SET version = access_version.version + 1;
      RETURN NULL;
    END $fn$;
    CREATE TRIGGER access_version_api_keys AFTER INSERT OR UPDATE OR DELETE ON api_keys
      FOR EACH STATEMENT EXECUTE FUNCTION access_version_bump();
    CREATE TRIGGER access_version_events AFTER INSERT OR UPDATE OR DELETE ON events
      FOR EACH STATEMENT EXECUTE FUNCTION access_version_bump();
    CREATE TRIGGER access_version_org_accounts AFTER INSERT OR UPDATE OR DELETE ON org_accounts
      FOR EACH STATEMENT EXECUTE FUNCTION access_version_bump();
    CREATE FUNCTION image_counts_on_bib_tags() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE image_counts SET version = version + 1 WHERE event_id = OLD.event_id;
      END IF;
      IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.event_id <> OLD.event_id) THEN
        UPDATE image_counts SET version = version + 1 WHERE event_id = NEW.event_id;
      END IF;
      RETURN NULL;
    END $fn$;
    CREATE TRIGGER image_counts_bib_tags AFTER INSERT OR UPDATE OR DELETE ON bib_tags
      FOR EACH ROW EXECUTE FUNCTION image_counts_on_bib_tags();
  `,
};
