/** The checkout area: selling photos (see docs/checkout.md). */
export { checkoutRoutes } from './routes/index.ts';
export { checkoutFor, configureCheckout, gatewaysFromEnv, registerCheckout } from './registry.ts';
export { CheckoutService } from './service.ts';
