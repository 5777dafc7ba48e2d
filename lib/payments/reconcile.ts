import { and, eq, inArray, isNull, sql, type AnyColumn } from "drizzle-orm";
import { notifications, payments } from "@/db/schema";
import type { PaymentDeps } from "./accounts";
import { nextCheckDelayMs, now } from "./handle";
import { processDelivery } from "./notifications";
import { budgetWindow, BUDGET_WINDOW_MS, pauseAccount, returnBudget, takeBudget, type BudgetKey } from "./rate-budget";
import { claimChecks, claimDeliveries, dueAccounts, MAX_DELIVERY_ATTEMPTS, type ClaimedDelivery, type DueAccount } from "./reconcile-claims";
import { closeOutage, noteOutage, providerState, type ProviderState } from "./recovery";
import { refreshPayment } from "./refresh";
import { followPendingRefunds } from "./refunds";
import { getProvider } from "./registry";
import { ProviderError } from "./types";
import { errorMessage, logger } from "@/lib/log";

export { CLAIM_LEASE_MS, MAX_DELIVERY_ATTEMPTS } from "./reconcile-claims";

/**
 * Reconciliation: every undecided payment is asked about again on its schedule (exponential
 * backoff, see nextCheckDelayMs) and every delivery whose status check failed is retried on its
 * own, within each provider account's per-minute budget, which all app instances share
 * (rate-budget.ts). Each sweep gives every account with due work its share, so one merchant's
 * backlog never holds up another's payments.
 *
 * No job queue: the payments and notifications tables are the queue. A sweep claims due rows
 * (reconcile-claims.ts) and runs them itself, at most `concurrency` accounts at once and one call
 * at a time per account. pg-boss used to carry the work between claim and run; it only added a
 * second record of what was taken, which could disagree with the first: jobs left active by a
 * killed process, and its singleton keys then stalled every retry of the same payment in
 * silence. A claim's lease expiring is all the recovery a dead instance needs.
 */

const log = () => logger("reconcile");

/** Longest pause a provider's Retry-After can impose (a bogus header must not stop checks for days). */
export const MAX_PAUSE_MS = 30 * 60_000;
/** While deliveries wait, due checks keep at least 1/CHECKS_SHARE_DIVISOR of each sweep's grant. */
const CHECKS_SHARE_DIVISOR = 4;
/**
 * Accounts a sweep works on at once. Each account's calls are one at a time, so a sweep's pace is
 * about this many calls per status-call latency: with 4, sixty accounts' budgets (2,700 calls a
 * minute, 30 stores in the chaos bench) needed under 90 ms a call; 8 leaves room on a busy machine,
 * while keeping the sweep within a small share of the database pool.
 */
const ACCOUNTS_AT_ONCE = 8;
/** Work not started within this time of its claim is left for the lease to hand to another sweep. */
const START_DEADLINE_MS = 30_000;

export type SweepOptions = { sweepIntervalMs?: number; concurrency?: number };

export type SweepResult = {
  /** Payments checked (or whose check was attempted). */
  payments: string[];
  /** Deliveries retried. */
  deliveries: { id: string; paymentId: string }[];
  /** Deliveries that have just used their last attempt. */
  gaveUp: string[];
  /** Accounts paused by a 429 during this sweep. */
  paused: string[];
  /** Claimed work left unstarted because the sweep ran late (it falls due again with its lease). */
  stalled: number;
  /** Checks that failed in a way the payment's own bookkeeping does not record. */
  failed: number;
  /** Pending refunds the provider has now settled (startReconciler's sweeps only). */
  refundsSettled?: number;
};

type Work = { kind: "check"; paymentId: string } | { kind: "delivery"; delivery: ClaimedDelivery };

/** One sweep: claims, within budget, each due account's share of work, and does it. */
export async function sweep(deps: PaymentDeps, options: SweepOptions = {}): Promise<SweepResult> {
  const at = now(deps);
  const result: SweepResult = { payments: [], deliveries: [], gaveUp: [], paused: [], stalled: 0, failed: 0 };
  const accounts = await dueAccounts(deps.db, at);
  await forEachBounded(accounts, options.concurrency ?? ACCOUNTS_AT_ONCE, async (account) => {
    try {
      await runAccount(deps, account, options.sweepIntervalMs ?? 15_000, result);
    } catch (error) {
      result.failed += 1;
      log().error({ account: account.accountId, err: errorMessage(error) }, "account sweep failed");
    }
  });
  return result;
}

async function runAccount(deps: PaymentDeps, account: DueAccount, sweepIntervalMs: number, result: SweepResult): Promise<void> {
  // Claimed now, not when the sweep began: a lease must cover the work from its claim on.
  const at = now(deps);
  const key: BudgetKey = { accountId: account.accountId, mode: account.mode };
  const perMinute = getProvider(account.provider).capabilities.statusRatePerMinute ?? 60;
  // This sweep's share of the minute: a backlog is worked off across the minute, not in one burst.
  const share = Math.max(1, Math.ceil((perMinute * sweepIntervalMs) / BUDGET_WINDOW_MS));
  const asked = Math.min(share, account.checks + account.deliveries);
  const grant = await takeBudget(deps.db, key, asked, perMinute, at);
  // Deliveries first: the provider told us something happened to these payments. But never the
  // whole grant while checks are due, or a backlog of deliveries (every one a provider outage
  // left) would hold every other payment's schedule until it is worked off.
  const forChecks = account.checks > 0 ? Math.min(account.checks, Math.max(1, Math.floor(grant.granted / CHECKS_SHARE_DIVISOR))) : 0;
  const deliveries = await claimDeliveries(deps.db, account, Math.min(grant.granted - forChecks, account.deliveries), at);
  const checks = await claimChecks(deps.db, account, grant.granted - deliveries.length, at);
  await returnBudget(deps.db, key, grant, asked - deliveries.length - checks.length);

  const work: Work[] = [...deliveries.map((delivery) => ({ kind: "delivery" as const, delivery })), ...checks.map((paymentId) => ({ kind: "check" as const, paymentId }))];
  const seen = new Set<ProviderState>();
  for (const [i, item] of work.entries()) {
    const current = now(deps);
    // The work was paid for from its claim's minute. What is left when the next minute begins
    // waits for that minute's budget (the next sweep), or the provider, counting by the minute
    // too, would see both minutes' calls in one: up to a sweep's share over the budget.
    if (budgetWindow(current).getTime() !== budgetWindow(at).getTime()) {
      await postpone(deps, work.slice(i), current, { overLease: true });
      return;
    }
    if (current.getTime() - at.getTime() > START_DEADLINE_MS) {
      result.stalled += work.length - i;
      log().warn({ account: account.accountId, left: work.length - i }, "sweep ran late: claimed work left to its lease");
      return;
    }
    const { limited, provider } = await runItem(deps, item, result);
    await followProvider(deps, key, account, provider, seen);
    if (limited) {
      const until = await pause(deps, key, limited);
      result.paused.push(account.accountId);
      await postpone(deps, [item, ...work.slice(i + 1)], until);
      return;
    }
  }
}

/**
 * The account's provider failing, or answering again after failures (recovery.ts): noted once
 * per run of each kind, so a backlog's run costs a statement or two, not one per call.
 */
async function followProvider(deps: PaymentDeps, key: BudgetKey, account: DueAccount, provider: ProviderState, seen: Set<ProviderState>): Promise<void> {
  if (provider === "unknown" || seen.has(provider)) return;
  seen.add(provider);
  if (provider === "down") return noteOutage(deps.db, key, now(deps));
  const recovery = await closeOutage(deps.db, key, account, now(deps));
  if (recovery) log().info({ account: key.accountId, mode: key.mode, since: recovery.since.toISOString(), deliveries: recovery.deliveries, checks: recovery.checks }, "provider answers again: work its failures pushed back is due now");
}

type ItemOutcome = { limited: ProviderError | null; provider: ProviderState };

/** Does one piece of work; a 429 it met comes back, every other failure stays with it. */
async function runItem(deps: PaymentDeps, item: Work, result: SweepResult): Promise<ItemOutcome> {
  if (item.kind === "check") {
    result.payments.push(item.paymentId);
    try {
      await refreshPayment(deps, item.paymentId, "reconciliation");
      return { limited: null, provider: "answered" };
    } catch (error) {
      // refreshPayment has recorded a provider's failure and scheduled the next check already.
      const limited = rateLimit(error);
      if (!limited && !(error instanceof ProviderError)) {
        result.failed += 1;
        log().error({ paymentId: item.paymentId, err: errorMessage(error) }, "status check failed");
      }
      return { limited, provider: providerState(error) };
    }
  }
  const { delivery } = item;
  result.deliveries.push({ id: delivery.id, paymentId: delivery.paymentId });
  try {
    // processDelivery records a failure (attempts, lastError) and keeps the error to itself; once
    // it returns that error, a 429 met by a delivery pauses the account as a check's does.
    const failure: unknown = await processDelivery(deps, delivery.id, delivery.paymentId);
    const attempts = await scheduleNextAttempt(deps, delivery);
    if (attempts !== null && attempts >= MAX_DELIVERY_ATTEMPTS) {
      result.gaveUp.push(delivery.id);
      log().warn({ notificationId: delivery.id, paymentId: delivery.paymentId, attempts }, "delivery not retried any more: its payment is still checked on its own schedule");
    }
    // Unprocessed without an error: its unsigned check had to wait, no call was made.
    const provider = failure === undefined && attempts !== null ? "unknown" : providerState(failure);
    return { limited: rateLimit(failure), provider };
  } catch (error) {
    result.failed += 1;
    log().error({ notificationId: delivery.id, err: errorMessage(error) }, "delivery retry failed");
    return { limited: null, provider: "unknown" };
  }
}

/**
 * A delivery still unprocessed after its attempt waits before the next one as a payment does
 * between checks (the claim saw `attempts` failures; this attempt is one more). Returns its
 * failed attempts so far, or null once it is processed.
 */
async function scheduleNextAttempt(deps: PaymentDeps, delivery: ClaimedDelivery): Promise<number | null> {
  const [row] = await deps.db
    .update(notifications)
    .set({ nextAttemptAt: new Date(now(deps).getTime() + nextCheckDelayMs(delivery.attempts + 1)) })
    .where(and(eq(notifications.id, delivery.id), isNull(notifications.processedAt)))
    .returning({ attempts: notifications.attempts });
  return row ? row.attempts : null;
}

function rateLimit(error: unknown): ProviderError | null {
  return error instanceof ProviderError && error.details.httpStatus === 429 ? error : null;
}

/** Pauses the account for as long as the provider asked, or else to the end of the budget's minute. */
async function pause(deps: PaymentDeps, key: BudgetKey, error: ProviderError): Promise<Date> {
  const at = now(deps);
  const asked = error.details.retryAfterSeconds;
  const waitMs = asked !== undefined ? asked * 1000 : budgetWindow(at).getTime() + BUDGET_WINDOW_MS - at.getTime();
  const until = new Date(at.getTime() + Math.min(Math.max(waitMs, 1000), MAX_PAUSE_MS));
  await pauseAccount(deps.db, key, until, at);
  log().warn({ account: key.accountId, mode: key.mode, until: until.toISOString(), retryAfterSeconds: asked ?? null }, "provider rate limit: account paused");
  return until;
}

/**
 * Work the pause stopped (the item that met the 429 and those after it) is due when the pause
 * ends, or later if already scheduled later. `overLease`: work this sweep claimed and never
 * started is due at `until` itself, its lease given back.
 */
async function postpone(deps: PaymentDeps, work: Work[], until: Date, options: { overLease?: boolean } = {}): Promise<void> {
  const paymentIds = work.flatMap((w) => (w.kind === "check" ? [w.paymentId] : []));
  const deliveryIds = work.flatMap((w) => (w.kind === "delivery" ? [w.delivery.id] : []));
  const later = (column: AnyColumn) => (options.overLease ? until : sql`greatest(${column}, ${until.toISOString()}::timestamptz)`);
  if (paymentIds.length) await deps.db.update(payments).set({ nextCheckAt: later(payments.nextCheckAt) }).where(inArray(payments.id, paymentIds));
  if (deliveryIds.length) await deps.db.update(notifications).set({ nextAttemptAt: later(notifications.nextAttemptAt) }).where(inArray(notifications.id, deliveryIds));
}

/** Runs `fn` over `items` in their order, at most `concurrency` at a time; `fn` must not throw. */
async function forEachBounded<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

export type ReconcilerStats = { sweeps: number; checks: number; deliveries: number; gaveUp: number; paused: number; failed: number; stalled: number; overran: number };
export type Reconciler = { stop: () => Promise<void>; sweepNow: () => Promise<SweepResult>; stats: () => ReconcilerStats };

/** Sweeps every `sweepIntervalMs` in this process. Every instance runs one; claims make them cooperate. */
export async function startReconciler(deps: PaymentDeps, options: SweepOptions & { onError?: (error: unknown) => void } = {}): Promise<Reconciler> {
  const sweepIntervalMs = options.sweepIntervalMs ?? 15_000;
  const onError = options.onError ?? ((error: unknown) => log().error({ err: errorMessage(error) }, "reconciliation error"));
  const stats: ReconcilerStats = { sweeps: 0, checks: 0, deliveries: 0, gaveUp: 0, paused: 0, failed: 0, stalled: 0, overran: 0 };
  const sweepNow = async () => {
    const r = await sweep(deps, { ...options, sweepIntervalMs });
    // Refunds a provider left pending (or whose call timed out) are asked about until final.
    r.refundsSettled = await followPendingRefunds(deps);
    stats.sweeps += 1;
    stats.checks += r.payments.length;
    stats.deliveries += r.deliveries.length;
    stats.gaveUp += r.gaveUp.length;
    stats.paused += r.paused.length;
    stats.failed += r.failed;
    stats.stalled += r.stalled;
    return r;
  };
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) {
      // Its claims are safe (they expire); counted so a reconciler that cannot keep up is seen.
      stats.overran += 1;
      log().warn({ sweepIntervalMs, overran: stats.overran }, "previous sweep still running: this one skipped");
      return;
    }
    running = sweepNow()
      .catch(onError)
      .finally(() => (running = null));
  }, sweepIntervalMs);
  timer.unref?.();
  return {
    sweepNow,
    stats: () => ({ ...stats }),
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
