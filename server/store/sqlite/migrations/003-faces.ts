import type { Migration } from './index.ts';

const NOW = "(strftime('%Y-%m-%dT%H:%M:%fZ','now'))";

/**
 * Face search: the faces found in each photo (box, detector score, int8 embedding), which photos were
 * scanned, a per-event version that changes with every face added or removed (so every server process
 * can tell its in-memory index is stale), and the stored selfie searches with their ranked matches.
 */
export const faces: Migration = {
  version: 3,
  name: 'faces: faces, face_scans, face_versions, face_searches, face_search_hits',
  up: `
    CREATE TABLE faces (
      id INTEGER PRIMARY KEY,
      image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
      event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
      x1 REAL NOT NULL,
      y1 REAL NOT NULL,
      x2 REAL NOT NULL,
      y2 REAL NOT NULL,
      score REAL NOT NULL,
      sharpness REAL,
      embedding BLOB NOT NULL CHECK (length(embedding) = 516)
    );
    CREATE INDEX faces_event ON faces(event_id, id);
    CREATE INDEX faces_image ON faces(image_id);

    CREATE TABLE face_scans (
      image_id TEXT PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
      event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
      faces INTEGER NOT NULL,
      scanned_at TEXT NOT NULL DEFAULT ${NOW}
    );
    CREATE INDEX face_scans_event ON face_scans(event_id);

    CREATE TABLE face_versions (
      event_id INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
      version INTEGER NOT NULL
    );
    CREATE TRIGGER faces_added AFTER INSERT ON faces BEGIN
      INSERT INTO face_versions (event_id, version) VALUES (NEW.event_id, 1)
        ON CONFLICT (event_id) DO UPDATE SET version = version + 1;
    END;
    CREATE TRIGGER faces_removed AFTER DELETE ON faces BEGIN
      UPDATE face_versions SET version = version + 1 WHERE event_id = OLD.event_id;
    END;

    CREATE TABLE face_searches (
      request_id TEXT PRIMARY KEY,
      event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
      source TEXT NOT NULL CHECK (source IN ('photo','crop','vector','union')),
      threshold REAL NOT NULL,
      embedding BLOB,
      matched INTEGER NOT NULL,
      created_at TEXT NOT NULL DEFAULT ${NOW},
      embedding_deleted_at TEXT
    );
    CREATE INDEX face_searches_retention ON face_searches(created_at) WHERE embedding IS NOT NULL;

    CREATE TABLE face_search_hits (
      request_id TEXT NOT NULL REFERENCES face_searches(request_id) ON DELETE CASCADE,
      rank INTEGER NOT NULL,
      image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
      score REAL NOT NULL,
      PRIMARY KEY (request_id, rank)
    );
    CREATE INDEX face_search_hits_image ON face_search_hits(image_id);
  `,
};
