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
 * Runs `pump` every `intervalMs` beside `boss`'s workers, one pump at a time (errors to
 * `onError`); stopping clears the timer, then lets the jobs in hand finish. The `pump` it returns
 * may be called at once by anyone (a person's resend, an attempt that just freed its store's
 * share): asked while one runs, it answers with the one that starts right after, which sees what
 * the caller just wrote, and however many ask meanwhile share that one.
 */
export function pumpEvery(boss: PgBoss, pump: () => Promise<number>, intervalMs: number, onError: (error: unknown) => void): PumpedWorker {
  let current: Promise<number> | null = null;
  let next: Promise<number> | null = null;
  let stopped = false;
  const once = (): Promise<number> => {
    if (stopped) return Promise.resolve(0);
    if (!current) {
      current = pump().finally(() => (current = null));
      return current;
    }
    next ??= current
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        next = null;
        return once();
      });
    return next;
  };
  const timer = setInterval(() => {
    if (!current) once().catch(onError);
  }, intervalMs);
  timer.unref?.();
  return {
    pump: once,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}
