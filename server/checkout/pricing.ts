import type { OrderLine, Quote, SelectionKind } from '../../core/checkout.ts';
import { ApiError } from '../http/errors.ts';
import type { PlanRow } from '../store/checkout-types.ts';

/**
 * Prices a selection with the event's published plans: the cheapest combination of single photos and
 * bundles that covers `count` photos (a bundle of N covers up to N), or — for "all my photos" selections
 * (a BIB or a selfie search) — an `all` plan when that is cheaper. Ties go to fewer items.
 */
export function priceSelection(plans: PlanRow[], count: number, selection: SelectionKind): Quote {
  if (count <= 0) throw new ApiError(409, 'Nothing to buy: the selection has no photos');
  const currency = plans[0]?.currency;
  const taxInclusive = plans[0]?.tax_inclusive ?? true;
  const units = plans.filter((p) => p.kind !== 'all' && p.quantity && p.quantity > 0);
  const alls = selection === 'image_ids' ? [] : plans.filter((p) => p.kind === 'all');
  if (!currency || (units.length === 0 && alls.length === 0)) {
    throw new ApiError(
      409,
      plans.some((p) => p.kind === 'all')
        ? 'This event sells all photos of a BIB or selfie search only: buy with bib or request_id instead of image_ids'
        : 'No published plan can price this selection',
    );
  }

  // cost[k] / items[k]: cheapest way to cover k photos; pick[k]: the plan index used last.
  const cost = new Array<number>(count + 1).fill(Infinity);
  const items = new Array<number>(count + 1).fill(Infinity);
  const pick = new Array<number>(count + 1).fill(-1);
  cost[0] = 0;
  items[0] = 0;
  for (let k = 1; k <= count; k++) {
    units.forEach((p, i) => {
      const prev = Math.max(0, k - p.quantity!);
      const c = cost[prev]! + p.price;
      const n = items[prev]! + 1;
      if (c < cost[k]! || (c === cost[k]! && n < items[k]!)) {
        cost[k] = c;
        items[k] = n;
        pick[k] = i;
      }
    });
  }
  const all = [...alls].sort((a, b) => a.price - b.price)[0];
  const lineOf = (p: PlanRow, quantity: number): OrderLine => ({
    plan_id: p.id,
    name: p.name,
    kind: p.kind,
    quantity,
    photos_per_unit: p.quantity,
    unit_amount: p.price,
    amount: p.price * quantity,
  });

  let lines: OrderLine[];
  if (all && all.price <= cost[count]!) {
    lines = [lineOf(all, 1)];
  } else {
    const used = new Map<number, number>();
    for (let k = count; k > 0; k = Math.max(0, k - units[pick[k]!]!.quantity!)) used.set(pick[k]!, (used.get(pick[k]!) ?? 0) + 1);
    lines = [...used.entries()]
      .sort(([a], [b]) => units[b]!.quantity! - units[a]!.quantity!)
      .map(([i, n]) => lineOf(units[i]!, n));
  }
  return {
    amount: lines.reduce((s, l) => s + l.amount, 0),
    currency,
    tax_inclusive: taxInclusive,
    image_count: count,
    lines,
  };
}
