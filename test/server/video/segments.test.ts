// The pure rules from matched frames to a clip window, and where a cut may start without re-encoding.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_VIDEO_SETTINGS, type VideoSettings } from '../../../core/api/video.ts';
import { clipWindow, copyStart, segmentsOf, type MatchedFrame } from '../../../server/video/segments.ts';

const s = (o: Partial<VideoSettings> = {}): VideoSettings => ({ ...DEFAULT_VIDEO_SETTINGS, ...o });
const frames = (times: number[], score = 0.6): MatchedFrame[] => times.map((t) => ({ tMs: t * 1000, score }));

describe('video segments', () => {
  test('a gap longer than Max Gap splits; a short segment is dropped', () => {
    const segs = segmentsOf(frames([1, 1.5, 2, 6, 6.5, 7, 7.5, 20]), s({ max_gap_s: 2, min_segment_s: 1 }), 500);
    assert.deepEqual(
      segs.map((g) => [g.startMs, g.endMs]),
      [
        [1000, 2500],
        [6000, 8000],
      ],
    );
    assert.equal(segmentsOf(frames([1, 2.9]), s({ max_gap_s: 2 }), 500).length, 1);
    assert.equal(segmentsOf(frames([1, 3.1]), s({ max_gap_s: 2, min_segment_s: 0 }), 500).length, 2);
  });

  test('the best segment, padded, clamped to the video', () => {
    const f = [...frames([1, 1.5]), ...frames([10, 10.5, 11], 0.9)];
    const w = clipWindow(f, s({ padding_start_s: 2, padding_end_s: 3, min_segment_s: 0.5 }), 500, 12_000)!;
    assert.deepEqual([w.startMs, w.endMs, w.bestMs], [8000, 12_000, 10_000]);
    assert.deepEqual(w.segment, { startMs: 10_000, endMs: 11_500 });
    assert.equal(clipWindow([], s(), 500, 1000), null);
  });

  test('capped at Max Clip Duration around the best moment', () => {
    const f = frames([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).map((x) => ({ ...x, score: x.tMs === 9000 ? 0.95 : 0.6 }));
    const w = clipWindow(f, s({ max_clip_duration_s: 4, max_gap_s: 2 }), 1000, 60_000)!;
    assert.equal(w.endMs - w.startMs, 4000);
    assert.deepEqual([w.startMs, w.endMs], [7000, 11_000]);
  });

  test('copy start: the keyframe at or just before the start, else null', () => {
    const kf = [0, 2000, 4000, 6000];
    assert.equal(copyStart(kf, 4000, 9000, 30_000), 4000);
    assert.equal(copyStart(kf, 4600, 9000, 30_000), 4000);
    assert.equal(copyStart(kf, 5500, 9000, 30_000), null); // 1.5 s after the keyframe: re-encode
    assert.equal(copyStart([0], 5000, 9000, 30_000), null);
    assert.equal(copyStart(kf, 4500, 10_000, 4000), null); // would exceed the cap by more than the slack
  });
});
