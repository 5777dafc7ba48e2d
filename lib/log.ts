import pino, { type Logger } from "pino";
import { describeDatabaseError, QueryFailed, scrubQueryError } from "@/db/query-errors";
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
 * database error is told by its SQLSTATE and the names of what it hit (db/query-errors.ts),
 * never by drizzle's "Failed query: … params: …" text, nor by the server's own sentence for data
 * and integrity errors, which can quote the offending value.
 */
export function errorMessage(error: unknown): string {
  const safe = scrubQueryError(error);
  if (safe instanceof QueryFailed) return safe.message;
  // A driver's error met outside drizzle (pg-boss's queries, a COPY stream).
  const database = describeDatabaseError(error);
  if (database) return database.message;
  return error instanceof Error ? error.message : String(error);
}
