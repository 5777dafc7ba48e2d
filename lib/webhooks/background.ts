import "server-only";
import { getDatabase } from "@/db";
import { errorMessage, logger } from "@/lib/log";
import { webhookDeps } from "./deps";
import { startWebhookWorker, type WebhookWorker } from "./worker";

const g = globalThis as unknown as { __caisseWebhooks?: Promise<WebhookWorker | null> };

/** Started once per server process from instrumentation.ts (and kept across dev reloads). */
export function startWebhookBackground(): Promise<WebhookWorker | null> {
  g.__caisseWebhooks ??= (async () => startWebhookWorker(await webhookDeps(), await getDatabase()))().catch((error: unknown) => {
    logger("webhooks").error({ err: errorMessage(error) }, "could not start");
    g.__caisseWebhooks = undefined;
    return null;
  });
  return g.__caisseWebhooks;
}

/** Hands a delivery a person just asked for (a test event, a resend) to pg-boss now rather than at the next pump. */
export async function pumpWebhooksSoon(): Promise<void> {
  const worker = await g.__caisseWebhooks;
  worker?.pump().catch((error: unknown) => logger("webhooks").warn({ err: errorMessage(error) }, "pump failed: the timer tries again"));
}
