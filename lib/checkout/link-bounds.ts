import { providersBounds } from "@/lib/payments/limits";
import type { EnabledAccount } from "@/lib/payments/routing";

export type LinkBounds = { minMinor: number; maxMinor: number | null };

/**
 * What an open payment link accepts: the merchant's own minimum and maximum, each falling back to
 * what the merchant's enabled providers take in the link's currency.
 */
export function linkBounds(link: { minAmountMinor: number | null; maxAmountMinor: number | null; currency: string }, accounts: EnabledAccount[]): LinkBounds {
  const providers = providersBounds(
    link.currency,
    accounts.filter((a) => a.enabled).map((a) => a.provider),
  );
  return { minMinor: link.minAmountMinor ?? providers?.minMinor ?? 1, maxMinor: link.maxAmountMinor ?? providers?.maxMinor ?? null };
}
