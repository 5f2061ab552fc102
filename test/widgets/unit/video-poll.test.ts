// Unit tests of the clip job polling (widgets/pf-video-clips/poll.ts).
import { expect } from '@open-wc/testing';
import type { VideoClippingData } from '../../../core/api/video.ts';
import { isTerminal, pollClips } from '../../../widgets/pf-video-clips/poll.ts';

const job = (status: VideoClippingData['status']): VideoClippingData => ({
  request_id: '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
  status,
  clips: [],
  confidence_percentage: 45,
  error: null,
  created_at: '2026-12-07T08:00:00.000Z',
  finished_at: null,
});

describe('pollClips', () => {
  it('reads until a terminal state, waiting longer each time up to the cap; every state is reported', async () => {
    const answers = [job('processing'), job('processing'), job('processing'), job('completed')];
    const waits: number[] = [];
    const seen: string[] = [];
    const end = await pollClips(
      async () => job('queued'),
      async () => answers.shift()!,
      { firstMs: 1000, maxMs: 2000, wait: async (ms) => void waits.push(ms), onState: (d) => void seen.push(d.status) },
    );
    expect(end.status).to.equal('completed');
    expect(waits).to.deep.equal([1000, 1500, 2000, 2000]);
    expect(seen).to.deep.equal(['queued', 'processing', 'processing', 'processing', 'completed']);
  });

  it('a job already ended is not read again', async () => {
    let reads = 0;
    const end = await pollClips(
      async () => job('no_match'),
      async () => (reads++, job('completed')),
    );
    expect(end.status).to.equal('no_match');
    expect(reads).to.equal(0);
  });

  it('stops when aborted', async () => {
    const abort = new AbortController();
    const p = pollClips(
      async () => job('queued'),
      async () => job('processing'),
      { firstMs: 50, signal: abort.signal },
    );
    abort.abort(new DOMException('stop', 'AbortError'));
    let error: Error | null = null;
    await p.catch((e: Error) => (error = e));
    expect(error!.name).to.equal('AbortError');
  });

  it('terminal states', () => {
    expect(
      ['queued', 'processing', 'completed', 'no_match', 'failed'].map((s) => isTerminal({ status: s as never })),
    ).to.deep.equal([false, false, true, true, true]);
  });
});
