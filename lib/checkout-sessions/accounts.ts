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
