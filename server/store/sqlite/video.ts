import type { VideoSettings } from '../../../core/api/video.ts';
import type {
  JobClipRow,
  NewVideo,
  NewVideoFace,
  NewVideoJob,
  VideoClipRow,
  VideoJobRow,
  VideoRow,
  VideoStore,
} from '../video-types.ts';
import type { Db } from './db.ts';

const bytes = (b: Buffer | Uint8Array | null): Uint8Array | null =>
  b === null ? null : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

type VideoDbRow = Omit<VideoRow, 'keyframes'> & { keyframes: string };
const toVideo = (r: VideoDbRow | undefined): VideoRow | null =>
  r ? { ...r, keyframes: JSON.parse(r.keyframes) as number[] } : null;

type JobDbRow = Omit<VideoJobRow, 'settings' | 'embedding'> & { settings: string; embedding: Buffer | null };
const toJob = (r: JobDbRow | undefined): VideoJobRow | null =>
  r ? { ...r, settings: JSON.parse(r.settings) as VideoSettings, embedding: bytes(r.embedding) } : null;

const SETTINGS_COLUMNS = [
  'fps',
  'quality',
  'max_clip_duration_s',
  'min_segment_s',
  'max_gap_s',
  'padding_start_s',
  'padding_end_s',
  'confidence_threshold',
] as const;

export function sqliteVideos(db: Db): VideoStore {
  const insertVideo = db.prepare(
    `INSERT INTO videos (id, event_id, content_hash, original_name, mime, bytes, duration_ms, width, height, frame_rate,
       video_codec, audio_codec, sample_fps, frames_sampled, keyframes, original_key, poster_key, preview_key)
     VALUES (@id, @event_id, @content_hash, @original_name, @mime, @bytes, @duration_ms, @width, @height, @frame_rate,
       @video_codec, @audio_codec, @sample_fps, @frames_sampled, @keyframes, @original_key, @poster_key, @preview_key)
     ON CONFLICT DO NOTHING`,
  );
  const insertFace = db.prepare(
    'INSERT INTO video_faces (video_id, event_id, t_ms, x1, y1, x2, y2, score, embedding) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const byId = db.prepare('SELECT * FROM videos WHERE id = ?');
  const byHash = db.prepare('SELECT * FROM videos WHERE event_id = ? AND content_hash = ?');
  const listVideos = db.prepare('SELECT * FROM videos WHERE event_id = ? ORDER BY created_at, id');
  const clipKeys = db.prepare('SELECT clip_key, poster_key FROM video_clips WHERE video_id = ?');
  const deleteVideo = db.prepare('DELETE FROM videos WHERE event_id = ? AND id = ?');
  const eventFaces = db.prepare('SELECT video_id, t_ms, embedding FROM video_faces WHERE event_id = ? ORDER BY id');
  const faceCount = db.prepare('SELECT count(*) n FROM video_faces WHERE video_id = ?');
  const getSettings = db.prepare(`SELECT ${SETTINGS_COLUMNS.join(', ')} FROM video_settings WHERE event_id = ?`);
  const putSettings = db.prepare(
    `INSERT INTO video_settings (event_id, ${SETTINGS_COLUMNS.join(', ')}) VALUES (@event_id, ${SETTINGS_COLUMNS.map((c) => `@${c}`).join(', ')})
     ON CONFLICT (event_id) DO UPDATE SET ${SETTINGS_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')},
       updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')`,
  );
  const insertJob = db.prepare(
    `INSERT INTO video_clip_jobs (request_id, event_id, source, status, embedding, settings)
     VALUES (@request_id, @event_id, @source, 'queued', @embedding, @settings) ON CONFLICT (request_id) DO NOTHING`,
  );
  const getJob = db.prepare('SELECT * FROM video_clip_jobs WHERE request_id = ?');
  const startJob = db.prepare(
    `UPDATE video_clip_jobs SET status = 'processing', started_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
     WHERE request_id = ? AND status IN ('queued','processing')`,
  );
  const endJob = db.prepare(
    `UPDATE video_clip_jobs SET status = ?, error = ?, embedding = NULL, finished_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
     WHERE request_id = ?`,
  );
  const clearJobClips = db.prepare('DELETE FROM video_clip_job_clips WHERE request_id = ?');
  const insertJobClip = db.prepare('INSERT INTO video_clip_job_clips (request_id, position, clip_id, score) VALUES (?, ?, ?, ?)');
  const unfinished = db.prepare(
    "SELECT request_id FROM video_clip_jobs WHERE status IN ('queued','processing') ORDER BY created_at, request_id",
  );
  const jobClips = db.prepare(
    `SELECT j.score, c.*, v.id AS v_id FROM video_clip_job_clips j JOIN video_clips c ON c.id = j.clip_id
     JOIN videos v ON v.id = c.video_id WHERE j.request_id = ? ORDER BY j.position`,
  );
  const findClip = db.prepare('SELECT * FROM video_clips WHERE video_id = ? AND want_start_ms = ? AND want_end_ms = ?');
  const getClip = db.prepare('SELECT * FROM video_clips WHERE id = ?');
  const insertClip = db.prepare(
    `INSERT INTO video_clips (id, video_id, want_start_ms, want_end_ms, start_ms, end_ms, duration_ms, cut, clip_key, poster_key, bytes)
     VALUES (@id, @video_id, @want_start_ms, @want_end_ms, @start_ms, @end_ms, @duration_ms, @cut, @clip_key, @poster_key, @bytes)
     ON CONFLICT DO NOTHING`,
  );

  const insertTx = db.transaction((v: NewVideo, faces: NewVideoFace[]) => {
    if (insertVideo.run({ ...v, keyframes: JSON.stringify(v.keyframes) }).changes === 0) return false;
    for (const f of faces) {
      const [x1, y1, x2, y2] = f.box;
      insertFace.run(v.id, v.event_id, f.t_ms, x1, y1, x2, y2, f.score, Buffer.from(f.embedding));
    }
    return true;
  });
  const deleteTx = db.transaction((eventId: number, id: string) => {
    const v = toVideo(byId.get(id) as VideoDbRow | undefined);
    if (!v || v.event_id !== eventId) return null;
    const clips = clipKeys.all(id) as { clip_key: string; poster_key: string }[];
    deleteVideo.run(eventId, id);
    return [v.original_key, v.poster_key, v.preview_key, ...clips.flatMap((c) => [c.clip_key, c.poster_key])];
  });
  const finishTx = db.transaction(
    (requestId: string, status: string, clips: { clip_id: string; score: number }[], error: string | null) => {
      clearJobClips.run(requestId);
      clips.forEach((c, i) => insertJobClip.run(requestId, i, c.clip_id, c.score));
      endJob.run(status, error, requestId);
    },
  );

  return {
    async insert(v, faces) {
      return insertTx(v, faces);
    },
    async get(id) {
      return toVideo(byId.get(id) as VideoDbRow | undefined);
    },
    async findByHash(eventId, hash) {
      return toVideo(byHash.get(eventId, hash) as VideoDbRow | undefined);
    },
    async list(eventId) {
      return (listVideos.all(eventId) as VideoDbRow[]).map((r) => toVideo(r)!);
    },
    async delete(eventId, id) {
      return deleteTx(eventId, id);
    },
    async faces(eventId) {
      return (eventFaces.all(eventId) as { video_id: string; t_ms: number; embedding: Buffer }[]).map((r) => ({
        video_id: r.video_id,
        t_ms: r.t_ms,
        packed: bytes(r.embedding)!,
      }));
    },
    async faceCount(videoId) {
      return (faceCount.get(videoId) as { n: number }).n;
    },
    async settings(eventId) {
      return (getSettings.get(eventId) as VideoSettings | undefined) ?? null;
    },
    async putSettings(eventId, s) {
      putSettings.run({ event_id: eventId, ...s });
    },
    async createJob(job: NewVideoJob) {
      return insertJob.run({ ...job, embedding: Buffer.from(job.embedding), settings: JSON.stringify(job.settings) }).changes > 0;
    },
    async getJob(requestId) {
      return toJob(getJob.get(requestId) as JobDbRow | undefined);
    },
    async startJob(requestId) {
      return startJob.run(requestId).changes > 0;
    },
    async finishJob(requestId, status, clips, error) {
      finishTx(requestId, status, clips, error);
    },
    async unfinishedJobs() {
      return (unfinished.all() as { request_id: string }[]).map((r) => r.request_id);
    },
    async jobClips(requestId) {
      const rows = jobClips.all(requestId) as (VideoClipRow & { score: number; v_id: string })[];
      const out: JobClipRow[] = [];
      for (const { score, v_id, ...clip } of rows) {
        out.push({ clip, score, video: toVideo(byId.get(v_id) as VideoDbRow)! });
      }
      return out;
    },
    async findClip(videoId, s, e) {
      return (findClip.get(videoId, s, e) as VideoClipRow | undefined) ?? null;
    },
    async getClip(id) {
      return (getClip.get(id) as VideoClipRow | undefined) ?? null;
    },
    async insertClip(clip) {
      return insertClip.run(clip).changes > 0;
    },
  };
}
