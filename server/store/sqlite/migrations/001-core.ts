import type { Migration } from './index.ts';

export const core: Migration = {
  version: 1,
  name: 'core: orgs, keys, events, images, renditions, bib tags',
  up: `
    CREATE TABLE orgs (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
    );
    CREATE TABLE api_keys (
      id INTEGER PRIMARY KEY,
      org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
      kind TEXT NOT NULL CHECK (kind IN ('secret','publishable')),
      prefix TEXT NOT NULL,
      hash TEXT NOT NULL UNIQUE,
      label TEXT,
      active INTEGER NOT NULL DEFAULT 1,
      event_ids TEXT,
      origins TEXT,
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
    );
    CREATE INDEX api_keys_org ON api_keys(org_id);
    CREATE TABLE events (
      id INTEGER PRIMARY KEY,
      org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      slug TEXT,
      event_date TEXT,
      time_zone TEXT NOT NULL DEFAULT 'UTC',
      status TEXT NOT NULL DEFAULT 'active',
      event_enabled INTEGER NOT NULL DEFAULT 1,
      free_downloads INTEGER NOT NULL DEFAULT 1,
      face_threshold REAL NOT NULL DEFAULT 0.45,
      watermark_text TEXT,
      watermark_image TEXT,
      flags TEXT NOT NULL,
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
      updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
    );
    CREATE INDEX events_org ON events(org_id, event_date DESC);
    CREATE TABLE images (
      id TEXT PRIMARY KEY,
      event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
      content_hash TEXT NOT NULL,
      original_name TEXT NOT NULL,
      captured_at INTEGER,
      untimed INTEGER GENERATED ALWAYS AS (captured_at IS NULL) STORED,
      width INTEGER NOT NULL,
      height INTEGER NOT NULL,
      mime TEXT NOT NULL,
      bytes INTEGER NOT NULL,
      original_key TEXT NOT NULL,
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
      UNIQUE (event_id, content_hash)
    );
    CREATE INDEX images_gallery ON images(event_id, untimed, captured_at, id);
    CREATE TABLE renditions (
      image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
      kind TEXT NOT NULL CHECK (kind IN ('thumb','preview')),
      width INTEGER NOT NULL,
      height INTEGER NOT NULL,
      format TEXT NOT NULL,
      blob_key TEXT NOT NULL,
      bytes INTEGER NOT NULL,
      PRIMARY KEY (image_id, kind, width, format)
    );
    CREATE TABLE bib_tags (
      id INTEGER PRIMARY KEY,
      image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
      event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
      bib TEXT NOT NULL,
      bib_norm TEXT NOT NULL,
      source TEXT NOT NULL CHECK (source IN ('manual','sidecar','ocr')),
      status TEXT NOT NULL DEFAULT 'accepted' CHECK (status IN ('accepted','rejected','candidate')),
      confidence REAL,
      box TEXT,
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
      UNIQUE (image_id, bib_norm, source)
    );
    CREATE INDEX bib_tags_search ON bib_tags(event_id, bib_norm, status);
  `,
};
