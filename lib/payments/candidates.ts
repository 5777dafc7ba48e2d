import { sql, type SQL } from "drizzle-orm";
import { payments } from "@/db/schema";
import type { PaymentRow } from "./handle";

/**
 * Provider transaction ids a shopper's URL named (KKiaPay's `transaction_id`) while they could not
 * be asked about at once (status API down, return throttled): kept unsigned on the payment, a few
 * at most, each asked about once by a later check and bound only by the provider's answer. A
 * bounded list kept first come, first kept: made-up ids named after a genuine one (a throttled
 * return costs nothing) cannot push it out, and an asked one is dropped whatever the answer, so
 * that a refused one is not asked about forever.
 */
const KEY = "candidateReferences";
const MAX_KEPT = 5;

export function keptCandidates(row: Pick<PaymentRow, "stored">): string[] {
  const value = row.stored?.[KEY];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string" && v !== "") : [];
}

/** The `stored` value with `add` kept (oldest first, unless the list is full) and `drop` dropped. */
export function storedWith(row: Pick<PaymentRow, "stored">, change: { add?: string; drop?: string }): SQL | undefined {
  const before = keptCandidates(row);
  let after = before.filter((id) => id !== change.drop && id !== change.add);
  if (change.add) after = [...after, change.add].slice(0, MAX_KEPT);
  if (after.length === before.length && after.every((id, i) => id === before[i])) return undefined;
  return sql`${payments.stored} || ${JSON.stringify({ [KEY]: after })}::jsonb`;
}
