import { zodToOpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import * as admin from '../../../core/api/admin.ts';
import * as bibtrack from '../../../core/api/bibtrack.ts';
import * as certificates from '../../../core/api/certificates.ts';
import * as models from '../../../core/api/models.ts';
import { PaginationInfo } from '../../../core/api/pagination.ts';
import * as checkout from '../../../core/checkout.ts';

/**
 * Names the document's reusable schemas: a schema registered here is written once under
 * `components.schemas` and referenced (`$ref`) wherever a route uses it. Same instances as the validators
 * (the generator's registry attaches the id to the schema itself; `.openapi(id)` would make a copy the validators
 * never see).
 */
const NAMED: Record<string, unknown> = {
  PaginationInfo,
  ...pick(models, ['Rendition', 'ImageItem', 'ImagePage', 'EventListItem', 'EventList', 'EventDetails', 'Ping', 'TimelineDays']),
  ...pick(models, ['FaceSearchData', 'DownloadOriginalsRequest', 'DownloadOriginalsData']),
  ...pick(admin, ['CreateEventRequest', 'UpdateEventRequest', 'AdminEvent', 'AdminEventList', 'AdminPhoto', 'UploadReport']),
  ...pick(admin, ['CreateKeyRequest', 'UpdateKeyRequest', 'KeyItem', 'KeyList', 'CreatedKey', 'AddBibRequest']),
  ...pick(bibtrack, ['BibPhoto', 'BibPhotoPage', 'BibOverview', 'RerunJob', 'IssuedReport', 'IssuedList', 'ReviewBibRequest']),
  ...pick(certificates, ['EventTemplate', 'CertificateStatus', 'CertificateRecordItem', 'CertificateRecordPage']),
  ...pick(certificates, ['ImportSummary', 'PublicCertificate', 'PutTemplateRequest', 'PutRecordRequest']),
  ...pick(checkout, ['Plan', 'PublicPlan', 'CheckoutInfo', 'CheckoutSettings', 'Quote', 'Order', 'CreatedOrder']),
  ...pick(checkout, ['AdminOrder', 'AdminOrderDetail', 'AdminOrderList', 'Transaction', 'TransactionList']),
};

function pick<M extends Record<string, unknown>>(mod: M, names: (keyof M & string)[]): Record<string, unknown> {
  return Object.fromEntries(names.map((n) => [n, mod[n]]));
}

let named = false;
export function nameComponents(): void {
  if (named) return;
  named = true;
  for (const [id, schema] of Object.entries(NAMED)) {
    if (!(schema instanceof z.ZodType)) throw new Error(`components: ${id} is not a zod schema`);
    const meta = zodToOpenAPIRegistry.get(schema);
    if (!meta?._internal?.refId) zodToOpenAPIRegistry.add(schema, { ...meta, _internal: { ...meta?._internal, refId: id } });
  }
}
