import { eq } from "drizzle-orm";
import { afterAll, beforeAll } from "vitest";
import type { Database } from "@/db/client";
import * as s from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { TEST_ENCRYPTION_KEY } from "./databases";

/**
 * For the suites that make queries fail on purpose and check that no parameter leaks from the
 * error (db/query-errors.test.ts: the error itself; lib/log.integration.test.ts: the log line).
 * The parameters are personal data a failing query would otherwise quote.
 */
export const PHONE = "+2250707123456";
export const EMAIL = "awa.secret@example.test";

export async function failure(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("the query was expected to fail");
}

/** The seeded demo merchant's database, and an order row that carries PHONE and EMAIL. */
export function useDemoMerchant(open: () => Promise<Database>) {
  const world = { database: undefined as unknown as Database, merchantId: "" };
  beforeAll(async () => {
    world.database = await open();
    await seedDemo(world.database.db, { encryptionKey: TEST_ENCRYPTION_KEY, orders: 0 });
    world.merchantId = (await world.database.db.select({ id: s.merchants.id }).from(s.merchants).where(eq(s.merchants.slug, "demo")))[0]!.id;
  });
  afterAll(async () => {
    await world.database?.close();
  });
  const order = (id: string, reference: string) => ({
    id, merchantId: world.merchantId, reference, amountMinor: 1000, currency: "XOF", customerName: "Awa Koné", customerEmail: EMAIL, customerPhone: PHONE, customerCountry: "CI",
  });
  return { world, order };
}
