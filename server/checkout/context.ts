import type { GatewayName } from '../../core/checkout.ts';
import type { BlobStore } from '../blobs/types.ts';
import { ApiError } from '../http/errors.ts';
import type { Logger } from '../log.ts';
import type { SelfieResults } from '../services/selfie-results.ts';
import type { Signer } from '../services/signing.ts';
import type { CheckoutStore } from '../store/checkout-types.ts';
import type { Store } from '../store/types.ts';
import { GatewayError, type PaymentGateway } from './gateways/types.ts';

/** What the service is built from (server/bootstrap.ts). */
export interface CheckoutDeps {
  store: Store;
  blobs: BlobStore;
  signer: Signer;
  log: Logger;
  /** Stored selfie searches, for "all my photos" by request_id; undefined = every request_id is unknown (404). */
  selfieResults: SelfieResults | undefined;
}

/** Who asked, for the order log and for the return-URL check. */
export interface Caller {
  /** `api`, `admin:<key id>`, `webhook:stripe`, `test-gateway`, `recheck`. */
  source: string;
  /** This server's public origin. */
  base: string;
}

/** What every part of checkout shares: the app's deps and the gateways this server can use. */
export class CheckoutContext {
  constructor(
    readonly deps: CheckoutDeps,
    /** The gateways this server can use (Stripe only when configured). */
    private readonly gateways: ReadonlyMap<GatewayName, PaymentGateway>,
  ) {}

  get db(): CheckoutStore {
    return this.deps.store.checkout;
  }

  gateway(name: GatewayName): PaymentGateway | null {
    return this.gateways.get(name) ?? null;
  }

  gatewayNames(): GatewayName[] {
    return [...this.gateways.keys()];
  }
}

export const gatewayFailure = (e: unknown) =>
  e instanceof GatewayError ? new ApiError(502, `${e.message}. Nothing was charged by this attempt; it is safe to retry.`) : e;
