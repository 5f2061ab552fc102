import type { PgMigration } from './index.ts';

/**
 * Twin of sqlite/migrations/014-perf.ts: per-event counts of the photos public reads see (state 'ready') and a
 * gallery data version, kept by triggers, so every replica reads the same count and version in one primary-key
 * read. The counter row is locked by a writing transaction until it commits (ingests of one event serialise on it
 * only for their short insert transaction). A deleted event's row stays, as on SQLite.
 */
export const perf: PgMigration = {
  version: 14,
  name: 'perf: image_counts (photos per event, gallery data version) kept by triggers',
  up: `
    CREATE TABLE image_counts (
      event_id BIGINT PRIMARY KEY,
      images BIGINT NOT NULL DEFAULT 0,
      version BIGINT NOT NULL DEFAULT 0
    );
    INSERT INTO image_counts (event_id, images, version)
      SELECT event_id, count(*) FILTER (WHERE state = 'ready'), 1 FROM images GROUP BY event_id;
    CREATE FUNCTION image_counts_on_images() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE image_counts SET images = images - (OLD.state = 'ready')::int, version = version + 1
          WHERE event_id = OLD.event_id;
      END IF;
      IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO image_counts (event_id, images, version) VALUES (NEW.event_id, (NEW.state = 'ready')::int, 1)
          ON CONFLICT (event_id) DO UPDATE
          SET images = image_counts.images + EXCLUDED.images, version = image_counts.version + 1;
      END IF;
      RETURN NULL;
    END $fn$;
    CREATE TRIGGER image_counts_images AFTER INSERT OR UPDATE OR DELETE ON images
      FOR EACH ROW EXECUTE FUNCTION image_counts_on_images();
    CREATE FUNCTION image_counts_on_renditions() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      UPDATE image_counts SET version = version + 1
        WHERE event_id = (SELECT event_id FROM images
                          WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.image_id ELSE NEW.image_id END);
      RETURN NULL;
    END $fn$;
    CREATE TRIGGER image_counts_renditions AFTER INSERT OR UPDATE OR DELETE ON renditions
      FOR EACH ROW EXECUTE FUNCTION image_counts_on_renditions();
  `,
};
