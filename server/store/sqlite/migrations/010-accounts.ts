import type { Migration } from './index.ts';

const NOW = "(strftime('%Y-%m-%dT%H:%M:%fZ','now'))";

/**
 * The organiser console (issue 12):
 *  - `users` (email + argon2id hash) and `memberships` (a role per organisation; photographers' events);
 *  - `sessions`: console sign-ins, by the sha256 of the cookie's token (the token itself is never stored);
 *  - `invitations`: links by token hash, with expiry, accepted once;
 *  - `photographer_clocks`: per event and photographer, seconds added to camera capture times;
 *  - `uploads`: tus uploads and their processing state (received → waiting → processing → processed/duplicate/failed).
 */
export const accounts: Migration = {
  version: 10,
  name: 'accounts: users, memberships, sessions, invitations, photographer clocks, tus uploads',
  up: `
    CREATE TABLE users (
      id INTEGER PRIMARY KEY,
      email TEXT NOT NULL UNIQUE COLLATE NOCASE,
      name TEXT NOT NULL DEFAULT '',
      password_hash TEXT NOT NULL,
      created_at TEXT NOT NULL DEFAULT ${NOW},
      password_changed_at TEXT NOT NULL DEFAULT ${NOW}
    );
    CREATE TABLE memberships (
      org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
      user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      role TEXT NOT NULL CHECK (role IN ('owner','admin','photographer','viewer')),
      event_ids TEXT,
      created_at TEXT NOT NULL DEFAULT ${NOW},
      PRIMARY KEY (org_id, user_id)
    );
    CREATE INDEX memberships_user ON memberships(user_id);
    CREATE TABLE sessions (
      id INTEGER PRIMARY KEY,
      user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      token_hash TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL DEFAULT ${NOW},
      last_seen_at TEXT NOT NULL DEFAULT ${NOW},
      expires_at TEXT NOT NULL
    );
    CREATE INDEX sessions_user ON sessions(user_id);
    CREATE TABLE invitations (
      id INTEGER PRIMARY KEY,
      org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
      email TEXT NOT NULL COLLATE NOCASE,
      role TEXT NOT NULL CHECK (role IN ('owner','admin','photographer','viewer')),
      event_ids TEXT,
      token_hash TEXT NOT NULL UNIQUE,
      invited_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
      created_at TEXT NOT NULL DEFAULT ${NOW},
      expires_at TEXT NOT NULL,
      accepted_at TEXT
    );
    CREATE INDEX invitations_org ON invitations(org_id);
    CREATE TABLE photographer_clocks (
      event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
      user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      offset_seconds INTEGER NOT NULL,
      PRIMARY KEY (event_id, user_id)
    ) WITHOUT ROWID;
    CREATE TABLE uploads (
      id TEXT PRIMARY KEY,
      org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
      event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
      user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
      key_id INTEGER,
      file_name TEXT NOT NULL,
      file_type TEXT,
      size INTEGER,
      state TEXT NOT NULL DEFAULT 'receiving'
        CHECK (state IN ('receiving','waiting','processing','processed','duplicate','failed')),
      image_id TEXT,
      faces INTEGER NOT NULL DEFAULT 0,
      bibs INTEGER NOT NULL DEFAULT 0,
      error TEXT,
      created_at TEXT NOT NULL DEFAULT ${NOW},
      updated_at TEXT NOT NULL DEFAULT ${NOW}
    );
    CREATE INDEX uploads_event_state ON uploads(event_id, state);
  `,
};
