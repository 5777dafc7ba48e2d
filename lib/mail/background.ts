import "server-only";
import { getDatabase } from "@/db";
import { env } from "@/lib/env";
import { errorMessage, logger } from "@/lib/log";
import { mailDeps } from "./deps";
import { startMailWorker, type MailWorker } from "./worker";

const g = globalThis as unknown as { __caisseMail?: Promise<MailWorker | null> };

/** Started once per server process from instrumentation.ts (and kept across dev reloads). */
export function startMailBackground(): Promise<MailWorker | null> {
  g.__caisseMail ??= (async () => {
    const e = env();
    if (!e.SMTP_URL) logger("mail").info(e.NODE_ENV === "production" ? "SMTP_URL is not set: e-mail waits in the queue" : "SMTP_URL is not set: e-mail is kept for /dev/outbox");
    return startMailWorker(await mailDeps(), await getDatabase(), { retryDelaySeconds: e.MAIL_RETRY_DELAY_SECONDS });
  })().catch((error: unknown) => {
    logger("mail").error({ err: errorMessage(error) }, "could not start");
    g.__caisseMail = undefined;
    return null;
  });
  return g.__caisseMail;
}

/** Hands freshly queued messages to pg-boss now rather than at the next pump (a person waits for this one). */
export async function pumpMailSoon(): Promise<void> {
  const worker = await g.__caisseMail;
  worker?.pump().catch((error: unknown) => logger("mail").warn({ err: errorMessage(error) }, "pump failed: the timer tries again"));
}
