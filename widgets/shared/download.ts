import type { DownloadOriginalsData, DownloadOriginalsRequest } from '../../core/api/models.ts';
import type { ApiClient } from '../api/client.ts';
import { fetchSignedFile } from '../api/endpoints.ts';

export interface DownloadOutcome {
  /** Files handed to the browser's download manager. */
  saved: number;
  /** Photos the server would not sign, with its reason. */
  failed: Pick<DownloadOriginalsData['failed_urls'][number], 'image_id' | 'error'>[];
  /** The server's message when nothing could be downloaded (e.g. "No images found for bib …"). */
  message: string | null;
}

/** Saves a Blob under `filename` through a temporary object URL (no navigation, works under a strict CSP). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Fetches one presigned original and saves it; falls back to a plain link when the fetch is refused. */
async function saveSigned(item: DownloadOriginalsData['presigned_urls'][number], signal?: AbortSignal): Promise<void> {
  try {
    saveBlob(await fetchSignedFile(item.url, signal), item.filename);
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    // A host CSP or a missing CORS header: let the browser download it (the URL is signed and short-lived).
    const a = document.createElement('a');
    a.href = item.url;
    a.download = item.filename;
    a.rel = 'noopener';
    a.target = '_blank';
    a.click();
  }
}

/**
 * Download Originals (spec §3.12): asks for presigned links (with the order token, if any), then saves each
 * file, three at a time. Throws ApiRequestError when the server refuses the whole request (403, 400, …).
 */
export async function downloadOriginals(
  client: ApiClient,
  req: DownloadOriginalsRequest,
  signal?: AbortSignal,
): Promise<DownloadOutcome> {
  const outcome: DownloadOutcome = { saved: 0, failed: [], message: null };
  for (let page = 1; ; page++) {
    const data = await client.originals(req, page, 30, signal);
    outcome.failed.push(...data.failed_urls.map(({ image_id, error }) => ({ image_id, error })));
    const queue = [...data.presigned_urls];
    await Promise.all(
      Array.from({ length: Math.min(3, queue.length) }, async () => {
        for (let item = queue.shift(); item; item = queue.shift()) {
          await saveSigned(item, signal);
          outcome.saved++;
        }
      }),
    );
    if (outcome.saved === 0 && outcome.failed.length === 0) outcome.message = data.message;
    if (!data.pagination.hasNextPage) return outcome;
  }
}
