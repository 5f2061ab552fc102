/** The checkout area: selling photos (see docs/checkout.md). Built in server/bootstrap.ts as `deps.checkout`. */
export { OrderEntitlements } from './entitlements.ts';
export { gatewaysFor } from './registry.ts';
export { CheckoutService } from './service.ts';
