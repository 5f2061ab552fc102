import type { VideoSettings } from '../../../core/api/video.ts';
import type { JobClipRow, NewVideoJob, VideoClipRow, VideoJobRow, VideoRow, VideoStore } from '../video-types.ts';
import { NOW_SQL, type PgDb, type Sql } from './db.ts';

const bytes = (b: Buffer | null): Uint8Array | null => (b === null ? null : new Uint8Array(b.buffer, b.byteOffset, b.byteLength));

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

export function pgVideos(db: PgDb): VideoStore {
  const byId = (q: Sql, id: string) => q.get<VideoDbRow>('SELECT * FROM videos WHERE id = ?', [id]);
  return {
    async insert(v, faces) {
      return db.tx(async (q) => {
        const added = await q.run(
          `INSERT INTO videos (id, event_id, content_hash, original_name, mime, bytes, duration_ms, width, height, frame_rate,
             video_codec, audio_codec, sample_fps, frames_sampled, keyframes, original_key, poster_key, preview_key)
           VALUES (@id, @event_id, @content_hash, @original_name, @mime, @bytes, @duration_ms, @width, @height, @frame_rate,
             @video_codec, @audio_codec, @sample_fps, @frames_sampled, @keyframes, @original_key, @poster_key, @preview_key)
           ON CONFLICT DO NOTHING`,
          { ...v, keyframes: JSON.stringify(v.keyframes) },
        );
        if (added === 0) return false;
        for (let i = 0; i < faces.length; i += 500) {
          const chunk = faces.slice(i, i + 500);
          await q.run(
            `INSERT INTO video_faces (video_id, event_id, t_ms, x1, y1, x2, y2, score, embedding)
             SELECT ?::text, ?::bigint, t_ms, x1, y1, x2, y2, score, embedding
             FROM unnest(?::bigint[], ?::float8[], ?::float8[], ?::float8[], ?::float8[], ?::float8[], ?::bytea[])
               WITH ORDINALITY AS f(t_ms, x1, y1, x2, y2, score, embedding, n) ORDER BY n`,
            [
              v.id,
              v.event_id,
              chunk.map((f) => f.t_ms),
              chunk.map((f) => f.box[0]),
              chunk.map((f) => f.box[1]),
              chunk.map((f) => f.box[2]),
              chunk.map((f) => f.box[3]),
              chunk.map((f) => f.score),
              chunk.map((f) => Buffer.from(f.embedding)),
            ],
          );
        }
        return true;
      });
    },
    async get(id) {
      return toVideo(await byId(db, id));
    },
    async findByHash(eventId, hash) {
      return toVideo(await db.get<VideoDbRow>('SELECT * FROM videos WHERE event_id = ? AND content_hash = ?', [eventId, hash]));
    },
    async list(eventId) {
      return (await db.all<VideoDbRow>('SELECT * FROM videos WHERE event_id = ? ORDER BY created_at, id', [eventId])).map((r) =>
        toVideo(r)!,
      );
    },
    async delete(eventId, id) {
      return db.tx(async (q) => {
        const v = toVideo(await q.get<VideoDbRow>('SELECT * FROM videos WHERE id = ? FOR UPDATE', [id]));
        if (!v || v.event_id !== eventId) return null;
        const clips = await q.all<{ clip_key: string; poster_key: string }>(
          'SELECT clip_key, poster_key FROM video_clips WHERE video_id = ?',
          [id],
        );
        await q.run('DELETE FROM videos WHERE event_id = ? AND id = ?', [eventId, id]);
        return [v.original_key, v.poster_key, v.preview_key, ...clips.flatMap((c) => [c.clip_key, c.poster_key])];
      });
    },
    async faces(eventId) {
      const rows = await db.all<{ video_id: string; t_ms: number; embedding: Buffer }>(
        'SELECT video_id, t_ms, embedding FROM video_faces WHERE event_id = ? ORDER BY id',
        [eventId],
      );
      return rows.map((r) => ({ video_id: r.video_id, t_ms: r.t_ms, packed: bytes(r.embedding)! }));
    },
    async faceCount(videoId) {
      return (await db.value<number>('SELECT count(*) FROM video_faces WHERE video_id = ?', [videoId]))!;
    },
    async settings(eventId) {
      return (
        (await db.get<VideoSettings>(`SELECT ${SETTINGS_COLUMNS.join(', ')} FROM video_settings WHERE event_id = ?`, [
          eventId,
        ])) ?? null
      );
    },
    async putSettings(eventId, s) {
      await db.run(
        `INSERT INTO video_settings (event_id, ${SETTINGS_COLUMNS.join(', ')})
         VALUES (@event_id, ${SETTINGS_COLUMNS.map((c) => `@${c}`).join(', ')})
         ON CONFLICT (event_id) DO UPDATE SET ${SETTINGS_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')},
           updated_at = ${NOW_SQL}`,
        { event_id: eventId, ...s },
      );
    },
    async createJob(job: NewVideoJob) {
      return (
        (await db.run(
          `INSERT INTO video_clip_jobs (request_id, event_id, source, status, embedding, settings)
           VALUES (@request_id, @event_id, @source, 'queued', @embedding, @settings) ON CONFLICT (request_id) DO NOTHING`,
          { ...job, embedding: Buffer.from(job.embedding), settings: JSON.stringify(job.settings) },
        )) > 0
      );
    },
    async getJob(requestId) {
      return toJob(await db.get<JobDbRow>('SELECT * FROM video_clip_jobs WHERE request_id = ?', [requestId]));
    },
    async startJob(requestId) {
      return (
        (await db.run(
          `UPDATE video_clip_jobs SET status = 'processing', started_at = ${NOW_SQL}
           WHERE request_id = ? AND status IN ('queued','processing')`,
          [requestId],
        )) > 0
      );
    },
    async finishJob(requestId, status, clips, error) {
      await db.tx(async (q) => {
        await q.get('SELECT 1 FROM video_clip_jobs WHERE request_id = ? FOR UPDATE', [requestId]);
        await q.run('DELETE FROM video_clip_job_clips WHERE request_id = ?', [requestId]);
        for (const [i, c] of clips.entries()) {
          await q.run('INSERT INTO video_clip_job_clips (request_id, position, clip_id, score) VALUES (?, ?, ?, ?)', [
            requestId,
            i,
            c.clip_id,
            c.score,
          ]);
        }
        await q.run(
          `UPDATE video_clip_jobs SET status = ?, error = ?, embedding = NULL, finished_at = ${NOW_SQL} WHERE request_id = ?`,
          [status, error, requestId],
        );
      });
    },
    async unfinishedJobs() {
      return db.pluck<string>(
        "SELECT request_id FROM video_clip_jobs WHERE status IN ('queued','processing') ORDER BY created_at, request_id",
      );
    },
    async jobClips(requestId) {
      const rows = await db.all<VideoClipRow & { score: number; v_id: string }>(
        `SELECT j.score, c.*, v.id AS v_id FROM video_clip_job_clips j JOIN video_clips c ON c.id = j.clip_id
         JOIN videos v ON v.id = c.video_id WHERE j.request_id = ? ORDER BY j.position`,
        [requestId],
      );
      const out: JobClipRow[] = [];
      for (const { score, v_id, ...clip } of rows) out.push({ clip, score, video: toVideo(await byId(db, v_id))! });
      return out;
    },
    async findClip(videoId, s, e) {
      return (
        (await db.get<VideoClipRow>('SELECT * FROM video_clips WHERE video_id = ? AND want_start_ms = ? AND want_end_ms = ?', [
          videoId,
          s,
          e,
        ])) ?? null
      );
    },
    async getClip(id) {
      return (await db.get<VideoClipRow>('SELECT * FROM video_clips WHERE id = ?', [id])) ?? null;
    },
    async insertClip(clip) {
      return (
        (await db.run(
          `INSERT INTO video_clips (id, video_id, want_start_ms, want_end_ms, start_ms, end_ms, duration_ms, cut, clip_key, poster_key, bytes)
           VALUES (@id, @video_id, @want_start_ms, @want_end_ms, @start_ms, @end_ms, @duration_ms, @cut, @clip_key, @poster_key, @bytes)
           ON CONFLICT DO NOTHING`,
          clip,
        )) > 0
      );
    },
  };
}
