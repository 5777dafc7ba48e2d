import { and, inArray, isNull, lt, or, sql } from "drizzle-orm";
import * as s from "@/db/schema";
import type { PaymentDeps } from "@/lib/payments/accounts";
import { LATE_CHECKED_STATUSES } from "@/lib/payments/late-checks";
import { MAX_DELIVERY_ATTEMPTS, sweep, type SweepResult } from "@/lib/payments/reconcile";
import { followPendingRefunds } from "@/lib/payments/refunds";
import { STEP_MS, type ScheduleWorld } from "./world";

/**
 * What one tick of an app instance's reconciler does (startReconciler's sweepNow): a sweep, then
 * pending refunds. Given the world, the sweep's provider calls are recorded (world.sweepCalls).
 */
export async function reconcileOnce(deps: PaymentDeps, world?: ScheduleWorld): Promise<SweepResult & { refundsSettled: number }> {
  const result = world ? await world.sweeping(() => sweep(deps)) : await sweep(deps);
  return { ...result, refundsSettled: await followPendingRefunds(deps) };
}

/**
 * Past every provider's window (iPay's 60 minutes is the longest) plus its grace, the longest
 * backoff between checks (30 minutes), and the late check 10 minutes after a window: any payment
 * still undecided then has been left behind.
 */
export const HORIZON_MS = 3 * 3_600_000;

/** The real reconciler sweeps every 15 s: after a sweep that could do nothing, that is when the next one comes. */
const SWEEP_INTERVAL_MS = 15_000;
const MAX_SWEEPS = 200;

/**
 * Runs the reconciler through the hours after the schedule. Nobody acts any more, so the
 * providers' answers only change when a window closes: the clock jumps to the next moment work on
 * the schedule's rows falls due, but each jump is at least four times the previous one (15 s,
 * 1 min, 4, 16, 64 minutes), as a reconciler that fell behind would sweep. A few sweeps then reach
 * the horizon instead of one per backoff step of every payment. Returns the number of sweeps, or
 * null when work was still falling due after MAX_SWEEPS of them.
 */
export async function runToHorizon(world: ScheduleWorld, paymentIds: string[]): Promise<number | null> {
  const end = world.clock.at + HORIZON_MS;
  let gap = SWEEP_INTERVAL_MS;
  let last = world.clock.at;
  for (let sweeps = 0; sweeps < MAX_SWEEPS; sweeps++) {
    const due = await nextDue(world, paymentIds);
    if (due === null || due > end) {
      world.clock.at = end;
      return sweeps;
    }
    world.clock.at = Math.max(world.clock.at + STEP_MS, due, last + gap);
    last = world.clock.at;
    gap *= 4;
    // Due work a sweep leaves undone (an account paused by a 429, its minute's budget spent) is due again at the next one.
    await reconcileOnce(world.deps(), world);
  }
  return null;
}

/** When the next piece of reconciliation work on these payments falls due (reconcile-claims.ts and followPendingRefunds say what is due). */
async function nextDue(world: ScheduleWorld, paymentIds: string[]): Promise<number | null> {
  if (paymentIds.length === 0) return null;
  const db = world.database.db;
  const min = (rows: { at: Date | string | null }[]) => (rows[0]?.at ? new Date(rows[0].at).getTime() : null);
  // An undecided payment with no check scheduled is due at once (reconcile-claims.ts claims it).
  const now = new Date(world.clock.at).toISOString();
  const checks = await db
    .select({ at: sql<string | null>`min(coalesce(${s.payments.nextCheckAt}, ${now}::timestamptz))` })
    .from(s.payments)
    .where(
      and(
        inArray(s.payments.id, paymentIds),
        or(inArray(s.payments.status, [...s.UNDECIDED_STATUSES]), and(inArray(s.payments.status, [...LATE_CHECKED_STATUSES]), sql`${s.payments.nextCheckAt} is not null`)),
      ),
    );
  const deliveries = await db
    .select({ at: sql<string | null>`min(coalesce(${s.notifications.nextAttemptAt}, ${s.notifications.receivedAt} + interval '20 seconds'))` })
    .from(s.notifications)
    .where(and(inArray(s.notifications.paymentId, paymentIds), isNull(s.notifications.processedAt), inArray(s.notifications.verdict, ["authenticated", "unverifiable"]), lt(s.notifications.attempts, MAX_DELIVERY_ATTEMPTS)));
  const refunds = await db
    .select({ at: sql<string | null>`min(${s.refunds.nextCheckAt})` })
    .from(s.refunds)
    .where(and(inArray(s.refunds.paymentId, paymentIds), sql`${s.refunds.status} = 'pending' and ${s.refunds.kind} = 'api'`));
  const times = [min(checks), min(deliveries), min(refunds)].filter((t): t is number => t !== null);
  return times.length ? Math.min(...times) : null;
}
