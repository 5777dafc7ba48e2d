import { and, eq } from "drizzle-orm";
import { providerAccounts } from "@/db/schema";
import { decryptJson, safeEqual } from "@/lib/crypto";
import type { ProviderId } from "@/lib/payments/types";
import type { SandboxDeps } from "./types";

export type SandboxAccount = { merchantId: string; publicId: string; credentials: Record<string, string> };

/** The merchant account in sandbox mode whose wire identifier is `publicId` (site_id, vid, …). */
export async function findSandboxAccount(deps: SandboxDeps, provider: ProviderId, publicId: string): Promise<SandboxAccount | null> {
  if (!publicId) return null;
  const [row] = await deps.db
    .select({ merchantId: providerAccounts.merchantId, publicId: providerAccounts.publicId, credentialsEncrypted: providerAccounts.credentialsEncrypted })
    .from(providerAccounts)
    .where(and(eq(providerAccounts.provider, provider), eq(providerAccounts.mode, "sandbox"), eq(providerAccounts.publicId, publicId)));
  return row ? { merchantId: row.merchantId, publicId: row.publicId, credentials: decryptJson(row.credentialsEncrypted, deps.encryptionKey) } : null;
}

/** For providers that authenticate by a secret only (Orange's client credentials). */
export async function findSandboxAccountWhere(
  deps: SandboxDeps,
  provider: ProviderId,
  match: (credentials: Record<string, string>) => boolean,
): Promise<SandboxAccount | null> {
  const rows = await deps.db
    .select({ merchantId: providerAccounts.merchantId, publicId: providerAccounts.publicId, credentialsEncrypted: providerAccounts.credentialsEncrypted })
    .from(providerAccounts)
    .where(and(eq(providerAccounts.provider, provider), eq(providerAccounts.mode, "sandbox")));
  for (const row of rows) {
    const credentials = decryptJson<Record<string, string>>(row.credentialsEncrypted, deps.encryptionKey);
    if (match(credentials)) return { merchantId: row.merchantId, publicId: row.publicId, credentials };
  }
  return null;
}

export function credentialMatches(expected: string | undefined, given: string | null | undefined): boolean {
  return Boolean(expected) && typeof given === "string" && safeEqual(expected!, given);
}
