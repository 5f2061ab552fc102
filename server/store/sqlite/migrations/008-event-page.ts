import type { Migration } from './index.ts';

/**
 * Event page and access (issue 14):
 *  - event settings: visibility, page password (argon2 hash), location, event type, cover image, search-only
 *    gallery, bulk download, photo count, free web-size download, call to action, and `watermark_version`
 *    (bumped when the watermark changes; renditions of an older version are re-rendered in the background);
 *  - `renditions.watermark_version`: the watermark version a rendition was drawn with; events that already
 *    have a watermark start at version 1, so their (unwatermarked) thumbnails are re-rendered once;
 *  - `event_runners`: the registration list (bib, name) for name search, with a folded name key;
 *  - `analytics_daily`: counters per event, UTC day, source and metric (no cookies, no IPs, no person).
 */
export const eventPage: Migration = {
  version: 8,
  name: 'event page: event settings, rendition watermark versions, event_runners, analytics_daily',
  up: `
    ALTER TABLE events ADD COLUMN visibility TEXT NOT NULL DEFAULT 'public' CHECK (visibility IN ('public','unlisted','private'));
    ALTER TABLE events ADD COLUMN page_password TEXT;
    ALTER TABLE events ADD COLUMN location TEXT;
    ALTER TABLE events ADD COLUMN event_type TEXT;
    ALTER TABLE events ADD COLUMN cover_image TEXT;
    ALTER TABLE events ADD COLUMN show_all_images INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE events ADD COLUMN bulk_download INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE events ADD COLUMN show_photo_count INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE events ADD COLUMN web_download INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE events ADD COLUMN cta TEXT;
    ALTER TABLE events ADD COLUMN watermark_version INTEGER NOT NULL DEFAULT 0;
    UPDATE events SET watermark_version = 1 WHERE watermark_text IS NOT NULL OR watermark_image IS NOT NULL;
    CREATE INDEX events_slug ON events(org_id, slug);

    ALTER TABLE renditions ADD COLUMN watermark_version INTEGER NOT NULL DEFAULT 0;

    CREATE TABLE event_runners (
      event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
      bib_norm TEXT NOT NULL,
      bib TEXT NOT NULL,
      name TEXT NOT NULL,
      name_key TEXT NOT NULL,
      import_id INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (event_id, bib_norm)
    ) WITHOUT ROWID;

    CREATE TABLE analytics_daily (
      event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
      day TEXT NOT NULL,
      source TEXT NOT NULL,
      metric TEXT NOT NULL,
      count INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (event_id, day, source, metric)
    ) WITHOUT ROWID;
  `,
};
