import { sql, type Column, type SQL } from "drizzle-orm";

type Fields = Record<string, Column>;
type RowOf<F extends Fields> = { [K in keyof F]: F[K]["_"]["notNull"] extends true ? F[K]["_"]["data"] : F[K]["_"]["data"] | null };

/**
 * A child table's rows as one column of the parent's own select (a correlated jsonb_agg), so that
 * parent and children come from one statement, as of one moment: two statements side by side can
 * straddle a commit that changes both (lib/orders/public.ts). Each value is read back through its
 * column's own mapping, so dates are Dates and bigints numbers, as a plain select gives them.
 */
export function nestedRows<F extends Fields>(fields: F, from: SQL, orderBy: SQL) {
  const entries = Object.entries(fields);
  const object = sql.join(
    entries.map(([key, column]) => sql`${key}::text, ${column}`),
    sql`, `,
  );
  return {
    column: sql<Record<string, unknown>[]>`coalesce((select jsonb_agg(jsonb_build_object(${object}) order by ${orderBy}) ${from}), '[]'::jsonb)`,
    read: (rows: Record<string, unknown>[]): RowOf<F>[] =>
      rows.map((row) => Object.fromEntries(entries.map(([key, column]) => [key, row[key] === null || row[key] === undefined ? null : column.mapFromDriverValue(row[key])])) as RowOf<F>),
  };
}
