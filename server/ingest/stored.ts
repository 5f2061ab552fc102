import { ingestPhoto, type IngestDeps, type IngestResult } from './pipeline.ts';

/**
 * Processes a photo whose original is already stored (CONTRACTS.md): today the photos that waited for credits
 * (issue 13); the jobs and the "search switched on later" re-processing can call it for any stored photo. The original
 * goes through the same pipeline as an upload (`ingestPhoto`), which charges it (once: the ledger key is the image
 * id), renders it, reads faces and bibs, and turns the waiting row 'ready' in one transaction. A photo already
 * processed answers `duplicate`; one still without credits stays waiting (`waiting_credits` in the result).
 */
export async function processStoredPhoto(deps: IngestDeps, imageId: string): Promise<IngestResult> {
  const image = await deps.store.images.getById(imageId);
  if (!image) return { name: imageId, status: 'failed', error: `photo ${imageId} not found` };
  if (image.state === 'ready') return { name: image.original_name, status: 'duplicate', image_id: image.id };
  const event = await deps.store.events.get(image.event_id);
  if (!event) return { name: image.original_name, status: 'failed', error: `the event of photo ${imageId} is gone` };
  const data = await deps.blobs.get(image.original_key);
  if (!data) return { name: image.original_name, status: 'failed', error: `the original of photo ${imageId} is missing` };
  const waiting = await deps.store.credits.getWaiting(imageId);
  const res = await ingestPhoto(deps, event, {
    name: image.original_name,
    data,
    bibs: waiting?.bibs ?? [],
    clockOffsetMs: waiting?.clock_offset_ms ?? 0,
  });
  // The same hash was waiting: the pipeline reports the still-waiting photo as a duplicate of itself.
  if (res.status === 'duplicate' && res.image_id === imageId) {
    const now = await deps.store.images.getById(imageId);
    if (now?.state === 'waiting_credits')
      return { name: image.original_name, status: 'added', image_id: imageId, waiting_credits: true };
  }
  return res;
}
