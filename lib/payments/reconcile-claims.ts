import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { LATE_CHECKED_STATUSES } from "./late-checks";
import { notifications, payments, providerAccounts, UNDECIDED_STATUSES } from "@/db/schema";
import type { Mode, ProviderId } from "./types";

/**
 * What reconciliation may work on, per provider account, and how an instance claims it. A claim
 * is one UPDATE over rows picked FOR UPDATE SKIP LOCKED: it pushes the row's due time out by a
 * lease, so no other instance picks it while the work runs, and a claim whose instance died
 * simply falls due again when the lease ends. Nothing else marks work as taken.
 */

/** How long claimed work is hidden from other sweeps. */
export const CLAIM_LEASE_MS = 60_000;
/** After this many failed attempts a delivery is no longer retried (it stays, unprocessed, in the log). */
export const MAX_DELIVERY_ATTEMPTS = 10;
/** A delivery never tried by reconciliation is left this long to the request that recorded it. */
const UNATTEMPTED_DELIVERY_GRACE_MS = 20_000;

const UNDECIDED = UNDECIDED_STATUSES;

/** The account a status check uses: the merchant's account for the payment's provider (loadAccount). */
const accountOfPayment = and(eq(providerAccounts.merchantId, payments.merchantId), eq(providerAccounts.provider, payments.provider));

export type DueAccount = { accountId: string; merchantId: string; provider: ProviderId; mode: Mode; checks: number; deliveries: number };

// An undecided payment with no scheduled check (rows from before every payment was scheduled at
// its insert) is due too: nothing else would ever ask about it.
const checkDue = (at: Date) =>
  or(
    and(inArray(payments.status, [...UNDECIDED]), or(isNull(payments.nextCheckAt), lte(payments.nextCheckAt, at))),
    // A closed attempt's one late check (late-checks.ts).
    and(inArray(payments.status, [...LATE_CHECKED_STATUSES]), lte(payments.nextCheckAt, at)),
  );

const deliveryDue = (at: Date) =>
  and(
    inArray(notifications.verdict, ["authenticated", "unverifiable"]),
    isNull(notifications.processedAt),
    lt(notifications.attempts, MAX_DELIVERY_ATTEMPTS),
    // Rows from before next_attempt_at existed have none: due once the grace is over.
    or(lte(notifications.nextAttemptAt, at), and(isNull(notifications.nextAttemptAt), lte(notifications.receivedAt, new Date(at.getTime() - UNATTEMPTED_DELIVERY_GRACE_MS)))),
  );

/** Every account (and mode) with due work, the one waiting longest first. */
export async function dueAccounts(db: Db, at: Date): Promise<DueAccount[]> {
  const group = { accountId: providerAccounts.id, merchantId: providerAccounts.merchantId, provider: providerAccounts.provider, mode: payments.mode };
  const count = sql<number>`count(*)::int`.mapWith(Number);
  const [checks, deliveries] = await Promise.all([
    db
      .select({ ...group, count, oldest: sql<number>`extract(epoch from min(${payments.nextCheckAt}))`.mapWith(Number) })
      .from(payments)
      .innerJoin(providerAccounts, accountOfPayment)
      .where(checkDue(at))
      .groupBy(providerAccounts.id, payments.mode),
    db
      .select({ ...group, count, oldest: sql<number>`extract(epoch from min(coalesce(${notifications.nextAttemptAt}, ${notifications.receivedAt})))`.mapWith(Number) })
      .from(notifications)
      .innerJoin(payments, eq(payments.id, notifications.paymentId))
      .innerJoin(providerAccounts, accountOfPayment)
      .where(deliveryDue(at))
      .groupBy(providerAccounts.id, payments.mode),
  ]);
  const byKey = new Map<string, { account: DueAccount; oldest: number }>();
  for (const [rows, kind] of [[checks, "checks"], [deliveries, "deliveries"]] as const) {
    for (const { count: n, oldest, ...key } of rows) {
      const id = `${key.accountId}:${key.mode}`;
      const entry = byKey.get(id) ?? { account: { ...key, checks: 0, deliveries: 0 }, oldest };
      entry.account[kind] = n;
      entry.oldest = Math.min(entry.oldest, oldest);
      byKey.set(id, entry);
    }
  }
  return [...byKey.values()].sort((x, y) => x.oldest - y.oldest).map((entry) => entry.account);
}

export const ofAccount = (account: DueAccount) => and(eq(payments.merchantId, account.merchantId), eq(payments.provider, account.provider), eq(payments.mode, account.mode));

/** Claims up to `limit` of the account's due payments, longest due first. */
export async function claimChecks(db: Db, account: DueAccount, limit: number, at: Date): Promise<string[]> {
  if (limit <= 0) return [];
  const due = db
    .select({ id: payments.id })
    .from(payments)
    .where(and(ofAccount(account), checkDue(at)))
    .orderBy(asc(payments.nextCheckAt))
    .limit(limit)
    .for("update", { skipLocked: true });
  const rows = await db
    .update(payments)
    .set({ nextCheckAt: new Date(at.getTime() + CLAIM_LEASE_MS) })
    .where(inArray(payments.id, sql`(${due})`))
    .returning({ id: payments.id });
  return rows.map((r) => r.id);
}

export type ClaimedDelivery = { id: string; paymentId: string; attempts: number; providerReference: string | null };

/** Claims up to `limit` of the account's due deliveries, longest due first. */
export async function claimDeliveries(db: Db, account: DueAccount, limit: number, at: Date): Promise<ClaimedDelivery[]> {
  if (limit <= 0) return [];
  const due = db
    .select({ id: notifications.id })
    .from(notifications)
    .innerJoin(payments, eq(payments.id, notifications.paymentId))
    .where(and(ofAccount(account), deliveryDue(at)))
    .orderBy(asc(sql`coalesce(${notifications.nextAttemptAt}, ${notifications.receivedAt})`))
    .limit(limit)
    .for("update", { of: notifications, skipLocked: true });
  const rows = await db
    .update(notifications)
    .set({ nextAttemptAt: new Date(at.getTime() + CLAIM_LEASE_MS) })
    .where(inArray(notifications.id, sql`(${due})`))
    .returning({ id: notifications.id, paymentId: notifications.paymentId, attempts: notifications.attempts, verdict: notifications.verdict, providerReference: notifications.providerReference });
  return rows.map((r) => ({
    id: r.id,
    paymentId: r.paymentId!,
    attempts: r.attempts,
    // Only an authenticated delivery's transaction id is worth asking about (see notifications.providerReference).
    providerReference: r.verdict === "authenticated" ? r.providerReference : null,
  }));
}
