import PgBoss from "pg-boss";
import type { Database } from "@/db/client";

/**
 * pg-boss on the app's own database (PostgreSQL's pool, or PGlite's single connection), started,
 * with `queue` made. Every background worker (mail, webhooks) starts its own this way.
 */
export async function startBoss(
  database: Pick<Database, "jobsConnection">,
  queue: string,
  options: { poolMax: number; onError: (error: unknown) => void; archiveFailedAfterSeconds?: number },
): Promise<PgBoss> {
  const connection = database.jobsConnection;
  const boss = new PgBoss({
    ...("connectionString" in connection
      ? { connectionString: connection.connectionString, max: options.poolMax }
      : { db: { executeSql: (text: string, values: unknown[]) => connection.db.executeSql(text, values) } }),
    schema: "pgboss",
    supervise: true,
    schedule: false,
    ...(options.archiveFailedAfterSeconds === undefined ? {} : { archiveFailedAfterSeconds: options.archiveFailedAfterSeconds }),
  });
  boss.on("error", options.onError);
  await boss.start();
  await ensureQueue(boss, queue);
  return boss;
}

/**
 * Creates the queue once. Instances starting together race on pg-boss's DDL (PostgreSQL may
 * report a deadlock and abort one of them): the loser finds the queue the winner made.
 */
async function ensureQueue(boss: PgBoss, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    if (await boss.getQueue(name)) return;
    try {
      await boss.createQueue(name, { name, policy: "standard" });
      return;
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt + Math.random() * 100));
    }
  }
}

/** A background worker as the app holds it: its pump (callable at once) and how to stop it. */
export type PumpedWorker = { pump: () => Promise<number>; stop: () => Promise<void> };

/**
 * Runs `pump` every `intervalMs` (never two at once; errors to `onError`) beside `boss`'s
 * workers; stopping clears the timer, then lets the jobs in hand finish.
 */
export function pumpEvery(boss: PgBoss, pump: () => Promise<number>, intervalMs: number, onError: (error: unknown) => void): PumpedWorker {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    pump()
      .catch(onError)
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref?.();
  return {
    pump,
    stop: async () => {
      clearInterval(timer);
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}
