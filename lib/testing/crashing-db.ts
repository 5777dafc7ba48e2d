import type { PGlite } from "@electric-sql/pglite";
import type { Logger } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import type { Sql } from "postgres";
import type { Database, Db } from "@/db/client";
import * as schema from "@/db/schema";

/** What the process was doing when it died: thrown by every statement after the last one it ran. */
export class ProcessDied extends Error {
  constructor(readonly afterStatements: number) {
    super(`process died after ${afterStatements} statement(s)`);
  }
}

export type CrashingDb = { db: Db; died: () => boolean; statements: () => number };

/**
 * The same database, through a connection that runs `afterStatements` statements and then
 * refuses every further one, as a process killed between two statements would never send them.
 * Handed to one piece of work (a notification's handling, a check, a sweep, a refund), it stops
 * that work between any two of its statements: a transaction it had open rolls back, and whatever
 * it had committed stays. Other work keeps using the healthy connection.
 */
export function crashingDb(database: Database, afterStatements: number): CrashingDb {
  let sent = 0;
  let died = false;
  // drizzle hands every statement to its logger just before sending it, transactions included.
  const logger: Logger = {
    logQuery() {
      if (sent >= afterStatements) {
        died = true;
        throw new ProcessDied(afterStatements);
      }
      sent += 1;
    },
  };
  const client = (database.db as unknown as { $client: unknown }).$client;
  const db =
    database.driver === "pglite"
      ? drizzlePglite(client as PGlite, { schema, casing: "snake_case", logger })
      : drizzlePostgres(client as Sql, { schema, casing: "snake_case", logger });
  return { db: db as unknown as Db, died: () => died, statements: () => sent };
}
