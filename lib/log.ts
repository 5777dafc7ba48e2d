import pino, { type Logger } from "pino";
import { env } from "@/lib/env";

/**
 * Structured logs, one child per area ("webhook:cinetpay", "reconcile"…). Anything that looks
 * like a secret, a token or a phone number is censored by path before it is written.
 */
export const REDACT_PATHS = [
  "*.apiKey", "*.apikey", "*.secretKey", "*.secret", "*.privateKey", "*.clientSecret", "*.securityKey", "*.password",
  "*.token", "*.notif_token", "*.pay_token", "*.authorization", "*.headers.authorization", "*.headers['x-token']",
  "*.headers['x-kkiapay-secret']", "*.phone", "*.msisdn", "*.customerPhone",
];

let root: Logger | undefined;

export function logger(area: string): Logger {
  root ??= pino({ level: env().LOG_LEVEL, base: undefined, redact: { paths: REDACT_PATHS, censor: "[redacted]" } });
  return root.child({ area });
}

/**
 * An error's message only: stack traces and driver objects can carry query parameters. A
 * database error is told by its SQLSTATE and the names of what it hit (constraint, table,
 * column), never by drizzle's "Failed query: … params: …" text, nor by the server's own
 * sentence for data and integrity errors, which can quote the offending value.
 */
export function errorMessage(error: unknown): string {
  const database = databaseError(error);
  if (database) return database;
  if (isFailedQuery(error)) {
    // Not an answer from the server (connection lost, pool closed): its message has no values.
    const cause = (error as Error).cause;
    return cause === undefined ? "database query failed" : `database query failed: ${errorMessage(cause)}`;
  }
  return error instanceof Error ? error.message : String(error);
}

type ServerError = Record<string, unknown> & { code: string };

/** The server's error in the chain (postgres.js and PGlite both keep it as drizzle's cause). */
function serverError(error: unknown, depth = 0): ServerError | null {
  if (typeof error !== "object" || error === null || depth > 3) return null;
  const e = error as Record<string, unknown>;
  if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code) && typeof e.severity === "string") return e as ServerError;
  return serverError(e.cause, depth + 1);
}

function databaseError(error: unknown): string | null {
  const e = serverError(error);
  if (!e) return null;
  const name = (...keys: string[]) => keys.map((k) => e[k]).find((v): v is string => typeof v === "string" && v !== "");
  const parts = [
    ["constraint", name("constraint", "constraint_name")],
    ["table", name("table", "table_name")],
    ["column", name("column", "column_name")],
  ].flatMap(([label, value]) => (value ? [`${label} ${value}`] : []));
  // Classes 22 (data exception) and 23 (integrity violation) name the value they refused.
  const quotesData = e.code.startsWith("22") || e.code.startsWith("23");
  const message = !quotesData && typeof e.message === "string" ? `: ${e.message}` : "";
  return `database error ${e.code}${parts.length ? ` (${parts.join(", ")})` : ""}${message}`;
}

function isFailedQuery(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith("Failed query: ") && "params" in error;
}
