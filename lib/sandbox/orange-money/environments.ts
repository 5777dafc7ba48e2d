/**
 * The path segment after /orange-money-webpay/: "dev" (the WebPay Dev sandbox, which only knows
 * the test currency OUV) or a country code whose production API takes that country's currency.
 */
const COUNTRY_CURRENCIES: Record<string, string> = {
  ci: "XOF",
  sn: "XOF",
  ml: "XOF",
  bf: "XOF",
  ne: "XOF",
  gw: "XOF",
  cm: "XAF",
  cf: "XAF",
  gn: "GNF",
  mg: "MGA",
  cd: "CDF",
  sl: "SLE",
  lr: "LRD",
  bw: "BWP",
};

/** The one currency an environment accepts, or null for an unknown environment. */
export function environmentCurrency(environment: string): string | null {
  if (environment === "dev") return "OUV";
  return COUNTRY_CURRENCIES[environment] ?? null;
}
