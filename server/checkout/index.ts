/** The checkout area: selling photos (see docs/checkout.md). */
export { checkoutFor, configureCheckout, gatewaysFromEnv, registerCheckout } from './registry.ts';
export { CheckoutService } from './service.ts';
