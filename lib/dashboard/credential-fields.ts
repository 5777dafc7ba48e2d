import { getProvider } from "@/lib/payments/registry";
import type { ProviderId } from "@/lib/payments/types";
import { credentialFields } from "./settings";

/**
 * How the settings form asks for each credential: a secret is write-only (a password input, never
 * filled from what is stored), an identifier is plain text, and Orange's WebPay environment is
 * the country of the merchant's account, picked from the countries Orange serves.
 */
export type CredentialInput = { field: string; kind: "secret" | "text" | "country"; options?: string[] };

const IDENTIFIERS = new Set(["siteId", "merchantKey", "publicKey", "vendorId"]);

export function credentialInputs(provider: ProviderId): CredentialInput[] {
  return credentialFields(provider).map((field) => {
    if (provider === "orange-money" && field === "environment") {
      return { field, kind: "country", options: getProvider(provider).capabilities.countries.map((c) => c.toLowerCase()) };
    }
    return { field, kind: IDENTIFIERS.has(field) ? "text" : "secret" };
  });
}

/** Which typed fields a refused form may hand back to the browser: all of them (they came from it), never a stored one. */
export const formFieldNames = (provider: ProviderId) => [
  "mode",
  "enabled",
  "feeRate",
  "feeFixed",
  "settlementDelayDays",
  "override",
  "live_forget",
  ...credentialFields(provider).map((f) => `live_cred_${f}`),
];
