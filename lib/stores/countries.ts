import { isCurrency, type Currency } from "@/lib/money";
import { getProvider } from "@/lib/payments/registry";
import { CHECKOUT_COUNTRIES, providersServing } from "@/lib/payments/routing";

/**
 * What a new store in each country starts with: the currency its providers settle in, the zone
 * its day starts in, and the language its shoppers are greeted in. Every country the checkout
 * routes (lib/payments/routing.ts) has one; the test fails when a country is added without.
 */
export const COUNTRY_PROFILES: Record<string, { currency: Currency; timeZone: string; locale: "fr" | "en" }> = {
  CI: { currency: "XOF", timeZone: "Africa/Abidjan", locale: "fr" },
  SN: { currency: "XOF", timeZone: "Africa/Dakar", locale: "fr" },
  BF: { currency: "XOF", timeZone: "Africa/Ouagadougou", locale: "fr" },
  ML: { currency: "XOF", timeZone: "Africa/Bamako", locale: "fr" },
  BJ: { currency: "XOF", timeZone: "Africa/Porto-Novo", locale: "fr" },
  TG: { currency: "XOF", timeZone: "Africa/Lome", locale: "fr" },
  KE: { currency: "KES", timeZone: "Africa/Nairobi", locale: "en" },
};

export const STORE_COUNTRIES = CHECKOUT_COUNTRIES.filter((c) => Object.hasOwn(COUNTRY_PROFILES, c));

/**
 * The currencies a store in the country may price in: its own, and US dollars where one of the
 * country's providers takes them. Anything else would leave the checkout with no way to pay.
 */
export function currenciesFor(country: string): Currency[] {
  const profile = COUNTRY_PROFILES[country];
  if (!profile) return [];
  const taken = new Set(providersServing(country).flatMap((id) => getProvider(id).capabilities.currencies));
  return [profile.currency, "USD" as const].filter((c) => isCurrency(c) && taken.has(c));
}

/** The zones a store may choose: Africa's, as the runtime's time-zone database knows them. */
export function storeTimeZones(): string[] {
  return Intl.supportedValuesOf("timeZone").filter((zone) => zone.startsWith("Africa/"));
}

/** The countries a store may be in, named in `locale` and sorted by that name, each with its profile and currencies (the store form's list). */
export function storeCountries(locale: string) {
  const regions = new Intl.DisplayNames([locale], { type: "region" });
  return STORE_COUNTRIES.map((code) => ({ code, name: regions.of(code) ?? code, currencies: currenciesFor(code), ...COUNTRY_PROFILES[code]! })).sort((a, b) => a.name.localeCompare(b.name, locale));
}
