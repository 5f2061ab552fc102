import type { Migration } from './index.ts';

const NOW = "(strftime('%Y-%m-%dT%H:%M:%fZ','now'))";

/**
 * Motion (video clips by selfie):
 *  - `videos`: an event's source videos (original, poster and preview blobs, probe facts, keyframes);
 *  - `video_faces`: faces of the frames sampled at ingest, with their time in the video;
 *  - `video_settings`: the event's Motion settings (absent = the defaults);
 *  - `video_clip_jobs`: one selfie clip search per request_id, its state and (until it ends) its query;
 *  - `video_clips`: clips cut, one per (video, window asked for), shared by every job that wants them;
 *  - `video_clip_job_clips`: the clips of a finished job, in order.
 */
export const video: Migration = {
  version: 9,
  name: 'video: videos, video_faces, video_settings, video_clip_jobs, video_clips',
  up: `
    CREATE TABLE videos (
      id TEXT PRIMARY KEY,
      event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
      content_hash TEXT NOT NULL,
      original_name TEXT NOT NULL,
      mime TEXT NOT NULL,
      bytes INTEGER NOT NULL,
      duration_ms INTEGER NOT NULL,
      width INTEGER NOT NULL,
      height INTEGER NOT NULL,
      frame_rate REAL,
      video_codec TEXT NOT NULL,
      audio_codec TEXT,
      sample_fps REAL NOT NULL,
      frames_sampled INTEGER NOT NULL,
      keyframes TEXT NOT NULL,
      original_key TEXT NOT NULL,
      poster_key TEXT NOT NULL,
      preview_key TEXT NOT NULL,
      created_at TEXT NOT NULL DEFAULT ${NOW},
      UNIQUE (event_id, content_hash)
    );

    CREATE TABLE video_faces (
      id INTEGER PRIMARY KEY,
      video_id TEXT NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
      event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
      t_ms INTEGER NOT NULL,
      x1 REAL NOT NULL, y1 REAL NOT NULL, x2 REAL NOT NULL, y2 REAL NOT NULL,
      score REAL NOT NULL,
      embedding BLOB NOT NULL
    );
    CREATE INDEX video_faces_event ON video_faces(event_id);
    CREATE INDEX video_faces_video ON video_faces(video_id, t_ms);

    CREATE TABLE video_settings (
      event_id INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
      fps REAL NOT NULL,
      quality INTEGER NOT NULL,
      max_clip_duration_s REAL NOT NULL,
      min_segment_s REAL NOT NULL,
      max_gap_s REAL NOT NULL,
      padding_start_s REAL NOT NULL,
      padding_end_s REAL NOT NULL,
      confidence_threshold REAL NOT NULL,
      updated_at TEXT NOT NULL DEFAULT ${NOW}
    );

    CREATE TABLE video_clip_jobs (
      request_id TEXT PRIMARY KEY,
      event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
      source TEXT NOT NULL CHECK (source IN ('photo','crop','vector','face_search')),
      status TEXT NOT NULL CHECK (status IN ('queued','processing','completed','no_match','failed')),
      embedding BLOB,
      settings TEXT NOT NULL,
      error TEXT,
      created_at TEXT NOT NULL DEFAULT ${NOW},
      started_at TEXT,
      finished_at TEXT
    );
    CREATE INDEX video_clip_jobs_open ON video_clip_jobs(status) WHERE status IN ('queued','processing');

    CREATE TABLE video_clips (
      id TEXT PRIMARY KEY,
      video_id TEXT NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
      want_start_ms INTEGER NOT NULL,
      want_end_ms INTEGER NOT NULL,
      start_ms INTEGER NOT NULL,
      end_ms INTEGER NOT NULL,
      duration_ms INTEGER NOT NULL,
      cut TEXT NOT NULL CHECK (cut IN ('copy','reencode')),
      clip_key TEXT NOT NULL,
      poster_key TEXT NOT NULL,
      bytes INTEGER NOT NULL,
      created_at TEXT NOT NULL DEFAULT ${NOW},
      UNIQUE (video_id, want_start_ms, want_end_ms)
    );

    CREATE TABLE video_clip_job_clips (
      request_id TEXT NOT NULL REFERENCES video_clip_jobs(request_id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      clip_id TEXT NOT NULL REFERENCES video_clips(id) ON DELETE CASCADE,
      score REAL NOT NULL,
      PRIMARY KEY (request_id, position)
    ) WITHOUT ROWID;
  `,
};
