// Motion end to end over the real pipeline: footage made here with ffmpeg (a dataset face on screen only
// from 4 s to 8 s), uploaded through the admin API, searched by another photo of the same person.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AdminVideoList, VideoClippingData } from '../../../core/api/video.ts';
import type { UploadReport } from '../../../core/api/admin.ts';
import { probeVideo } from '../../../server/video/probe.ts';
import { blobKeys } from '../helpers/blobs.ts';
import { json } from '../../support/harness.ts';
import { needsDataset, readFace } from '../face/dataset.ts';
import { background, bins, blob, createVideoWorld, footage, form, type VideoWorld } from './world.ts';

const FROM_S = 4;
const TO_S = 8;
const DURATION_S = 12;
/** Another photo of the person on screen, and a person who is not in the footage. */
const SELFIE = 'obama/obama_podium.jpg';
const STRANGER = 'kit_harington/kit_harington_1.jpeg';

describe('Motion: video clips by selfie', needsDataset, () => {
  let w: VideoWorld;
  let videoId: string;

  const upload = async (name: string, data: Buffer, eventId = w.event.id) => {
    const res = await w.h.call(`/api/v1/admin/${w.orgId}/events/${eventId}/photos`, {
      key: w.secret,
      body: form({ files: blob(data) }, name),
    });
    assert.equal(res.status, 200);
    return (await json<UploadReport>(res)).data;
  };
  const start = (parts: Record<string, Blob | string>, base = w.base) =>
    w.h.call(`${base}/video-clipping/search-by-selfie`, { key: w.secret, body: form(parts) });
  const result = async (requestId: string) => {
    const res = await w.h.call(`${w.base}/video-clipping/${requestId}`, { key: w.secret });
    assert.equal(res.status, 200);
    return (await json<VideoClippingData>(res)).data;
  };
  /** Waits for the background queue, then reads the job. */
  const finished = async (requestId: string) => {
    await w.h.deps.video.idle();
    return result(requestId);
  };

  before(async () => {
    w = await createVideoWorld();
    const video = await footage('obama/obama_official_portrait.jpg', FROM_S, TO_S, DURATION_S);
    const report = await upload('finish-line.mp4', video);
    assert.equal(report.added, 1, JSON.stringify(report));
    const r = report.results[0]!;
    assert.equal(r.status, 'added');
    assert.equal(r.image_id, null);
    videoId = r.video_id!;
    assert.ok(videoId);
  });
  after(() => w?.close());

  test('ingest: the video is stored with its faces, timestamps, poster and preview', async () => {
    const video = (await w.h.deps.store.videos.get(videoId))!;
    assert.equal(video.duration_ms, DURATION_S * 1000);
    assert.equal(video.sample_fps, 2);
    assert.equal(video.frames_sampled, DURATION_S * 2);
    assert.ok(video.keyframes.length >= DURATION_S - 1, `keyframes ${video.keyframes.join(',')}`);
    const faces = await w.h.deps.store.videos.faces(w.event.id);
    const times = [...new Set(faces.map((f) => f.t_ms))].sort((a, b) => a - b);
    assert.ok(times.length >= 7, `faces at ${times.join(',')}`);
    assert.ok(times[0]! >= FROM_S * 1000 && times.at(-1)! <= TO_S * 1000, `faces at ${times.join(',')}`);
    for (const key of [video.poster_key, video.preview_key, video.original_key]) assert.ok(await w.h.deps.blobs.stat(key), key);
    const preview = join(w.h.dir, 'preview.mp4');
    writeFileSync(preview, (await w.h.deps.blobs.get(video.preview_key))!);
    assert.equal((await probeVideo(bins, preview)).width, 320);
  });

  test('the same video again is a duplicate, not a second copy', async () => {
    const again = await upload('copy.mp4', (await w.h.deps.blobs.get((await w.h.deps.store.videos.get(videoId))!.original_key))!);
    assert.equal(again.duplicate, 1);
    assert.equal(again.results[0]!.video_id, videoId);
    assert.equal((await w.h.deps.store.videos.list(w.event.id)).length, 1);
  });

  test('a selfie finds one clip covering the interval, within the padding; a valid MP4 of that duration', async () => {
    const res = await start({ file: blob(readFace(SELFIE)) });
    assert.equal(res.status, 200);
    const started = (await json<VideoClippingData>(res)).data;
    assert.match(started.status, /^(queued|processing)$/);
    assert.deepEqual(started.clips, []);
    const done = await finished(started.request_id);
    assert.equal(done.status, 'completed', JSON.stringify(done));
    assert.equal(done.clips.length, 1);
    const clip = done.clips[0]!;
    assert.equal(clip.source_video_id, videoId);
    assert.equal(clip.source_name, 'finish-line.mp4');
    const pad = 2; // default padding start / end
    assert.ok(clip.start_s <= FROM_S && clip.start_s >= FROM_S - pad - 1, `start ${clip.start_s}`);
    assert.ok(clip.end_s >= TO_S && clip.end_s <= TO_S + pad + 1, `end ${clip.end_s}`);
    assert.ok(clip.confidence >= 45 && clip.confidence <= 100, `confidence ${clip.confidence}`);
    assert.equal(clip.cut, 'copy'); // one keyframe a second: no re-encoding
    // The signed link serves a valid MP4 of the reported duration.
    const file = await w.h.call(new URL(clip.clip_url).pathname + new URL(clip.clip_url).search);
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('content-type'), 'video/mp4');
    const path = join(w.h.dir, 'clip.mp4');
    writeFileSync(path, Buffer.from(await file.arrayBuffer()));
    const probe = await probeVideo(bins, path);
    assert.equal(probe.videoCodec, 'h264');
    assert.ok(Math.abs(probe.durationMs / 1000 - clip.duration_s) < 0.25, `${probe.durationMs} vs ${clip.duration_s}`);
    assert.ok(Math.abs(clip.end_s - clip.start_s - clip.duration_s) < 0.01);
    assert.ok(clip.duration_s >= TO_S - FROM_S, `duration ${clip.duration_s}`);
    const poster = await w.h.call(new URL(clip.poster_url).pathname + new URL(clip.poster_url).search);
    assert.equal(poster.headers.get('content-type'), 'image/jpeg');
    // A changed link is refused.
    const forged = await w.h.call(new URL(clip.clip_url).pathname.replace('.mp4', '.jpg') + new URL(clip.clip_url).search);
    assert.equal(forged.status, 403);
  });

  test('the same request twice never cuts twice; the same window is shared across requests', async () => {
    const first = (await json<VideoClippingData>(await start({ file: blob(readFace(SELFIE)) }))).data;
    await finished(first.request_id);
    const cuts = w.h.deps.video.cuts;
    const replay = await start({ file: blob(readFace(SELFIE)), request_id: first.request_id });
    assert.equal(replay.status, 200);
    const body = (await json<VideoClippingData>(replay)).data;
    assert.equal(body.request_id, first.request_id);
    assert.equal(body.status, 'completed');
    assert.equal((await finished(first.request_id)).clips.length, 1);
    assert.equal(w.h.deps.video.cuts, cuts, 'a replay cut again');
  });

  test('a Face Search request_id starts a clip search without a new upload', async () => {
    const faces = await w.h.call(`${w.base}/faces`, { key: w.secret, body: form({ file: blob(readFace(SELFIE)) }) });
    assert.equal(faces.status, 200);
    const requestId = (await json<{ request_id: string }>(faces)).data.request_id;
    const res = await start({ request_id: requestId });
    assert.equal(res.status, 200);
    assert.equal((await json<VideoClippingData>(res)).data.request_id, requestId);
    const done = await finished(requestId);
    assert.equal(done.status, 'completed');
    assert.equal(done.clips[0]!.source_video_id, videoId);
  });

  test('a person who is not in the footage: no clip', async () => {
    const started = (await json<VideoClippingData>(await start({ file: blob(readFace(STRANGER)) }))).data;
    const done = await finished(started.request_id);
    assert.equal(done.status, 'no_match');
    assert.deepEqual(done.clips, []);
  });

  test('errors: flags off 403, unknown request_id 404, empty file 400, no face 422, bad request_id 400', async () => {
    const off = `/api/v1/ext/${w.orgId}/event/${w.offEvent.id}`;
    assert.equal((await start({ file: blob(readFace(SELFIE)) }, off)).status, 403);
    assert.equal((await w.h.call(`${off}/video-clipping/${crypto.randomUUID()}`, { key: w.secret })).status, 403);
    const unknown = await w.h.call(`${w.base}/video-clipping/${crypto.randomUUID()}`, { key: w.secret });
    assert.equal(unknown.status, 404);
    assert.equal((await json(unknown)).responseType, 'error');
    assert.equal((await start({ request_id: crypto.randomUUID() })).status, 404);
    assert.equal((await start({ file: new Blob([]) })).status, 400);
    const noFace = await start({ file: blob(await background()) });
    assert.equal(noFace.status, 422, (await json(noFace.clone())).message);
    assert.equal((await start({ file: blob(readFace(SELFIE)), request_id: 'not-a-uuid' })).status, 400);
    assert.equal((await start({})).status, 422);
    // A GET of the POST path is a request_id that is not a UUID.
    assert.equal((await w.h.call(`${w.base}/video-clipping/search-by-selfie`, { key: w.secret })).status, 400);
  });

  test('admin: the videos with signed poster and preview links; delete removes rows, clips and files', async () => {
    const admin = `/api/v1/admin/${w.orgId}/events/${w.event.id}/videos`;
    const list = (await json<AdminVideoList>(await w.h.call(admin, { key: w.secret }))).data.videos;
    assert.equal(list.length, 1);
    const v = list[0]!;
    assert.equal(v.video_id, videoId);
    assert.equal(v.duration_s, DURATION_S);
    assert.equal(v.frames_sampled, DURATION_S * 2);
    assert.ok(v.faces >= 7);
    for (const [url, type] of [
      [v.poster_url, 'image/jpeg'],
      [v.preview_url, 'video/mp4'],
    ] as const) {
      const u = new URL(url);
      const res = await w.h.call(u.pathname + u.search);
      assert.equal(res.status, 200, url);
      assert.equal(res.headers.get('content-type'), type);
    }
    const unsigned = await w.h.call(new URL(v.poster_url).pathname);
    assert.equal(unsigned.status, 403);
    assert.equal((await w.h.call(`${admin}/${crypto.randomUUID()}`, { key: w.secret, method: 'DELETE' })).status, 404);
  });

  test('a corrupt or truncated video is reported and skipped, nothing half-stored', async () => {
    const blobsBefore = (await blobKeys(w.h.deps.blobs)).length;
    const good = (await w.h.deps.blobs.get((await w.h.deps.store.videos.get(videoId))!.original_key))!;
    const truncated = good.subarray(0, Math.floor(good.length / 3));
    const junk = Buffer.concat([good.subarray(0, 32), Buffer.alloc(50_000, 7)]);
    for (const [name, data] of [
      ['truncated.mp4', truncated],
      ['junk.mov', junk],
      ['empty.webm', Buffer.alloc(0)],
    ] as const) {
      const report = await upload(name, data);
      assert.equal(report.failed, 1, `${name}: ${JSON.stringify(report)}`);
      assert.ok(report.results[0]!.error, name);
    }
    assert.equal((await w.h.deps.store.videos.list(w.event.id)).length, 1);
    assert.equal((await blobKeys(w.h.deps.blobs)).length, blobsBefore);
  });
});
