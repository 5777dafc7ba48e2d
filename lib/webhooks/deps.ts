import "server-only";
import { getDatabase } from "@/db";
import { env } from "@/lib/env";
import type { WebhookDeps } from "./deliver";
import type { UrlPolicy } from "./url-guard";

/** Sandbox endpoints on loopback: outside production, or where the environment allows it (the e2e suite). */
export function webhookUrlPolicy(): UrlPolicy {
  const e = env();
  return { allowLoopback: e.NODE_ENV !== "production" || e.WEBHOOK_LOOPBACK_TARGETS === true };
}

export async function webhookDeps(): Promise<WebhookDeps> {
  const e = env();
  const { db } = await getDatabase();
  return { db, encryptionKey: e.CAISSE_ENCRYPTION_KEY, url: webhookUrlPolicy(), appUrl: e.APP_URL };
}
