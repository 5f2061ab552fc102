import type { Context } from 'hono';
import type { z } from 'zod';
import { flattenIssues } from '../../core/index.ts';
import { ApiError } from './errors.ts';

/** Parses with a zod schema; a mismatch is 422 with the spec's `field.path: description` message. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new ApiError(422, flattenIssues(r.error.issues));
  return r.data;
}

export const query = <S extends z.ZodType>(c: Context, schema: S): z.infer<S> => parse(schema, c.req.query());

/** Reads a JSON body: malformed JSON is 400, a body that does not match the model is 422. */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new ApiError(400, 'The request body is not valid JSON: send a JSON object with Content-Type: application/json');
  }
  return parse(schema, body);
}
