import { and, eq, sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { z } from "zod";
import type { Db } from "@/db/client";
import { recordId } from "@/lib/validation";
import { invalid } from "./errors";

/** `limit` (1–100, 10 by default) and `starting_after` (the id of the last object of the page before). */
export const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(10).describe("How many objects per page, 1 to 100."),
  starting_after: recordId.optional().describe("The id of the last object of the page before: the page starts after it."),
});

export type ListQuery = z.infer<typeof listQuery>;

type Keyed = PgTable & { id: PgColumn; createdAt: PgColumn };

/**
 * A page of `table` newest first, in keyset order (created_at, id) over an index that starts with
 * the scope's columns. The cursor's position is read by the database itself, within the same
 * scope: a timestamp through JavaScript would lose its microseconds, and another store's id is
 * "no such object", like an unknown one.
 */
export async function keysetPage<T extends Keyed, R>(
  db: Db,
  table: T,
  scope: SQL,
  query: ListQuery,
  select: (where: SQL, limit: number) => Promise<R[]>,
): Promise<{ object: "list"; data: R[]; has_more: boolean }> {
  let where = scope;
  if (query.starting_after) {
    const [cursor] = await db.select({ id: table.id }).from(table as PgTable).where(and(scope, eq(table.id, query.starting_after)));
    if (!cursor) throw invalid("resource_missing", "starting_after names no object of this list.", "starting_after");
    where = and(
      scope,
      sql`(${table.createdAt}, ${table.id}) < (select ${table.createdAt}, ${table.id} from ${table} where ${table.id} = ${query.starting_after})`,
    )!;
  }
  const rows = await select(where, query.limit + 1);
  return { object: "list", data: rows.slice(0, query.limit), has_more: rows.length > query.limit };
}
