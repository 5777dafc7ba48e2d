import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { merchants, providerAccounts } from "@/db/schema";
import { decryptJson } from "@/lib/crypto";
import { storedSet } from "./credential-sets";
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

/** One mode's credentials as opened from the row: usable, or why no call can be made with them. */
export type OpenedCredentials = { ok: true; credentials: unknown } | { ok: false; code: "credentials_missing" | "invalid_credentials"; message: string };

export type LoadedAccount = {
  id: string;
  merchantId: string;
  provider: ProviderId;
  /** The mode new payments are made in. */
  mode: Mode;
  enabled: boolean;
  credentials: Record<Mode, OpenedCredentials>;
  feeRateBps: number;
  feeFixedMinor: number;
  settlementDelayDays: number;
  /** The store's zone (merchants.time_zone): settlement dates are counted in its days. */
  timeZone: string;
};

export type AccountRow = typeof providerAccounts.$inferSelect;

export async function loadAccount(deps: PaymentDeps, merchantId: string, provider: ProviderId): Promise<LoadedAccount | null> {
  const [row] = await deps.db
    .select({ account: providerAccounts, timeZone: merchants.timeZone })
    .from(providerAccounts)
    .innerJoin(merchants, eq(merchants.id, providerAccounts.merchantId))
    .where(and(eq(providerAccounts.merchantId, merchantId), eq(providerAccounts.provider, provider)));
  return row ? openAccount(deps, row.account, row.timeZone) : null;
}

/**
 * Decrypts and checks both credential sets of an account row. It never throws: a set that is
 * missing or unreadable only stops the calls made in its mode, when contextFor asks for it.
 */
export function openAccount(deps: PaymentDeps, row: AccountRow, timeZone: string): LoadedAccount {
  const { id, merchantId, provider, mode, enabled, feeRateBps, feeFixedMinor, settlementDelayDays } = row;
  const credentials = { sandbox: openCredentials(deps, row, "sandbox"), live: openCredentials(deps, row, "live") };
  return { id, merchantId, provider, mode, enabled, credentials, feeRateBps, feeFixedMinor, settlementDelayDays, timeZone };
}

function openCredentials(deps: PaymentDeps, row: AccountRow, mode: Mode): OpenedCredentials {
  const set = storedSet(row, mode);
  if (!set) return { ok: false, code: "credentials_missing", message: `the account has no ${mode} credentials; ${mode} payments are only asked about with them` };
  let stored: unknown;
  try {
    stored = decryptJson(set.encrypted, deps.encryptionKey);
  } catch {
    return { ok: false, code: "invalid_credentials", message: `the stored ${mode} credentials cannot be decrypted with the current key` };
  }
  const parsed = getProvider(row.provider).credentialsSchema.safeParse(stored);
  return parsed.success ? { ok: true, credentials: parsed.data } : { ok: false, code: "invalid_credentials", message: `the stored ${mode} credentials do not match the provider's schema` };
}

/**
 * The context of one provider call. `mode`: the mode of the payment the call is about (a payment
 * made in sandbox is always asked about in sandbox, with the sandbox credentials); new payments
 * take the account's. Without that mode's credentials no call is made: a ProviderError instead.
 */
export function contextFor(deps: PaymentDeps, account: LoadedAccount, purpose: "init" | "status", mode: Mode = account.mode): ProviderContext<unknown> {
  const opened = account.credentials[mode];
  if (!opened.ok) throw new ProviderError(account.provider, opened.code, opened.message, false);
  const timeouts = deps.timeouts ?? { initMs: 15_000, statusMs: 8_000 };
  return {
    mode,
    credentials: opened.credentials,
    urls: deps.urlsFor(account.provider, mode),
    timeoutMs: purpose === "init" ? timeouts.initMs : timeouts.statusMs,
    fetch: deps.fetch,
  };
}
