import type { Env } from "@/lib/env";
import type { Mode, ProviderId } from "./types";

/**
 * Base URLs an adapter talks to. Sandbox mode points at the app's own simulators, which serve
 * the providers' real paths below /sandbox/<provider>: on SANDBOX_URL when they run in another
 * process (the benchmarks), else on SANDBOX_ORIGIN when they have an origin of their own (the
 * shopper's browser goes there too), else on the app's. Live mode at the real hosts
 * (overridable by env for staging).
 */
export function providerUrls(
  provider: ProviderId,
  mode: Mode,
  e: Pick<Env, "APP_URL" | "SANDBOX_URL" | "SANDBOX_ORIGIN" | "CINETPAY_API_URL" | "ORANGE_MONEY_API_URL" | "KKIAPAY_API_URL" | "IPAY_API_URL" | "IPAY_CHECKOUT_URL" | "IPAY_IPN_URL">,
): Record<string, string> {
  const trim = (u: string) => u.replace(/\/$/, "");
  if (mode === "sandbox") {
    const base = sandboxBase(provider, e);
    switch (provider) {
      case "cinetpay":
      case "orange-money":
        return { api: base };
      case "kkiapay":
        return { api: base, script: `${base}/k.js` };
      case "ipay":
        return { api: `${base}/payments/v2`, checkout: `${base}/v3/ke`, ipn: `${base}/ipn/` };
    }
  }
  switch (provider) {
    case "cinetpay":
      return { api: trim(e.CINETPAY_API_URL) };
    case "orange-money":
      return { api: trim(e.ORANGE_MONEY_API_URL) };
    case "kkiapay":
      return { api: trim(e.KKIAPAY_API_URL), script: "https://cdn.kkiapay.me/k.js" };
    case "ipay":
      return { api: `${trim(e.IPAY_API_URL)}/payments/v2`, checkout: `${trim(e.IPAY_CHECKOUT_URL)}/v3/ke`, ipn: e.IPAY_IPN_URL };
  }
}

/** Where the simulator of `provider` is served (see providerUrls), its control API included. */
export function sandboxBase(provider: ProviderId, e: Pick<Env, "APP_URL" | "SANDBOX_URL" | "SANDBOX_ORIGIN">): string {
  return `${(e.SANDBOX_URL ?? e.SANDBOX_ORIGIN ?? e.APP_URL).replace(/\/$/, "")}/sandbox/${provider}`;
}
