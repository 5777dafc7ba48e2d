import { and, eq, gt, gte, inArray, isNull, lt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { notifications, payments, providerRateBudgets as b, UNDECIDED_STATUSES } from "@/db/schema";
import type { BudgetKey } from "./rate-budget";
import { CLAIM_LEASE_MS, MAX_DELIVERY_ATTEMPTS, ofAccount, type DueAccount } from "./reconcile-claims";
import { ProviderError } from "./types";

/**
 * A provider account's recovery, as a circuit breaker closes. While the provider does not answer
 * (5xx, timeout, connection refused), every delivery and check that fails waits out a growing
 * backoff (15 s × 2ⁿ): after a long outage, minutes after the provider answers again. So the
 * first call that gets an answer after reconciliation's calls failed makes due, at once, the
 * account's work those failures pushed back. It is still claimed within the account's per-minute
 * budget (rate-budget.ts), in the order of the claims (reconcile-claims.ts), and a delivery's
 * share leaves the scheduled checks theirs. A 429 is the provider asking us to wait: it
 * neither opens nor closes anything, the account's pause handles it.
 */

/** What a call's outcome says of the provider: it answered, it could not answer, or nothing. */
export type ProviderState = "answered" | "down" | "unknown";

/** `error`: what the call threw or recorded, undefined when it got its answer. */
export function providerState(error: unknown): ProviderState {
  if (error === undefined) return "answered";
  if (!(error instanceof ProviderError) || isRateLimit(error)) return "unknown";
  return error.retryable ? "down" : "answered";
}

const isRateLimit = (error: ProviderError) => error.details.httpStatus === 429 || error.code === "rate_limited";

/** A delivery's recorded error when its provider did not answer (lib/payments/http.ts, adapters' 5xx). */
const OUTAGE_CODES = ["provider_unavailable", "network_error", "timeout"];

const keyIs = (key: BudgetKey) => and(eq(b.accountId, key.accountId), eq(b.mode, key.mode));

/** Notes that the account's calls fail for want of an answer; the first failure's time is kept. */
export async function noteOutage(db: Db, key: BudgetKey, at: Date): Promise<void> {
  await db.update(b).set({ failingSince: at }).where(and(keyIs(key), isNull(b.failingSince)));
}

export type Recovery = { since: Date; deliveries: number; checks: number };

/**
 * The provider answered: when its calls had been failing, the account's deliveries that failed
 * for want of an answer, and its payments checked since the failures began, are due at `at`. Of
 * instances closing at once, one does it (the marker is cleared compare-and-set). Work due within
 * a claim's lease is left alone: it may be claimed and running now, and is due soon anyway. A
 * closed attempt's late check keeps its time: it waits for the provider's own window.
 */
export async function closeOutage(db: Db, key: BudgetKey, account: DueAccount, at: Date): Promise<Recovery | null> {
  const [row] = await db.select({ since: b.failingSince }).from(b).where(keyIs(key));
  if (!row?.since) return null;
  const won = await db
    .update(b)
    .set({ failingSince: null })
    .where(and(keyIs(key), eq(b.failingSince, row.since)))
    .returning({ accountId: b.accountId });
  if (!won.length) return null;
  const pushedBack = new Date(at.getTime() + CLAIM_LEASE_MS);
  const waitingDeliveries = db
    .select({ id: notifications.id })
    .from(notifications)
    .innerJoin(payments, eq(payments.id, notifications.paymentId))
    .where(
      and(
        ofAccount(account),
        inArray(notifications.verdict, ["authenticated", "unverifiable"]),
        isNull(notifications.processedAt),
        lt(notifications.attempts, MAX_DELIVERY_ATTEMPTS),
        inArray(notifications.lastError, OUTAGE_CODES),
        gt(notifications.nextAttemptAt, pushedBack),
      ),
    );
  const deliveries = await db.update(notifications).set({ nextAttemptAt: at }).where(inArray(notifications.id, waitingDeliveries)).returning({ id: notifications.id });
  const checks = await db
    .update(payments)
    .set({ nextCheckAt: at })
    .where(
      and(
        ofAccount(account),
        inArray(payments.status, [...UNDECIDED_STATUSES]),
        gte(payments.lastCheckedAt, row.since),
        gt(payments.nextCheckAt, pushedBack),
      ),
    )
    .returning({ id: payments.id });
  return { since: row.since, deliveries: deliveries.length, checks: checks.length };
}
