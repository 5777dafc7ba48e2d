import { and, eq, isNull, lte, or, sql } from "drizzle-orm";
import { payments } from "@/db/schema";
import type { PaymentDeps } from "./accounts";
import { now } from "./handle";

/**
 * An unsigned delivery (iPay's callbacks: anyone can send one, with any query) asks the provider
 * about its payment at most once in this time, as a shopper's return does (returns.ts).
 */
export const UNSIGNED_CHECK_INTERVAL_MS = 10_000;

/**
 * `check`: this delivery's status check may run now (it has been claimed). `covered`: a check
 * began after the delivery arrived, so it has nothing left to ask. `wait`: asked moments ago,
 * before it arrived; its check is due at `until`.
 */
export type UnsignedCheck = { kind: "check" } | { kind: "covered" } | { kind: "wait"; until: Date };

/**
 * Claims the payment's next unsigned check. One UPDATE moves last_checked_at to now only when the
 * last check is older than the interval, so concurrent deliveries cannot both pass; the check
 * itself sets it again when it ends.
 */
export async function claimUnsignedCheck(deps: PaymentDeps, paymentId: string, receivedAt: Date): Promise<UnsignedCheck> {
  const at = now(deps);
  const [claimed] = await deps.db
    .update(payments)
    // Not a change of the payment: its updated_at (the Exceptions queue's order) stays.
    .set({ lastCheckedAt: at, updatedAt: sql`${payments.updatedAt}` })
    .where(and(eq(payments.id, paymentId), or(isNull(payments.lastCheckedAt), lte(payments.lastCheckedAt, new Date(at.getTime() - UNSIGNED_CHECK_INTERVAL_MS)))))
    .returning({ id: payments.id });
  if (claimed) return { kind: "check" };
  const [row] = await deps.db.select({ lastCheckedAt: payments.lastCheckedAt }).from(payments).where(eq(payments.id, paymentId));
  // No such payment: the check reports it.
  if (!row?.lastCheckedAt) return { kind: "check" };
  if (row.lastCheckedAt.getTime() > receivedAt.getTime()) return { kind: "covered" };
  return { kind: "wait", until: new Date(row.lastCheckedAt.getTime() + UNSIGNED_CHECK_INTERVAL_MS) };
}
