import { DrizzleQueryError } from "drizzle-orm";
import { PgPreparedQuery } from "drizzle-orm/pg-core";

/**
 * A failed query, told by its SQLSTATE and the names of what it hit, never by the values it
 * carried. drizzle's own error says "Failed query: … params: …" and keeps the driver's error,
 * whose `detail` quotes rows ("Key (phone)=(+225…)"): whoever prints it (Next's uncaught-error
 * output, next-auth, pg-boss, our logger) would print phone numbers and tokens. Every query's
 * failure is turned into this before it leaves drizzle (installed by db/client.ts).
 */
export class QueryFailed extends Error {
  override name = "QueryFailed";
  /** SQLSTATE when the server answered (23505…), the driver's code otherwise (CONNECTION_ENDED…). */
  readonly code?: string;
  readonly constraint?: string;
  readonly table?: string;
  readonly column?: string;

  constructor(facts: { code?: string; constraint?: string; table?: string; column?: string; text: string }) {
    super(facts.text);
    for (const key of ["code", "constraint", "table", "column"] as const) if (facts[key]) Object.defineProperty(this, key, { value: facts[key], enumerable: true });
  }
}

type ServerError = Record<string, unknown> & { code: string };

/** The server's error in the chain (postgres.js and PGlite both keep it as drizzle's cause). */
function serverError(error: unknown, depth = 0): ServerError | null {
  if (typeof error !== "object" || error === null || depth > 3) return null;
  const e = error as Record<string, unknown>;
  if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code) && typeof e.severity === "string") return e as ServerError;
  return serverError(e.cause, depth + 1);
}

/** Whether a text repeats one of the values sent with the query. */
function quotes(text: string, params: readonly unknown[]): boolean {
  return params.some((p) => {
    const value = typeof p === "string" ? p : typeof p === "number" || typeof p === "bigint" ? String(p) : null;
    return value !== null && value.length >= 3 && text.includes(value);
  });
}

/**
 * What may be said of a database error: its code, the constraint, table and column it names,
 * and the server's sentence unless that can quote data (classes 22 and 23 name the refused value)
 * or repeats a parameter.
 */
export function describeDatabaseError(error: unknown, params: readonly unknown[] = []): QueryFailed | null {
  const e = serverError(error);
  if (!e) return null;
  const name = (...keys: string[]) => keys.map((k) => e[k]).find((v): v is string => typeof v === "string" && v !== "");
  const facts = { code: e.code, constraint: name("constraint", "constraint_name"), table: name("table", "table_name"), column: name("column", "column_name") };
  const parts = (["constraint", "table", "column"] as const).flatMap((label) => (facts[label] ? [`${label} ${facts[label]}`] : []));
  const sentence = typeof e.message === "string" && !/^2[23]/.test(e.code) && !quotes(e.message, params) ? `: ${e.message}` : "";
  return new QueryFailed({ ...facts, text: `database error ${e.code}${parts.length ? ` (${parts.join(", ")})` : ""}${sentence}` });
}

/** drizzle's error made safe to print; anything else is left as it is. */
export function scrubQueryError(error: unknown): unknown {
  if (!(error instanceof DrizzleQueryError)) return error;
  const params = Array.isArray(error.params) ? error.params : [];
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  const scrubbed =
    describeDatabaseError(cause, params) ??
    // No answer from a server (connection lost, database closed): the driver's own words, unless they repeat a value.
    new QueryFailed({
      code: typeof cause?.code === "string" ? cause.code : undefined,
      text: typeof cause?.message === "string" && !quotes(cause.message, params) ? `database query failed: ${cause.message}` : "database query failed",
    });
  // Where the query was made, under the safe first line.
  const frames = (error.stack ?? "").split("\n").filter((line) => line.startsWith("    at "));
  scrubbed.stack = [`${scrubbed.name}: ${scrubbed.message}`, ...frames].join("\n");
  return scrubbed;
}

const INSTALLED = Symbol.for("caisse.queryErrorsScrubbed");

/**
 * Every drizzle query, on either driver, runs through PgPreparedQuery.queryWithCache, which is
 * where drizzle wraps a failure with its parameters: the one place to catch them all.
 */
export function scrubQueryErrors(): void {
  const proto = PgPreparedQuery.prototype as unknown as Record<PropertyKey, unknown> & { queryWithCache: (...args: unknown[]) => Promise<unknown> };
  if (proto[INSTALLED]) return;
  const original = proto.queryWithCache;
  proto.queryWithCache = async function (this: unknown, ...args: unknown[]) {
    try {
      return await original.apply(this, args);
    } catch (error) {
      throw scrubQueryError(error);
    }
  };
  proto[INSTALLED] = true;
}
