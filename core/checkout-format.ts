/**
 * Checkout display helpers without zod, so the widgets can import them without pulling the schemas into
 * their bundle (core/checkout.ts re-exports them).
 */

/** `PF-` + the first 8 hex digits of the order id, upper-cased. */
export const orderReference = (orderId: string) => `PF-${orderId.replace(/-/g, '').slice(0, 8).toUpperCase()}`;

/** Digits after the decimal point of a currency (2 for EUR, 0 for JPY), from Intl. */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** `formatMoney(1250, 'EUR', 'fr')` → `12,50 €`. Amounts are integer minor units. */
export function formatMoney(amount: number, currency: string, locale?: string): string {
  const digits = currencyDigits(currency);
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount / 10 ** digits);
  } catch {
    return `${(amount / 10 ** digits).toFixed(digits)} ${currency}`;
  }
}
