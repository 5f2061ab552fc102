import type { z } from 'zod';
import { flattenIssues } from '../../core/index.ts';
import { ApiError } from './errors.ts';

/**
 * Parses a value the route declaration cannot (a multipart field, a JSON string inside a field) with a zod
 * schema; a mismatch is 422 with the spec's `field.path: description` message, as the declarations answer.
 */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new ApiError(422, flattenIssues(r.error.issues));
  return r.data;
}
