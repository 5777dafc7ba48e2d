import type { Database } from "@/db/client";
import { pumpEvery, startBoss, type PumpedWorker } from "@/lib/jobs/boss";
import { errorMessage, logger } from "@/lib/log";
import { attemptDelivery, claimDue, type WebhookDeps } from "./deliver";
import { pruneWebhookEvents } from "./retention";

export const WEBHOOK_QUEUE = "webhook-deliver";

export type WebhookWorkerOptions = {
  /** How often due deliveries are handed to pg-boss (ms). */
  pumpIntervalMs?: number;
  pollingIntervalSeconds?: number;
  /** Jobs one fetch loop takes at a time. */
  concurrency?: number;
  /** Fetch loops of this instance. */
  loops?: number;
  /** Attempts out at once in this process, whatever loop fetched them (concurrency × loops by default). */
  slots?: number;
  /** How often events past retention are deleted (ms). */
  pruneIntervalMs?: number;
  onError?: (error: unknown) => void;
};

export type WebhookWorker = PumpedWorker;

const log = () => logger("webhooks");

/**
 * pg-boss on the app's database, as for e-mail (lib/mail/worker.ts): the pump claims due
 * deliveries and asks pg-boss for one job per attempt; workers run them. The retry schedule is the
 * delivery row's (next_attempt_at), not pg-boss's: a job is one attempt and is never retried by
 * pg-boss, so a crash or a lost job only delays an attempt until its lease ends.
 */
export async function startWebhookWorker(deps: WebhookDeps, database: Pick<Database, "jobsConnection">, options: WebhookWorkerOptions = {}): Promise<WebhookWorker> {
  const onError = options.onError ?? ((error: unknown) => log().error({ err: errorMessage(error) }, "webhook queue error"));
  const boss = await startBoss(database, WEBHOOK_QUEUE, { poolMax: 3, onError });
  const leaseMs = deps.leaseMs ?? 60_000;
  const expireInSeconds = Math.max(1, Math.ceil(leaseMs / 1000));

  // Attempts run in a pool of slots, not batch by batch: pg-boss awaits a handler's whole batch,
  // so one endpoint hanging until its timeout held up every job fetched with it. A handler returns
  // once its jobs have started (a job is one attempt; the delivery row, not pg-boss, keeps the
  // truth), and waits for a free slot before starting each, so no more than `slots` are out.
  const batchSize = options.concurrency ?? 10;
  const pool = slotPool(options.slots ?? batchSize * (options.loops ?? 4));
  const running = new Set<Promise<void>>();
  // Set once the pump exists below; a job left from an earlier process may finish before that.
  let pumpSoon = () => {};
  const attempt = async ({ deliveryId, attempt: n }: { deliveryId: string; attempt: number }) => {
    try {
      const outcome = await attemptDelivery(deps, deliveryId, n);
      if (outcome === "failed") log().warn({ deliveryId }, "delivery failed: retries exhausted");
    } catch (error) {
      // The lease brings the delivery back; pg-boss need not retry this job.
      log().warn({ deliveryId, err: errorMessage(error) }, "attempt errored: due again after its lease");
    } finally {
      pool.release();
      // A store at its share gets its next deliveries as soon as one of its own is done, not at the next tick.
      pumpSoon();
    }
  };
  const loops: string[] = [];
  for (let i = 0; i < (options.loops ?? 4); i++) {
    const id: string = await boss.work<{ deliveryId: string; attempt: number }>(WEBHOOK_QUEUE, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1, batchSize }, async (jobs) => {
      for (const job of jobs) {
        await pool.acquire();
        const run = attempt(job.data).finally(() => running.delete(run));
        running.add(run);
      }
      // A full batch: more may be waiting, fetch again at once rather than after the polling interval.
      if (jobs.length === batchSize) boss.notifyWorker(id);
    });
    loops.push(id);
  }

  // Retention runs beside the pump, never in its way (a long sweep must not hold up deliveries).
  const pruneEvery = options.pruneIntervalMs ?? 3600e3;
  let prunedAt = 0;
  let pruning: Promise<void> | null = null;
  const pump = async () => {
    if (!pruning && Date.now() - prunedAt >= pruneEvery) {
      prunedAt = Date.now();
      pruning = pruneWebhookEvents(deps.db)
        .then((pruned) => void (pruned && log().info({ pruned }, "events past retention deleted")))
        .catch(onError)
        .finally(() => (pruning = null));
    }
    const due = await claimDue(deps.db, leaseMs);
    for (const job of due) await boss.send(WEBHOOK_QUEUE, job, { retryLimit: 0, expireInSeconds });
    if (due.length) for (const id of loops) boss.notifyWorker(id);
    return due.length;
  };
  const worker = pumpEvery(boss, pump, options.pumpIntervalMs ?? 1_000, onError);
  pumpSoon = () => void worker.pump().catch(onError);
  return {
    ...worker,
    stop: async () => {
      await worker.stop();
      await Promise.allSettled([...running, pruning]);
    },
  };
}

/** `size` slots: acquire waits for a free one, release hands it to the next waiting, first come first served. */
function slotPool(size: number) {
  let free = size;
  const waiting: (() => void)[] = [];
  return {
    acquire: (): Promise<void> => {
      if (free > 0) {
        free--;
        return Promise.resolve();
      }
      return new Promise((resolve) => waiting.push(resolve));
    },
    release: () => {
      const next = waiting.shift();
      if (next) next();
      else free++;
    },
  };
}
