import { formatMoney } from "@/lib/money";
import { getProvider } from "./registry";
import type { AmountCheck, ProviderId } from "./types";

export type AmountLimits = { minMinor: number; maxMinor: number };

/**
 * The smallest and largest single payment each provider takes, per currency, in minor units.
 * CinetPay documents its 100 F CFA minimum (PROVIDERS.md §1.8) and a 1 500 000 F CFA ceiling on
 * its transfer and airtime APIs (its checkout answers 642 ERROR_AMOUNT_TOO_HIGH without saying
 * where); M-Pesa caps one transaction at KES 250,000. Where a provider documents nothing
 * (Orange Money's and KKiaPay's wallets, iPay's dollars), the same figures are our choice, as
 * iPay's minimum already was: the shopper hears the limit before any order exists, instead of an
 * operator refusal after it.
 */
const CFA: AmountLimits = { minMinor: 100, maxMinor: 1_500_000 };
const LIMITS: Record<ProviderId, Partial<Record<string, AmountLimits>>> = {
  cinetpay: { XOF: CFA, XAF: CFA },
  "orange-money": { XOF: CFA, XAF: CFA },
  kkiapay: { XOF: CFA },
  ipay: { KES: { minMinor: 1_000, maxMinor: 25_000_000 }, USD: { minMinor: 100, maxMinor: 200_000 } },
};

export function providerLimits(provider: ProviderId, currency: string): AmountLimits | undefined {
  return LIMITS[provider][currency];
}

/** Both languages at once, like every other amount message: the checkout picks one. */
function limitMessage(kind: "min" | "max", amountMinor: number, currency: string): { fr: string; en: string } {
  const fr = formatMoney(amountMinor, currency, "fr");
  const en = formatMoney(amountMinor, currency, "en");
  return kind === "min"
    ? { fr: `Le montant minimum est de ${fr}.`, en: `The minimum amount is ${en}.` }
    : { fr: `Le montant maximum est de ${fr}.`, en: `The maximum amount is ${en}.` };
}

/** An amount against bounds: the refusal says the bound it broke, in the shopper's words. */
export function checkBounds(amountMinor: number, currency: string, bounds: { minMinor: number; maxMinor: number | null }): AmountCheck {
  if (amountMinor < bounds.minMinor) return { ok: false, code: "amount_too_low", message: limitMessage("min", bounds.minMinor, currency) };
  if (bounds.maxMinor !== null && amountMinor > bounds.maxMinor) return { ok: false, code: "amount_too_high", message: limitMessage("max", bounds.maxMinor, currency) };
  return { ok: true };
}

/** The provider's limits first (an amount far off is told its bound, not its last digit), then its own rules (multiples of 5, whole units…). */
export function acceptsAmount(provider: ProviderId, amountMinor: number, currency: string): AmountCheck {
  const limits = providerLimits(provider, currency);
  const bounded = limits ? checkBounds(amountMinor, currency, limits) : { ok: true as const };
  return bounded.ok ? getProvider(provider).checkAmount(amountMinor, currency) : bounded;
}

/**
 * What the merchant's enabled providers take in this currency, together: from the lowest
 * minimum to the highest maximum (null when one of them declares none). An open payment link
 * defaults to these bounds.
 */
export function providersBounds(currency: string, providers: readonly ProviderId[]): { minMinor: number; maxMinor: number | null } | null {
  const taking = providers.filter((id) => getProvider(id).capabilities.currencies.includes(currency));
  if (taking.length === 0) return null;
  const limits = taking.map((id) => providerLimits(id, currency));
  const minMinor = Math.min(...limits.map((l) => l?.minMinor ?? 1));
  const maxMinor = limits.every((l) => l) ? Math.max(...limits.map((l) => l!.maxMinor)) : null;
  return { minMinor, maxMinor };
}
