import type {
  CheckoutSettings,
  CreatePlanRequest,
  Plan,
  UpdateCheckoutSettings,
  UpdatePlanRequest,
} from '../../core/checkout.ts';
import { ApiError, notFound, unprocessable } from '../http/errors.ts';
import type { PlanRow } from '../store/checkout-types.ts';
import type { EventRow } from '../store/types.ts';
import type { CheckoutContext } from './context.ts';

export function toPlan(p: PlanRow): Plan {
  const { id, ...rest } = p;
  return { plan_id: id, ...rest };
}

/** An event's checkout settings and its plans (admin). */
export class CheckoutPlans {
  constructor(private readonly ctx: CheckoutContext) {}

  async settings(event: EventRow): Promise<CheckoutSettings> {
    const s = await this.ctx.db.getSettings(event.id);
    return {
      event_id: event.id,
      enabled: s?.enabled ?? false,
      gateway: s?.gateway ?? null,
      gateways_available: this.ctx.gatewayNames(),
      free_downloads: event.free_downloads,
    };
  }

  async updateSettings(event: EventRow, patch: UpdateCheckoutSettings): Promise<CheckoutSettings> {
    const cur = await this.settings(event);
    const gateway = patch.gateway !== undefined ? patch.gateway : cur.gateway;
    const enabled = patch.enabled ?? cur.enabled;
    if (patch.gateway && !this.ctx.gateway(patch.gateway)) {
      throw new ApiError(
        409,
        patch.gateway === 'stripe'
          ? 'Stripe is not configured on this server: set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET, then restart'
          : 'The test gateway is switched off on this server (CHECKOUT_TEST_GATEWAY)',
      );
    }
    if (enabled) {
      if (!gateway) throw new ApiError(409, 'Assign a gateway before enabling checkout: send gateway "stripe" or "test"');
      const published = await this.ctx.db.listPlans(event.id, ['published']);
      if (published.length === 0) throw new ApiError(409, 'Publish at least one plan before enabling checkout');
    }
    await this.ctx.db.putSettings(event.id, { enabled, gateway });
    return this.settings(event);
  }

  listPlans(event: EventRow): Promise<PlanRow[]> {
    return this.ctx.db.listPlans(event.id);
  }

  /** All plans an event offers together share one currency and one tax mode (one order = one payment). */
  private async checkCompatible(
    event: EventRow,
    plan: { id?: number; currency: string; tax_inclusive: boolean; status: string },
  ) {
    if (plan.status === 'archived') return;
    const others = (await this.ctx.db.listPlans(event.id, ['draft', 'published', 'paused'])).filter((p) => p.id !== plan.id);
    const other = others[0];
    if (!other) return;
    if (other.currency !== plan.currency)
      throw new ApiError(
        409,
        `This event's plans are priced in ${other.currency}: use currency ${other.currency} (or archive the other plans first)`,
      );
    if (other.tax_inclusive !== plan.tax_inclusive)
      throw new ApiError(409, `This event's plans have tax_inclusive ${other.tax_inclusive}: use the same for every plan`);
  }

  async createPlan(event: EventRow, req: CreatePlanRequest): Promise<PlanRow> {
    const plan = {
      name: req.name,
      kind: req.kind,
      quantity: req.kind === 'single' ? 1 : req.kind === 'bundle' ? req.quantity! : null,
      price: req.price,
      currency: req.currency,
      tax_inclusive: req.tax_inclusive,
      status: req.status,
    };
    await this.checkCompatible(event, plan);
    return this.ctx.db.createPlan(event.id, plan);
  }

  async updatePlan(event: EventRow, id: number, req: UpdatePlanRequest): Promise<PlanRow> {
    const cur = await this.ctx.db.getPlan(event.id, id);
    if (!cur) throw notFound(`Plan ${id} not found in this event`);
    if (req.quantity !== undefined && cur.kind !== 'bundle')
      throw unprocessable(`quantity: only bundles have a quantity; plan ${id} is a ${cur.kind} plan`);
    const next = { ...cur, ...req };
    await this.checkCompatible(event, next);
    const updated = (await this.ctx.db.updatePlan(event.id, id, req))!;
    await this.disableIfNothingToSell(event);
    return updated;
  }

  async archivePlan(event: EventRow, id: number): Promise<PlanRow> {
    const cur = await this.ctx.db.getPlan(event.id, id);
    if (!cur) throw notFound(`Plan ${id} not found in this event`);
    const updated = (await this.ctx.db.updatePlan(event.id, id, { status: 'archived' }))!;
    await this.disableIfNothingToSell(event);
    return updated;
  }

  /** Checkout switches itself off when its last published plan goes (it could not price anything). */
  private async disableIfNothingToSell(event: EventRow) {
    const s = await this.ctx.db.getSettings(event.id);
    if (s?.enabled && (await this.ctx.db.listPlans(event.id, ['published'])).length === 0)
      await this.ctx.db.putSettings(event.id, { enabled: false });
  }
}
