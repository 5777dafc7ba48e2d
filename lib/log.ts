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

/** An error's message only: stack traces and driver objects can carry query parameters. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
