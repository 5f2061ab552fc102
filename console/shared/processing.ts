import type { ProcessingStats } from '../../core/api/auth.ts';

/** The processing report of an event (`GET …/events/{event_id}/processing`). */
export type ProcessingReport = ProcessingStats;

export type ProcessingState = 'idle' | 'processing' | 'failed' | 'done';

/** One word for a report: still working, some failed, all done, or nothing received yet. */
export function processingState(r: ProcessingReport): ProcessingState {
  if (r.waiting > 0) return 'processing';
  if (r.failed > 0) return 'failed';
  if (r.received > 0 || r.processed > 0) return 'done';
  return 'idle';
}
