import { orderReference } from '../../core/checkout.ts';
import { forbidden, notFound } from '../http/errors.ts';
import { signedOriginalUrl } from '../services/downloads.ts';
import { toImageItem } from '../services/image-items.ts';
import { assertSigned } from '../services/signing.ts';
import type { OrderRow } from '../store/checkout-types.ts';
import type { EventRow, ImageRow } from '../store/types.ts';
import type { CheckoutContext } from './context.ts';
import { zipPath, type OrderView } from './order-view.ts';
import type { ReceiptPhoto } from './pages.ts';
import { hashToken } from './tokens.ts';
import { zipOriginals } from './zip.ts';

/** What a paid order unlocks: its photos, their ZIP and the receipt page's links. */
export class PaidDownloads {
  constructor(
    private readonly ctx: CheckoutContext,
    private readonly view: OrderView,
  ) {}

  /** The photos of a paid order that still exist, in order. */
  async paidImages(order: OrderRow): Promise<ImageRow[]> {
    if (order.status !== 'paid') throw forbidden(`This order is ${order.status}: its photos are locked`);
    const ids = await this.ctx.db.orderImageIds(order.id);
    const rows = new Map((await this.ctx.deps.store.images.getMany(order.event_id, ids)).map((r) => [r.id, r]));
    return ids.map((id) => rows.get(id)).filter((r): r is ImageRow => Boolean(r));
  }

  /** The ZIP of a paid order, from a signed link (checked again here: a refund relocks at once). */
  async zip(orderId: string, query: { exp?: string; kid?: string; sig?: string }) {
    assertSigned(this.ctx.deps.signer, zipPath(orderId), query, {
      expired: 'This download link has expired: open your order again for a new one',
      invalid: 'Invalid download link: the signature does not match',
    });
    const order = await this.ctx.db.getOrder(orderId);
    if (!order) throw notFound('Order not found');
    const images = await this.paidImages(order);
    if (images.length === 0) throw notFound('The photos of this order no longer exist');
    const { stream, size } = zipOriginals(this.ctx.deps.blobs, images);
    return { stream, size: await size, filename: `photos-${orderReference(order.id)}.zip`, count: images.length };
  }

  /**
   * What the receipt page of `orderId` shows, or null when the order is unknown or `token` is not its download
   * token. A paid order comes with its signed ZIP link and each photo's signed link (about one hour).
   */
  async receipt(
    orderId: string,
    token: string,
    base: string,
  ): Promise<{ order: OrderRow; event: EventRow; zipUrl: string | null; photos: ReceiptPhoto[] } | null> {
    const order = await this.ctx.db.getOrder(orderId);
    if (!order || hashToken(token) !== order.token_hash) return null;
    const event = (await this.ctx.deps.store.events.get(order.event_id))!;
    if (order.status !== 'paid') return { order, event, zipUrl: null, photos: [] };
    // Each link carries the order's grant (its token hash, as OrderEntitlements.grantOf): a refund relocks it at once.
    const grant = event.free_downloads ? null : order.token_hash;
    const photos = (await this.paidImages(order)).map((img) => ({
      name: img.original_name,
      thumbnail: toImageItem(base, img).thumbnail_url,
      url: signedOriginalUrl(this.ctx.deps.signer, base, img.id, grant),
    }));
    return { order, event, zipUrl: this.view.signedZipUrl(base, order.id), photos };
  }
}
