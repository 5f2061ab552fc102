import type { ImportSummary } from '../../core/api/certificates.ts';
import type { ImportInput } from '../certify/records-import.ts';
import type { CertificateService } from '../certify/service.ts';
import { unprocessable } from '../http/errors.ts';
import type { EventRow } from '../store/types.ts';

/**
 * A records upload of the admin API: the import (its report is kept as the event's last import either way), and
 * 422 naming the first problems when no row could be imported.
 */
export async function uploadRecords(
  certificates: CertificateService,
  event: EventRow,
  input: ImportInput,
  opts: Parameters<CertificateService['importRecords']>[2],
): Promise<ImportSummary> {
  const summary = await certificates.importRecords(event, input, opts);
  if (summary.imported === 0) {
    const first = summary.issues
      .filter((i) => i.severity === 'error')
      .slice(0, 3)
      .map((i) => `row ${i.row}${i.column ? `, column ${i.column}` : ''}: ${i.problem}`);
    throw unprocessable(
      `No record imported: ${first.join('; ') || 'the file has no data rows'}${summary.errors > 3 ? ` (and ${summary.errors - 3} more)` : ''}. ` +
        'The full report is in GET …/certificates/records (last_import)',
    );
  }
  return summary;
}
