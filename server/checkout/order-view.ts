import { orderReference, type Order } from '../../core/checkout.ts';
import type { OrderRow } from '../store/checkout-types.ts';
import type { CheckoutContext } from './context.ts';

/** Lifetime of the signed ZIP link handed to a buyer. */
export const ZIP_URL_TTL_SECONDS = 3600;
export const zipPath = (orderId: string) => `/orders/${orderId}/photos.zip`;
export const receiptPath = (orderId: string) => `/orders/${orderId}/receipt`;

/** An order as its buyer sees it, with the signed ZIP link once it is paid. */
export class OrderView {
  constructor(private readonly ctx: CheckoutContext) {}

  async toOrder(o: OrderRow, zip: { base: string } | null): Promise<Order> {
    return {
      order_id: o.id,
      reference: orderReference(o.id),
      event_id: o.event_id,
      status: o.status,
      amount: o.amount,
      currency: o.currency,
      tax_inclusive: o.tax_inclusive,
      lines: o.lines,
      selection: { kind: o.selection_kind, value: o.selection_value },
      image_ids: await this.ctx.db.orderImageIds(o.id),
      gateway: o.gateway,
      checkout_url: o.status === 'pending' ? o.checkout_url : null,
      created_at: o.created_at,
      paid_at: o.paid_at,
      zip_url: zip && o.status === 'paid' ? this.signedZipUrl(zip.base, o.id) : null,
    };
  }

  signedZipUrl(base: string, orderId: string): string {
    const path = zipPath(orderId);
    return `${base}${path}?${this.ctx.deps.signer.sign(path, ZIP_URL_TTL_SECONDS)}`;
  }
}
