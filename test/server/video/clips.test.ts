// Clip making across sources and settings: one clip per source video, re-encoding when the keyframes or the
// codecs do not allow a copy, the admin video settings (padding, max clip duration, FPS) applied.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AdminEvent, UploadReport } from '../../../core/api/admin.ts';
import type { VideoClippingData } from '../../../core/api/video.ts';
import { probeVideo } from '../../../server/video/probe.ts';
import { json } from '../../support/harness.ts';
import { needsDataset, readFace } from '../face/dataset.ts';
import { bins, blob, createVideoWorld, footage, form, type VideoWorld } from './world.ts';

const PERSON = 'obama/obama_official_portrait.jpg';
const SELFIE = 'obama/obama_podium.jpg';

describe('Motion: sources, cuts and settings', needsDataset, () => {
  let w: VideoWorld;
  const admin = (body: unknown) =>
    w.h.call(`/api/v1/admin/${w.orgId}/events/${w.event.id}`, { key: w.secret, method: 'PATCH', body });
  const upload = async (name: string, data: Buffer) => {
    const res = await w.h.call(`/api/v1/admin/${w.orgId}/events/${w.event.id}/photos`, {
      key: w.secret,
      body: form({ files: blob(data) }, name),
    });
    return (await json<UploadReport>(res)).data;
  };
  const search = async () => {
    const res = await w.h.call(`${w.base}/video-clipping/search-by-selfie`, {
      key: w.secret,
      body: form({ file: blob(readFace(SELFIE)) }),
    });
    assert.equal(res.status, 200);
    const { request_id } = (await json<VideoClippingData>(res)).data;
    await w.h.deps.video.idle();
    return (await json<VideoClippingData>(await w.h.call(`${w.base}/video-clipping/${request_id}`, { key: w.secret }))).data;
  };
  const probeClip = async (url: string) => {
    const u = new URL(url);
    const res = await w.h.call(u.pathname + u.search);
    assert.equal(res.status, 200);
    const path = join(w.h.dir, `c-${Math.random().toString(36).slice(2)}.mp4`);
    writeFileSync(path, Buffer.from(await res.arrayBuffer()));
    return probeVideo(bins, path);
  };

  before(async () => {
    w = await createVideoWorld();
  });
  after(() => w?.close());

  test('admin video settings: defaults, a partial update, 422 out of range', async () => {
    const get = await w.h.call(`/api/v1/admin/${w.orgId}/events/${w.event.id}`, { key: w.secret });
    const settings = (await json<AdminEvent>(get)).data.video;
    assert.deepEqual(settings, {
      fps: 2,
      quality: 3,
      max_clip_duration_s: 30,
      min_segment_s: 1,
      max_gap_s: 2,
      padding_start_s: 2,
      padding_end_s: 2,
      confidence_threshold: 45,
    });
    const res = await admin({ video: { fps: 4, padding_start_s: 0, padding_end_s: 0.5 } });
    assert.equal(res.status, 200);
    const v = (await json<AdminEvent>(res)).data.video;
    assert.equal(v.fps, 4);
    assert.equal(v.padding_start_s, 0);
    assert.equal(v.padding_end_s, 0.5);
    assert.equal(v.max_gap_s, 2);
    for (const bad of [{ fps: 0 }, { fps: 31 }, { quality: 2.5 }, { confidence_threshold: 101 }, { nope: 1 }]) {
      const r = await admin({ video: bad });
      assert.equal(r.status, 422, JSON.stringify(bad));
      assert.match((await json(r)).message, /^video/);
    }
    const created = await w.h.call(`/api/v1/admin/${w.orgId}/events`, {
      key: w.secret,
      body: { name: 'With video', video: { max_clip_duration_s: 20 } },
    });
    assert.equal(created.status, 201);
    assert.equal((await json<AdminEvent>(created)).data.video.max_clip_duration_s, 20);
  });

  test('one clip per source video: a long-GOP MP4 and a VP9 WebM are re-encoded to valid MP4s', async () => {
    // Keyframe only at 0 s: no keyframe near the clip start.
    const longGop = await footage(PERSON, 5, 8, 10, { gop: 1000 });
    const webm = await footage(PERSON, 2, 4, 6, { format: 'webm' });
    const report = await upload('long-gop.mp4', longGop);
    assert.equal(report.added, 1, JSON.stringify(report));
    const report2 = await upload('drone.webm', webm);
    assert.equal(report2.added, 1, JSON.stringify(report2));
    const video = (await w.h.deps.store.videos.get(report.results[0]!.video_id!))!;
    assert.equal(video.sample_fps, 4, 'sampled at the event FPS');
    assert.equal(video.frames_sampled, 40);

    const done = await search();
    assert.equal(done.status, 'completed');
    assert.equal(done.clips.length, 2);
    const byName = new Map(done.clips.map((c) => [c.source_name, c]));
    const a = byName.get('long-gop.mp4')!;
    assert.equal(a.cut, 'reencode');
    // padding_start 0, padding_end 0.5 (set above), sampled every 0.25 s.
    assert.ok(Math.abs(a.start_s - 5) < 0.05, `start ${a.start_s}`);
    assert.ok(a.end_s >= 8 && a.end_s <= 8 + 0.25 + 0.5 + 0.1, `end ${a.end_s}`);
    const pa = await probeClip(a.clip_url);
    assert.equal(pa.videoCodec, 'h264');
    assert.ok(Math.abs(pa.durationMs / 1000 - a.duration_s) < 0.01);
    assert.ok(Math.abs(a.duration_s - (a.end_s - a.start_s)) < 0.01);
    assert.ok(a.duration_s >= 3 && a.duration_s <= 3.9, `duration ${a.duration_s}`);

    const b = byName.get('drone.webm')!;
    assert.equal(b.cut, 'reencode');
    const pb = await probeClip(b.clip_url);
    assert.equal(pb.videoCodec, 'h264');
    assert.ok(b.start_s <= 2 && b.end_s >= 4, `${b.start_s}–${b.end_s}`);
  });

  test('Max Clip Duration caps the clip; Min Segment drops short appearances', async () => {
    assert.equal((await admin({ video: { max_clip_duration_s: 1.5 } })).status, 200);
    const capped = await search();
    for (const c of capped.clips) assert.ok(c.duration_s <= 1.5 + 0.05, `${c.source_name}: ${c.duration_s}`);
    assert.equal(capped.clips.length, 2);
    assert.equal((await admin({ video: { max_clip_duration_s: 30, min_segment_s: 10 } })).status, 200);
    const none = await search();
    assert.equal(none.status, 'no_match');
  });

  test('deleting a video removes its clips from earlier searches, and its files', async () => {
    assert.equal((await admin({ video: { min_segment_s: 1 } })).status, 200);
    const before = await search();
    assert.equal(before.clips.length, 2);
    const gone = before.clips.find((c) => c.source_name === 'drone.webm')!;
    const blobs = (await w.h.deps.store.videos.get(gone.source_video_id))!;
    const del = await w.h.call(`/api/v1/admin/${w.orgId}/events/${w.event.id}/videos/${gone.source_video_id}`, {
      key: w.secret,
      method: 'DELETE',
    });
    assert.equal(del.status, 200);
    const after = (
      await json<VideoClippingData>(await w.h.call(`${w.base}/video-clipping/${before.request_id}`, { key: w.secret }))
    ).data;
    assert.deepEqual(
      after.clips.map((c) => c.source_name),
      ['long-gop.mp4'],
    );
    assert.equal(await w.h.deps.blobs.stat(blobs.original_key), null);
    const u = new URL(gone.clip_url);
    assert.equal((await w.h.call(u.pathname + u.search)).status, 404);
  });
});
