/**
 * The rows a raw `db.execute(sql…)` returned: postgres.js answers with the row array itself,
 * PGlite with a result object that holds them in `rows`. Typed by the caller, who wrote the query.
 */
export function rowsOf<T = Record<string, unknown>>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as T[];
}
