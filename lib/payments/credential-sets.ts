import type { providerAccounts } from "@/db/schema";
import type { Mode } from "./types";

/**
 * A provider account keeps one credential set per mode, in its own columns (see the schema):
 * the only place that knows which columns those are.
 */
export const MODES = ["sandbox", "live"] as const satisfies readonly Mode[];

type AccountRow = typeof providerAccounts.$inferSelect;
type SetColumns = Pick<AccountRow, "sandboxPublicId" | "sandboxCredentialsEncrypted" | "livePublicId" | "liveCredentialsEncrypted">;

export type StoredSet = { publicId: string; encrypted: string };

/** A row's set for `mode`, still encrypted, or null when the account has none. */
export function storedSet(row: SetColumns, mode: Mode): StoredSet | null {
  const [publicId, encrypted] = mode === "sandbox" ? [row.sandboxPublicId, row.sandboxCredentialsEncrypted] : [row.livePublicId, row.liveCredentialsEncrypted];
  return publicId !== null && encrypted !== null ? { publicId, encrypted } : null;
}

/** The column values that store `set` as the account's `mode` set (null deletes it). */
export function setColumns(mode: Mode, set: StoredSet | null): Partial<SetColumns> {
  return mode === "sandbox"
    ? { sandboxPublicId: set?.publicId ?? null, sandboxCredentialsEncrypted: set?.encrypted ?? null }
    : { livePublicId: set?.publicId ?? null, liveCredentialsEncrypted: set?.encrypted ?? null };
}
