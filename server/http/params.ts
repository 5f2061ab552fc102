import { z } from 'zod';
import { BIB_MAX_LENGTH, bibProblem, UUID_PATTERN, wholeNumber } from '../../core/index.ts';

export { UUID_PATTERN };

/**
 * Path and header schemas shared by the route declarations. Limits come from the constants the code uses
 * (`BIB_MAX_LENGTH`, …), so the document and the validator cannot disagree.
 */

const positiveId = (description: string) =>
  wholeNumber('must be a positive integer', (n) => n.positive('must be a positive integer')).meta({ description });

export const uuid = (description: string, example = '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f') =>
  z
    .string()
    .regex(UUID_PATTERN, `must be a UUID such as ${example}`)
    .transform((s) => s.toLowerCase())
    .meta({ description, format: 'uuid' });

export const OrgPath = z.object({ org_id: positiveId("the key's organisation") });
export const EventPath = OrgPath.extend({ event_id: positiveId('an event of the organisation') });
export const ImagePath = EventPath.extend({ image_id: uuid('image id (UUID) as found at data.images[].image_id') });

/** A BIB in a path: 1–16 letters and digits after normalisation (see core/bib.ts). */
export const Bib = z
  .string()
  .superRefine((v, ctx) => {
    const problem = bibProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({ description: `a BIB number: letters and digits, at most ${BIB_MAX_LENGTH} after normalisation` });

export const BibPath = EventPath.extend({ bib: Bib });

/** The query of a signed URL (`?exp&kid&sig`); the signature itself is checked by `checkSignature`. */
export const SignedQuery = z.object({
  exp: z.string().optional().meta({ description: 'expiry, Unix seconds' }),
  kid: z.string().optional().meta({ description: 'signing key id' }),
  sig: z.string().optional().meta({ description: 'HMAC-SHA256 over path and expiry, base64url' }),
});
