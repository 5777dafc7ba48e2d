import { sql, type SQLWrapper } from "drizzle-orm";
import type { Db } from "./client";

/**
 * Runs independent writes (inserts and updates built with drizzle, none reading another's rows)
 * as one statement: `with w0 as (…), w1 as (…) select 1`. One round trip instead of one per
 * write plus BEGIN/COMMIT, and atomic all the same: a statement commits whole or not at all.
 * Foreign keys are checked at the end of the statement, so a child row may sit beside its parent.
 * Two writes must not touch the same row (PostgreSQL leaves the outcome unspecified).
 */
export async function writeTogether(db: Db, writes: SQLWrapper[]): Promise<void> {
  if (writes.length === 0) return;
  const ctes = writes.map((write, i) => sql`${sql.identifier(`w${i}`)} as (${write.getSQL()})`);
  await db.execute(sql`with ${sql.join(ctes, sql`, `)} select 1`);
}
