import { and, asc, eq, inArray, isNull, lte, sql } from "drizzle-orm";
import PgBoss from "pg-boss";
import type { Database } from "@/db/client";
import { notifications, payments } from "@/db/schema";
import type { PaymentDeps } from "./accounts";
import { getProvider } from "./registry";
import { processDelivery } from "./notifications";
import { refreshPayment } from "./refresh";
import { PROVIDER_IDS, type ProviderId } from "./types";
import { errorMessage, logger } from "@/lib/log";

/**
 * Reconciliation: every undecided payment is asked about again on its schedule (exponential
 * backoff, see nextCheckDelayMs), within each provider's rate budget; deliveries whose status
 * check failed are retried. Safe with N app instances on one PostgreSQL: a sweep *claims* due
 * payments with UPDATE … FOR UPDATE SKIP LOCKED (pushing their next check out by a lease), so
 * two instances never pick the same payment, and pg-boss runs each recheck job exactly once.
 */

export const QUEUES = { recheck: "payments-recheck", retryDelivery: "notifications-retry" } as const;

/** How long a claimed payment is hidden from other sweeps while its recheck runs. */
const LEASE_MS = 60_000;
/** A recorded delivery not processed after this long is considered stuck and retried. */
const STUCK_DELIVERY_MS = 20_000;

export type SweepResult = { payments: string[]; deliveries: { id: string; paymentId: string }[] };

/** Claims what is due now. `sweepsPerMinute` divides each provider's per-minute budget. */
export async function claimDue(deps: PaymentDeps, sweepsPerMinute: number): Promise<SweepResult> {
  const at = deps.now?.() ?? new Date();
  const claimed: string[] = [];
  for (const provider of PROVIDER_IDS) {
    const budget = Math.max(1, Math.floor((getProvider(provider).capabilities.statusRatePerMinute ?? 60) / sweepsPerMinute));
    claimed.push(...(await claimProvider(deps, provider, at, budget)));
  }
  const stuck = await deps.db
    .select({ id: notifications.id, paymentId: notifications.paymentId })
    .from(notifications)
    .where(
      and(
        inArray(notifications.verdict, ["authenticated", "unverifiable"]),
        isNull(notifications.processedAt),
        lte(notifications.receivedAt, new Date(at.getTime() - STUCK_DELIVERY_MS)),
        lte(notifications.attempts, 50),
      ),
    )
    .orderBy(asc(notifications.receivedAt))
    .limit(100);
  return { payments: claimed, deliveries: stuck.filter((d): d is { id: string; paymentId: string } => d.paymentId !== null) };
}

async function claimProvider(deps: PaymentDeps, provider: ProviderId, at: Date, budget: number): Promise<string[]> {
  const due = deps.db
    .select({ id: payments.id })
    .from(payments)
    .where(
      and(
        eq(payments.provider, provider),
        inArray(payments.status, ["created", "pending", "waiting_for_customer"]),
        lte(payments.nextCheckAt, at),
      ),
    )
    .orderBy(asc(payments.nextCheckAt))
    .limit(budget)
    .for("update", { skipLocked: true });
  const rows = await deps.db
    .update(payments)
    .set({ nextCheckAt: new Date(at.getTime() + LEASE_MS) })
    .where(inArray(payments.id, sql`(${due})`))
    .returning({ id: payments.id });
  return rows.map((r) => r.id);
}

export async function recheck(deps: PaymentDeps, paymentId: string): Promise<void> {
  await refreshPayment(deps, paymentId, "reconciliation");
}

/**
 * Creates a queue once. Instances starting together race on pg-boss's DDL (PostgreSQL may report
 * a deadlock and abort one of them): the loser finds the queue made by the winner.
 */
async function ensureQueue(boss: PgBoss, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    if (await boss.getQueue(name)) return;
    try {
      // stately: at most one queued and one running job per payment, whatever the sweeps do.
      await boss.createQueue(name, { name, policy: "stately", retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: 120 });
      return;
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt + Math.random() * 100));
    }
  }
}

export type Reconciler = { stop: () => Promise<void>; sweepNow: () => Promise<SweepResult> };

/**
 * Starts pg-boss on the app's own connection (PGlite or PostgreSQL) and a sweep timer. Each
 * instance runs one; claims make them cooperate.
 */
export async function startReconciler(
  deps: PaymentDeps,
  database: Pick<Database, "jobsConnection">,
  options: { sweepIntervalMs?: number; pollingIntervalSeconds?: number; onError?: (error: unknown) => void } = {},
): Promise<Reconciler> {
  const sweepIntervalMs = options.sweepIntervalMs ?? 15_000;
  const onError = options.onError ?? ((error: unknown) => logger("reconcile").error({ err: errorMessage(error) }, "reconciliation error"));
  const connection = database.jobsConnection;
  const boss = new PgBoss({
    ...("connectionString" in connection
      ? { connectionString: connection.connectionString, max: 3 }
      : { db: { executeSql: (text: string, values: unknown[]) => connection.db.executeSql(text, values) } }),
    schema: "pgboss",
    supervise: true,
    schedule: false,
  });
  boss.on("error", onError);
  await boss.start();
  for (const name of Object.values(QUEUES)) await ensureQueue(boss, name);
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? 2;
  await boss.work<{ paymentId: string }>(QUEUES.recheck, { pollingIntervalSeconds, batchSize: 5 }, async (jobs) => {
    for (const job of jobs) await recheck(deps, job.data.paymentId);
  });
  await boss.work<{ notificationId: string; paymentId: string }>(QUEUES.retryDelivery, { pollingIntervalSeconds, batchSize: 5 }, async (jobs) => {
    for (const job of jobs) await processDelivery(deps, job.data.notificationId, job.data.paymentId);
  });

  const sweepsPerMinute = Math.max(1, Math.round(60_000 / sweepIntervalMs));
  const sweepNow = async () => {
    const due = await claimDue(deps, sweepsPerMinute);
    for (const paymentId of due.payments) await boss.send(QUEUES.recheck, { paymentId }, { singletonKey: paymentId });
    for (const d of due.deliveries) await boss.send(QUEUES.retryDelivery, { notificationId: d.id, paymentId: d.paymentId }, { singletonKey: d.id });
    return due;
  };
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweepNow()
      .catch(onError)
      .finally(() => (running = false));
  }, sweepIntervalMs);
  timer.unref?.();
  return {
    sweepNow,
    stop: async () => {
      clearInterval(timer);
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}
