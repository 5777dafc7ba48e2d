import { and, eq, isNotNull } from "drizzle-orm";
import { merchants, providerAccounts } from "@/db/schema";
import { decryptJson, safeEqual } from "@/lib/crypto";
import type { ProviderId } from "@/lib/payments/types";
import type { SandboxDeps } from "./types";
import { hasControlChars } from "@/lib/validation";

export type SandboxAccount = { merchantId: string; publicId: string; credentials: Record<string, string> };

/**
 * The simulators know accounts by their SANDBOX credential set only, whatever mode the account is
 * in now: a store gone live keeps its sandbox set for the payments it made before, and a live
 * set never opens the sandbox.
 */
const sandboxSet = { merchantId: providerAccounts.merchantId, publicId: providerAccounts.sandboxPublicId, encrypted: providerAccounts.sandboxCredentialsEncrypted };

type SandboxRow = { merchantId: string; publicId: string | null; encrypted: string | null };

function opened(deps: SandboxDeps, row: SandboxRow): SandboxAccount | null {
  if (row.publicId === null || row.encrypted === null) return null;
  return { merchantId: row.merchantId, publicId: row.publicId, credentials: decryptJson(row.encrypted, deps.encryptionKey) };
}

/**
 * The merchant account whose sandbox wire identifier is `publicId` (site_id, vid, …). One with a
 * control character names none: PostgreSQL refuses NUL, which would be a 500 for bad input.
 */
export async function findSandboxAccount(deps: SandboxDeps, provider: ProviderId, publicId: string): Promise<SandboxAccount | null> {
  if (!publicId || hasControlChars(publicId)) return null;
  const [row] = await deps.db
    .select(sandboxSet)
    .from(providerAccounts)
    .where(and(eq(providerAccounts.provider, provider), eq(providerAccounts.sandboxPublicId, publicId)));
  return row ? opened(deps, row) : null;
}

/** For providers that authenticate by a secret only (Orange's client credentials). */
export async function findSandboxAccountWhere(
  deps: SandboxDeps,
  provider: ProviderId,
  match: (credentials: Record<string, string>) => boolean,
): Promise<SandboxAccount | null> {
  const rows = await deps.db
    .select(sandboxSet)
    .from(providerAccounts)
    .where(and(eq(providerAccounts.provider, provider), isNotNull(providerAccounts.sandboxCredentialsEncrypted)));
  for (const row of rows) {
    const account = opened(deps, row);
    if (account && match(account.credentials)) return account;
  }
  return null;
}

export function credentialMatches(expected: string | undefined, given: string | null | undefined): boolean {
  return Boolean(expected) && typeof given === "string" && safeEqual(expected!, given);
}

/** The merchant's name, as the providers' pages show it (CinetPay's page, the titles of all four). */
export async function merchantName(deps: SandboxDeps, merchantId: string): Promise<string> {
  const [row] = await deps.db.select({ name: merchants.name }).from(merchants).where(eq(merchants.id, merchantId));
  return row?.name ?? "";
}
