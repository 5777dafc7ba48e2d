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
  /** Jobs one fetch loop works at once. */
  concurrency?: number;
  /** Fetch loops of this instance (so concurrency × loops deliveries in flight at most). */
  loops?: number;
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

  // Several fetch loops, each a batch at a time: pg-boss awaits a whole batch, so one endpoint
  // hanging until its timeout holds up its own loop only. A loop that took a full batch, or one
  // the pump just fed, fetches again at once instead of sleeping out its polling interval.
  const batchSize = options.concurrency ?? 10;
  const loops: string[] = [];
  const work = async (jobs: { data: { deliveryId: string; attempt: number } }[], loop: () => string | undefined) => {
    await Promise.all(
      jobs.map(async (job) => {
        try {
          const outcome = await attemptDelivery(deps, job.data.deliveryId, job.data.attempt);
          if (outcome === "failed") log().warn({ deliveryId: job.data.deliveryId }, "delivery failed: retries exhausted");
        } catch (error) {
          // The lease brings the delivery back; pg-boss need not retry this job.
          log().warn({ deliveryId: job.data.deliveryId, err: errorMessage(error) }, "attempt errored: due again after its lease");
        }
      }),
    );
    const id = loop();
    if (jobs.length === batchSize && id) boss.notifyWorker(id);
  };
  for (let i = 0; i < (options.loops ?? 4); i++) {
    const id: string = await boss.work<{ deliveryId: string; attempt: number }>(
      WEBHOOK_QUEUE,
      { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1, batchSize },
      (jobs) => work(jobs, () => id),
    );
    loops.push(id);
  }

  const pruneEvery = options.pruneIntervalMs ?? 3600e3;
  let prunedAt = 0;
  const pump = async () => {
    if (Date.now() - prunedAt >= pruneEvery) {
      prunedAt = Date.now();
      const pruned = await pruneWebhookEvents(deps.db);
      if (pruned) log().info({ pruned }, "events past retention deleted");
    }
    const due = await claimDue(deps.db, leaseMs);
    for (const job of due) await boss.send(WEBHOOK_QUEUE, job, { retryLimit: 0, expireInSeconds });
    if (due.length) for (const id of loops) boss.notifyWorker(id);
    return due.length;
  };
  return pumpEvery(boss, pump, options.pumpIntervalMs ?? 1_000, onError);
}
