/** The processing report of an event (contract of issue 12: `GET …/events/{event_id}/processing`). */
export interface ProcessingFailure {
  upload_id: string;
  file_name: string;
  reason: string;
  at: string;
}
export interface ProcessingReport {
  received: number;
  processed: number;
  failed: number;
  waiting: number;
  faces: number;
  bibs: number;
  failures: ProcessingFailure[];
}

export type ProcessingState = 'idle' | 'processing' | 'failed' | 'done';

/** One word for a report: still working, some failed, all done, or nothing received yet. */
export function processingState(r: ProcessingReport): ProcessingState {
  if (r.waiting > 0) return 'processing';
  if (r.failed > 0) return 'failed';
  if (r.received > 0 || r.processed > 0) return 'done';
  return 'idle';
}
