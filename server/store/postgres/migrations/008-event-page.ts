import type { PgMigration } from './index.ts';

/** Twin of sqlite/migrations/008-event-page.ts. */
export const eventPage: PgMigration = {
  version: 8,
  name: 'event page: event settings, rendition watermark versions, event_runners, analytics_daily',
  up: `
    ALTER TABLE events ADD COLUMN visibility TEXT NOT NULL DEFAULT 'public' CHECK (visibility IN ('public','unlisted','private'));
    ALTER TABLE events ADD COLUMN page_password TEXT;
    ALTER TABLE events ADD COLUMN location TEXT;
    ALTER TABLE events ADD COLUMN event_type TEXT;
    ALTER TABLE events ADD COLUMN cover_image TEXT;
    ALTER TABLE events ADD COLUMN show_all_images BIGINT NOT NULL DEFAULT 1;
    ALTER TABLE events ADD COLUMN bulk_download BIGINT NOT NULL DEFAULT 1;
    ALTER TABLE events ADD COLUMN show_photo_count BIGINT NOT NULL DEFAULT 1;
    ALTER TABLE events ADD COLUMN web_download BIGINT NOT NULL DEFAULT 0;
    ALTER TABLE events ADD COLUMN cta TEXT;
    ALTER TABLE events ADD COLUMN watermark_version BIGINT NOT NULL DEFAULT 0;
    UPDATE events SET watermark_version = 1 WHERE watermark_text IS NOT NULL OR watermark_image IS NOT NULL;
    CREATE INDEX events_slug ON events(org_id, slug);

    ALTER TABLE renditions ADD COLUMN watermark_version BIGINT NOT NULL DEFAULT 0;

    CREATE TABLE event_runners (
      event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
      bib_norm TEXT NOT NULL,
      bib TEXT NOT NULL,
      name TEXT NOT NULL,
      name_key TEXT NOT NULL,
      import_id BIGINT NOT NULL DEFAULT 0,
      PRIMARY KEY (event_id, bib_norm)
    );

    CREATE TABLE analytics_daily (
      event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
      day TEXT NOT NULL,
      source TEXT NOT NULL,
      metric TEXT NOT NULL,
      count BIGINT NOT NULL DEFAULT 0,
      PRIMARY KEY (event_id, day, source, metric)
    );
  `,
};
