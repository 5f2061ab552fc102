import {
  bibProblem,
  bibSearchKeys,
  paginationInfo,
  type DownloadOriginalsData,
  type DownloadOriginalsRequest,
} from '../../core/index.ts';
import type { BlobStore } from '../blobs/types.ts';
import { badRequest, forbidden, notFound, unprocessable } from '../http/errors.ts';
import type { EventRow, ImageRow, Store } from '../store/types.ts';
import type { Entitlements } from './entitlements.ts';
import type { SelfieResults } from './selfie-results.ts';
import { DEFAULT_URL_TTL_SECONDS, type Signer } from './signing.ts';

export interface DownloadDeps {
  store: Store;
  blobs: BlobStore;
  signer: Signer;
  entitlements: Entitlements;
  selfieResults?: SelfieResults;
}

export interface DownloadQuery {
  event: EventRow;
  request: DownloadOriginalsRequest;
  page: number;
  pageSize: number;
  /** A paid order's download token (X-Order-Token header or body `order_token`), or null. */
  orderToken: string | null;
  /** Public origin the signed links point at. */
  base: string;
}

export const SOLD_PHOTO = 'Originals of this event are sold: buy this photo first';
export const NOT_IN_EVENT = 'Image not found in this event';
export const ORIGINAL_MISSING = 'Failed to generate URL: the original file is missing';

/** Path of the signed original route; the signature covers exactly this path and the expiry. */
export const originalPath = (imageId: string) => `/files/o/${imageId}`;

/** What a signed original link signs: its path, and the grant of a sold photo (checked again when used). */
export const originalSigned = (imageId: string, grant: string | null) =>
  grant ? `${originalPath(imageId)}?grant=${grant}` : originalPath(imageId);

/** A signed link to an original; `grant` (from `Entitlements.grantOf`) for a photo of a sold event. */
export function signedOriginalUrl(signer: Signer, base: string, imageId: string, grant: string | null): string {
  const signed = originalSigned(imageId, grant);
  return `${base}${signed}${grant ? '&' : '?'}${signer.sign(signed)}`;
}

/** File name offered for an original: `{image_id}.{ext}` with the stored original's extension. */
export const originalFilename = (img: Pick<ImageRow, 'id' | 'original_key'>) =>
  `${img.id}.${img.original_key.split('.').pop() ?? 'jpg'}`;

/** The ids a request names, in download order, and what to echo as `identifier`. */
async function resolveIds(deps: DownloadDeps, event: EventRow, req: DownloadOriginalsRequest) {
  switch (req.method) {
    case 'bib': {
      if (!event.flags.bib_search) throw forbidden('bib_search is switched off for this event');
      const problem = bibProblem(req.identifier);
      if (problem) throw unprocessable(`identifier: ${problem}`);
      const ids = await deps.store.images.idsByBib(event.id, bibSearchKeys(req.identifier));
      return { ids, valid: new Set(ids), identifier: req.identifier, none: `No images found for bib number ${req.identifier}` };
    }
    case 'selfie': {
      if (!event.flags.selfie_search) throw forbidden('selfie_search is switched off for this event');
      const matched = deps.selfieResults ? await deps.selfieResults.imageIds(event.id, req.identifier) : null;
      if (matched === null) throw notFound(`Unknown request_id ${req.identifier}: run a selfie search first`);
      const ids = await deps.store.images.existingIds(event.id, [...new Set(matched)]);
      return {
        ids,
        valid: new Set(ids),
        identifier: req.identifier,
        none: `No images found for selfie identifier ${req.identifier}`,
      };
    }
    case 'image_id': {
      const ids = await deps.store.images.existingIds(event.id, [req.identifier]);
      if (ids.length === 0) throw badRequest(`Image ${req.identifier} not found in this event`);
      return { ids, valid: new Set(ids), identifier: req.identifier, none: '' };
    }
    case 'image_ids': {
      const ids = [...new Set(req.identifier)];
      const valid = new Set(await deps.store.images.existingIds(event.id, ids));
      if (valid.size === 0) throw badRequest('None of the image_ids is a photo of this event');
      return { ids, valid, identifier: null, none: '' };
    }
  }
}

/**
 * Download Originals (spec §3.12): signed, time-limited links to the unwatermarked originals of one page
 * of the photos the request names. Events that sell their originals need an order that covers the
 * photos: when the request can unlock none of them the answer is 403; otherwise the photos not bought
 * are listed in `failed_urls` with the reason, and the rest get links.
 */
export async function downloadOriginals(
  deps: DownloadDeps,
  q: DownloadQuery,
): Promise<{ message: string; data: DownloadOriginalsData }> {
  const { event, page, pageSize } = q;
  const { ids, valid, identifier, none } = await resolveIds(deps, event, q.request);
  const empty = (message: string) => ({
    message,
    data: {
      presigned_urls: [],
      failed_urls: [],
      total_images: 0,
      successful_count: 0,
      failed_count: 0,
      identifier,
      pagination: paginationInfo(ids.length, page, pageSize),
      message,
    },
  });
  if (ids.length === 0) return empty(none);

  const allowed = await deps.entitlements.allowed(event, [...valid], q.orderToken);
  if (allowed.size === 0) {
    throw forbidden(
      q.orderToken
        ? 'This order token does not unlock any of these photos: buy them first'
        : "Originals of this event are sold: buy the photos first, then send the order's download token in the X-Order-Token header",
    );
  }

  const slice = ids.slice((page - 1) * pageSize, page * pageSize);
  if (slice.length === 0) return empty(`No images on page ${page}: there are ${ids.length} images`);
  const rows = new Map(
    (
      await deps.store.images.getMany(
        event.id,
        slice.filter((id) => valid.has(id)),
      )
    ).map((r) => [r.id, r]),
  );

  const data: DownloadOriginalsData = {
    presigned_urls: [],
    failed_urls: [],
    total_images: slice.length,
    successful_count: 0,
    failed_count: 0,
    identifier,
    pagination: paginationInfo(ids.length, page, pageSize),
    message: null,
  };
  for (const id of slice) {
    const img = rows.get(id);
    if (!img) {
      data.failed_urls.push({ image_id: id, error: NOT_IN_EVENT, path: null });
    } else if (!allowed.has(id)) {
      data.failed_urls.push({ image_id: id, error: SOLD_PHOTO, path: null });
    } else if (!(await deps.blobs.stat(img.original_key))) {
      data.failed_urls.push({ image_id: id, error: ORIGINAL_MISSING, path: img.original_key });
    } else {
      const grant = event.free_downloads ? null : deps.entitlements.grantOf(q.orderToken);
      data.presigned_urls.push({ url: signedOriginalUrl(deps.signer, q.base, id, grant), filename: originalFilename(img) });
    }
  }
  data.successful_count = data.presigned_urls.length;
  data.failed_count = data.failed_urls.length;
  const minutes = Math.round(DEFAULT_URL_TTL_SECONDS / 60);
  const message =
    data.failed_count === 0
      ? `${data.successful_count} download link${data.successful_count === 1 ? '' : 's'}, valid for ${minutes} minutes`
      : `${data.successful_count} download link${data.successful_count === 1 ? '' : 's'} (valid for ${minutes} minutes), ${data.failed_count} failed`;
  return { message, data };
}
