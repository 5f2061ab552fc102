import type { AppDeps } from '../deps.ts';
import { forbidden, notFound } from '../http/errors.ts';
import { UUID_PATTERN } from '../../core/index.ts';
import { certificatePath } from '../certify/paths.ts';
import type { CertificateFormatName } from '../store/certify-types.ts';
import { originalFilename, originalSigned } from './downloads.ts';
import { assertSigned } from './signing.ts';

/** The files behind signed URLs: the signature is checked first (403), then the file is looked up (404). */

/** Seconds a signed link has left: what a browser may cache it for. */
export const secondsLeft = (exp: string | undefined) => Math.max(0, Number(exp) - Math.floor(Date.now() / 1000));

type SignedQuery = { exp?: string; kid?: string; sig?: string };

/**
 * An original through its signed link. A photo of a sold event is checked again now: the link's grant (its order)
 * must still unlock it, so a refund relocks links already handed out.
 */
export async function signedOriginal(
  deps: Pick<AppDeps, 'signer' | 'store' | 'entitlements'>,
  imageId: string,
  query: SignedQuery & { grant?: string },
) {
  const grant = query.grant || null;
  assertSigned(deps.signer, originalSigned(imageId, grant), query, {
    expired: 'This download link has expired: ask Download Originals for a new one',
    invalid: 'Invalid download link: the signature does not match (was the URL changed?)',
  });
  const img = UUID_PATTERN.test(imageId) ? await deps.store.images.getById(imageId) : null;
  if (!img) throw notFound('This photo no longer exists');
  const event = await deps.store.events.get(img.event_id);
  if (!event) throw notFound('This photo no longer exists');
  if (!(await deps.entitlements.stillAllowed(event, img.id, grant)))
    throw forbidden(
      grant
        ? 'This order no longer unlocks this photo (it was refunded or cancelled)'
        : 'Originals of this event are sold: buy the photo, then ask Download Originals for a new link',
    );
  return {
    blobKey: img.original_key,
    contentType: img.mime,
    filename: originalFilename(img),
    etag: `"${img.content_hash}"`,
    maxAge: secondsLeft(query.exp),
  };
}

export async function signedCertificate(
  deps: Pick<AppDeps, 'signer' | 'store' | 'certificates'>,
  eventId: number,
  bib: string,
  format: CertificateFormatName,
  query: SignedQuery,
) {
  assertSigned(deps.signer, certificatePath(eventId, bib, format), query, {
    expired: 'This certificate link has expired: look your BIB up again for a new one',
    invalid: 'Invalid certificate link: the signature does not match (was the URL changed?)',
  });
  const event = await deps.store.events.get(eventId);
  if (!event) throw notFound('This event no longer exists');
  const file = await deps.certificates.file(event, bib, format);
  return { ...file, maxAge: secondsLeft(query.exp) };
}
