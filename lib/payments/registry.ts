import { cinetpayProvider } from "./providers/cinetpay";
import { ipayProvider } from "./providers/ipay";
import { kkiapayProvider } from "./providers/kkiapay";
import { orangeMoneyProvider } from "./providers/orange-money";
import type { PaymentProvider, ProviderId } from "./types";

export const PROVIDERS = {
  cinetpay: cinetpayProvider,
  "orange-money": orangeMoneyProvider,
  kkiapay: kkiapayProvider,
  ipay: ipayProvider,
} satisfies Record<ProviderId, PaymentProvider<Record<string, string>>>;

/** Erased to `unknown` credentials: callers parse them with the provider's own schema first. */
export function getProvider(id: ProviderId): PaymentProvider<unknown> {
  return PROVIDERS[id] as unknown as PaymentProvider<unknown>;
}
