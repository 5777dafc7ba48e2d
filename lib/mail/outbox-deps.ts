import "server-only";
import { getDb } from "@/db";
import { env } from "@/lib/env";
import type { OutboxDeps } from "./routes";

/** The outbox's database and key in development; null in production, where the page does not exist. */
export async function outboxDeps(): Promise<OutboxDeps | null> {
  const e = env();
  if (e.NODE_ENV === "production") return null;
  return { db: await getDb(), encryptionKey: e.CAISSE_ENCRYPTION_KEY };
}
