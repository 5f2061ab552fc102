/** Participant records: their key (the normalised BIB), their version, the API item, and the preview's sample. */
import type { CertificateRecordItem } from '../../core/api/certificates.ts';
import type { CertificateRecord } from '../../core/certify.ts';
import { bibProblem, normaliseBib } from '../../core/index.ts';
import { unprocessable } from '../http/errors.ts';
import type { CertificateRecordRow } from '../store/certify-types.ts';

/** The record a preview shows when no BIB is given. */
export const SAMPLE_RECORD: CertificateRecord = {
  bib: '1234',
  name: 'Alex Sample',
  first_name: 'Alex',
  last_name: 'Sample',
  category: 'M40',
  gender: 'M',
  finish_time: '1:45:12',
  rank: 42,
  extra: {},
};

/** A typed BIB, normalised; 422 when it cannot be a BIB. */
export function bibKey(raw: string): string {
  const problem = bibProblem(raw);
  if (problem) throw unprocessable(`bib: ${problem}`);
  return normaliseBib(raw);
}

export const recordVersion = (r: CertificateRecordRow) => `${r.version}.${r.digest}`;

export function toItem(r: CertificateRecordRow): CertificateRecordItem {
  return { ...r.record, version: r.version, updated_at: r.updated_at };
}
