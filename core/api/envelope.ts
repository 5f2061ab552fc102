/** The response envelope of spec §1.4: every response, success or error, has exactly these keys. */
export interface SuccessEnvelope<T> {
  responseType: 'success';
  message: string;
  data: T;
}
export interface ErrorEnvelope {
  responseType: 'error';
  message: string;
  data: null;
}
export type Envelope<T> = SuccessEnvelope<T> | ErrorEnvelope;

/** Flattens validation issues into the spec's `field.path: description; …` message. */
export function flattenIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : '(root)'}: ${i.message}`).join('; ');
}
