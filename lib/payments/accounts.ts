import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { providerAccounts } from "@/db/schema";
import { decryptJson } from "@/lib/crypto";
import { getProvider } from "./registry";
import { ProviderError, type Mode, type ProviderContext, type ProviderId } from "./types";

export type PaymentDeps = {
  db: Db;
  encryptionKey: string;
  /** Public origin for the URLs we hand to providers and shoppers. */
  appUrl: string;
  urlsFor: (provider: ProviderId, mode: Mode) => Record<string, string>;
  fetch?: typeof fetch;
  now?: () => Date;
  timeouts?: { initMs: number; statusMs: number };
};

export type LoadedAccount = {
  id: string;
  merchantId: string;
  provider: ProviderId;
  mode: Mode;
  enabled: boolean;
  credentials: unknown;
  feeRateBps: number;
  feeFixedMinor: number;
  settlementDelayDays: number;
};

export type AccountRow = typeof providerAccounts.$inferSelect;

export async function loadAccount(deps: PaymentDeps, merchantId: string, provider: ProviderId): Promise<LoadedAccount | null> {
  const [row] = await deps.db
    .select()
    .from(providerAccounts)
    .where(and(eq(providerAccounts.merchantId, merchantId), eq(providerAccounts.provider, provider)));
  return row ? openAccount(deps, row) : null;
}

/** Decrypts and checks an account row's credentials. */
export function openAccount(deps: PaymentDeps, row: AccountRow): LoadedAccount {
  const parsed = getProvider(row.provider).credentialsSchema.safeParse(decryptJson(row.credentialsEncrypted, deps.encryptionKey));
  if (!parsed.success) throw new ProviderError(row.provider, "invalid_credentials", "stored credentials do not match the provider's schema", false);
  return { ...row, credentials: parsed.data };
}

/**
 * The context of one provider call. `mode`: the mode of the payment the call is about (a payment
 * made in sandbox is always asked about in sandbox); new payments take the account's.
 */
export function contextFor(deps: PaymentDeps, account: LoadedAccount, purpose: "init" | "status", mode: Mode = account.mode): ProviderContext<unknown> {
  const timeouts = deps.timeouts ?? { initMs: 15_000, statusMs: 8_000 };
  return {
    mode,
    credentials: account.credentials,
    urls: deps.urlsFor(account.provider, mode),
    timeoutMs: purpose === "init" ? timeouts.initMs : timeouts.statusMs,
    fetch: deps.fetch,
  };
}
