import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { providerAccounts } from "@/db/schema";
import type { AccountRow } from "@/lib/payments/accounts";
import { storedSet } from "@/lib/payments/credential-sets";
import type { Mode } from "@/lib/payments/types";

/**
 * The accounts a session in `mode` can pay through: enabled, and holding credentials for that
 * mode. A live key's session never offers a provider with no live credentials (its payment would
 * fail before any call), and a test key's never needs live ones.
 */
export function accountsForMode(accounts: AccountRow[], mode: Mode): AccountRow[] {
  return accounts.filter((a) => a.enabled && storedSet(a, mode) !== null);
}

/** The store's accounts a session's payments may go through. */
export async function sessionAccounts(db: Db, session: { merchantId: string; mode: Mode }): Promise<AccountRow[]> {
  return accountsForMode(await db.select().from(providerAccounts).where(eq(providerAccounts.merchantId, session.merchantId)), session.mode);
}
