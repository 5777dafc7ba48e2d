import type { Database } from "@/db/client";
import { pumpEvery, startBoss, type PumpedWorker } from "@/lib/jobs/boss";
import { errorMessage, logger } from "@/lib/log";
import { claimUnqueued, deliverMail, unclaim, type MailDeps } from "./queue";

export const MAIL_QUEUE = "mail-send";

export type MailWorkerOptions = {
  /** How often queued messages are handed to pg-boss (ms). */
  pumpIntervalMs?: number;
  /** First retry delay after a failed attempt (s); pg-boss doubles it (with jitter) each time. */
  retryDelaySeconds?: number;
  /** Attempts after the first; past them the job fails, and the pump asks again once pg-boss archived it. */
  retryLimit?: number;
  pollingIntervalSeconds?: number;
  onError?: (error: unknown) => void;
};

export type MailWorker = PumpedWorker;

const log = () => logger("mail");

/**
 * pg-boss on the app's own database (PostgreSQL's pool, or PGlite's single connection): every
 * instance works the queue and pumps messages into it; a job's id is its message's id, so two
 * pumps asking for the same message make one job.
 */
export async function startMailWorker(deps: MailDeps, database: Pick<Database, "jobsConnection">, options: MailWorkerOptions = {}): Promise<MailWorker> {
  const onError = options.onError ?? ((error: unknown) => log().error({ err: errorMessage(error) }, "mail queue error"));
  // A job out of retries leaves the job table an hour later; the pump then asks for its
  // message again (same id), so a long outage delays mail but never drops it.
  const boss = await startBoss(database, MAIL_QUEUE, { poolMax: 2, onError, archiveFailedAfterSeconds: 3600 });
  const retry = { retryLimit: options.retryLimit ?? 10, retryDelay: options.retryDelaySeconds ?? 30, retryBackoff: true, expireInSeconds: 120 };

  await boss.work<{ messageId: string }>(MAIL_QUEUE, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, batchSize: 1 }, async (jobs) => {
    for (const job of jobs) {
      try {
        await deliverMail(deps, job.data.messageId);
      } catch (error) {
        log().warn({ messageId: job.data.messageId, err: errorMessage(error) }, "delivery failed: retried later");
        throw error;
      }
    }
  });

  const pump = async () => {
    const ids = await claimUnqueued(deps.db);
    const asked: string[] = [];
    try {
      for (const id of ids) {
        await boss.send(MAIL_QUEUE, { messageId: id }, { id, ...retry });
        asked.push(id);
      }
    } finally {
      await unclaim(deps.db, ids.filter((id) => !asked.includes(id)));
    }
    return ids.length;
  };
  return pumpEvery(boss, pump, options.pumpIntervalMs ?? 3_000, onError);
}
