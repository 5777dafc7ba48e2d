import { randomBytes, randomInt } from "node:crypto";
import type { ProviderId } from "@/lib/payments/types";

const hex = (bytes: number) => randomBytes(bytes).toString("hex");

/**
 * A fresh sandbox credential set, as each provider's back-office would issue it for its test
 * environment, shaped to pass the adapter's schema (CinetPay's numeric site_id, iPay's lower-case
 * vendor id of at most 12, Orange's "dev" WebPay API). Random enough that no two stores share a
 * public id (the database refuses a second one anyway).
 */
export function generateSandboxCredentials(provider: ProviderId): Record<string, string> {
  switch (provider) {
    case "cinetpay":
      return { apiKey: `sbx${hex(20)}`, siteId: String(randomInt(100_000_000, 999_999_999)), secretKey: `sbx_secret_${hex(16)}` };
    case "orange-money":
      return { clientId: `sbx_om_${hex(8)}`, clientSecret: `sbx_om_secret_${hex(16)}`, merchantKey: hex(4), environment: "dev" };
    case "kkiapay":
      return { publicKey: `pk_sbx_${hex(12)}`, privateKey: `sk_sbx_${hex(16)}`, secretKey: `whsec_sbx_${hex(16)}` };
    case "ipay":
      return { vendorId: `sbx${hex(4)}`, securityKey: `sbx${hex(16)}` };
  }
}
