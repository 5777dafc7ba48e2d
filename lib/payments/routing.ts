import { acceptsAmount } from "./limits";
import { getProvider } from "./registry";
import type { CustomerRequirement, PaymentMethod, ProviderId } from "./types";

/**
 * Which provider pays which method for a shopper in which country. Per country, each method
 * lists providers in order of preference; the first one the merchant has enabled, that takes
 * the order's currency and accepts its amount, wins. (A direct Orange Money account beats
 * Orange Money through CinetPay: fewer hops, lower fees.)
 */
type Route = { method: PaymentMethod; providers: ProviderId[]; flow?: "hosted" | "push" };

const ROUTES: Record<string, Route[]> = {
  CI: [
    { method: "orange_money", providers: ["orange-money", "cinetpay"] },
    { method: "mtn", providers: ["cinetpay", "kkiapay"] },
    { method: "moov", providers: ["cinetpay", "kkiapay"] },
    { method: "wave", providers: ["cinetpay", "kkiapay"] },
    { method: "card", providers: ["cinetpay", "kkiapay"] },
  ],
  SN: [
    { method: "orange_money", providers: ["orange-money", "cinetpay"] },
    { method: "wave", providers: ["cinetpay", "kkiapay"] },
    { method: "card", providers: ["cinetpay"] },
  ],
  BF: [
    { method: "orange_money", providers: ["orange-money", "cinetpay"] },
    { method: "moov", providers: ["cinetpay"] },
    { method: "card", providers: ["cinetpay"] },
  ],
  ML: [{ method: "orange_money", providers: ["orange-money"] }],
  BJ: [
    { method: "mtn", providers: ["kkiapay"] },
    { method: "moov", providers: ["kkiapay"] },
    { method: "celtiis", providers: ["kkiapay"] },
    { method: "card", providers: ["kkiapay"] },
  ],
  TG: [
    { method: "moov", providers: ["kkiapay"] },
    { method: "card", providers: ["kkiapay"] },
  ],
  KE: [
    { method: "mpesa", providers: ["ipay"], flow: "push" },
    { method: "mpesa", providers: ["ipay"] },
    { method: "airtel", providers: ["ipay"] },
    { method: "card", providers: ["ipay"] },
  ],
};

/**
 * Providers whose hosted page cannot be told which operator to open on. CinetPay's v2 init takes
 * `channels` (MOBILE_MONEY, WALLET, CREDIT_CARD), never an operator (PROVIDERS.md §1.2), and its
 * page asks the shopper for one. Offering "MTN via CinetPay" made them choose twice, so these
 * operators become one "mobile money" choice; the shopper picks the operator once, on that page.
 */
const OPERATOR_CHOSEN_ON_PAGE: Partial<Record<ProviderId, readonly PaymentMethod[]>> = { cinetpay: ["orange_money", "mtn", "moov", "wave"] };

export const CHECKOUT_COUNTRIES = Object.keys(ROUTES);

/** `needs`: what the shopper must give for it, beyond name, phone and country (asked before any order). */
export type PaymentOption = { id: string; provider: ProviderId; method: PaymentMethod; flow: "hosted" | "push"; needs: readonly CustomerRequirement[] };

export type EnabledAccount = { provider: ProviderId; enabled: boolean };

/** `amountMinor` null: before the cart is known (the server checks the amount again on submit). */
export function paymentOptions(country: string, currency: string, amountMinor: number | null, accounts: EnabledAccount[]): PaymentOption[] {
  const enabled = new Set(accounts.filter((a) => a.enabled).map((a) => a.provider));
  const options: PaymentOption[] = [];
  for (const route of ROUTES[country] ?? []) {
    const provider = route.providers.find((id) => {
      const p = getProvider(id);
      return enabled.has(id) && p.capabilities.currencies.includes(currency) && p.capabilities.methods.includes(route.method) && (amountMinor === null || acceptsAmount(id, amountMinor, currency).ok);
    });
    if (!provider) continue;
    const flow = route.flow ?? "hosted";
    const method = OPERATOR_CHOSEN_ON_PAGE[provider]?.includes(route.method) ? "mobile_money" : route.method;
    const id = `${provider}.${method}.${flow}`;
    if (options.some((o) => o.id === id)) continue;
    options.push({ id, provider, method, flow, needs: getProvider(provider).requiredCustomerData?.(method) ?? [] });
  }
  return options;
}

/** Every provider that pays some method in the country, whatever the merchant has enabled. */
export function providersServing(country: string): ProviderId[] {
  return [...new Set((ROUTES[country] ?? []).flatMap((route) => route.providers))];
}

/** Countries where this merchant can take at least one payment in its currency. */
export function checkoutCountries(currency: string, accounts: EnabledAccount[]): string[] {
  return CHECKOUT_COUNTRIES.filter((country) => ROUTES[country]!.some((route) => route.providers.some((id) => accounts.some((a) => a.enabled && a.provider === id) && getProvider(id).capabilities.currencies.includes(currency))));
}

/** Why no option is left for an amount: the first provider rule it breaks, for the shopper. */
export function amountProblem(country: string, currency: string, amountMinor: number, accounts: EnabledAccount[]) {
  const enabled = new Set(accounts.filter((a) => a.enabled).map((a) => a.provider));
  for (const route of ROUTES[country] ?? []) {
    for (const id of route.providers) {
      if (!enabled.has(id) || !getProvider(id).capabilities.currencies.includes(currency)) continue;
      const check = acceptsAmount(id, amountMinor, currency);
      if (!check.ok) return check;
    }
  }
  return null;
}
