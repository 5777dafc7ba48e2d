import { eq } from "drizzle-orm";
import type { Db } from "./client";
import * as s from "./schema";
import { hashApiKey } from "@/lib/api/keys";

/**
 * The sandbox key the README's `curl` uses against `npm run dev`. It is public, so it exists in
 * development only (db/open.ts), on the demo store, and sees sandbox payments only.
 */
export const DEV_API_KEY = "ck_test_DemoDevelopmentOnlyKeyNeverUsedInProduction";

export async function seedDevApiKey(db: Db): Promise<void> {
  const [demo] = await db.select({ id: s.merchants.id }).from(s.merchants).where(eq(s.merchants.slug, "demo"));
  if (!demo) return;
  await db
    .insert(s.apiKeys)
    .values({ id: "key_demoDevelopmentOnly0", merchantId: demo.id, mode: "sandbox", name: "README (development only)", keyHash: hashApiKey(DEV_API_KEY), lastFour: DEV_API_KEY.slice(-4) })
    .onConflictDoNothing();
}
