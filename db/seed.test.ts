import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import type { Database } from "./client";
import * as s from "./schema";
import { seedCounts, seedDemo } from "./seed";

describe.each(TEST_DATABASES)("seed on $name", ({ open }) => {
  let database: Database;
  beforeAll(async () => {
    database = await open();
  });
  afterAll(() => database.close());

  it("creates both demo merchants with a history, and running it again changes nothing", async () => {
    const now = new Date("2026-11-20T12:00:00Z");
    await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY, now });
    const first = await seedCounts(database.db);
    expect(first).toMatchObject({ merchants: 2, users: 3, members: 3, providerAccounts: 8, orders: 400 });
    expect(first.payments).toBeGreaterThanOrEqual(400);
    expect(first.paymentEvents).toBeGreaterThan(first.payments);

    await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY, now });
    expect(await seedCounts(database.db)).toEqual(first);
  });

  it("spreads the history over statuses, providers and settlement dates", async () => {
    const [demo] = await database.db.select().from(s.merchants).where(eq(s.merchants.slug, "demo"));
    const rows = await database.db.select().from(s.payments).where(eq(s.payments.merchantId, demo!.id));
    const statuses = new Set(rows.map((p) => p.status));
    for (const status of ["paid", "failed", "cancelled", "expired", "pending", "waiting_for_customer", "refunded"] as const) {
      expect(statuses).toContain(status);
    }
    expect(new Set(rows.map((p) => p.provider))).toEqual(new Set(["cinetpay", "orange-money", "kkiapay"]));
    const paid = rows.filter((p) => p.status === "paid");
    for (const p of paid) {
      expect(p.settlementDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(p.netMinor).toBe(p.amountMinor - (p.feeReportedMinor ?? p.feeEstimatedMinor ?? 0));
    }
    // Amounts in XOF are whole francs, and CinetPay's multiple-of-5 rule holds for its payments.
    expect(rows.filter((p) => p.provider === "cinetpay").every((p) => p.amountMinor % 5 === 0)).toBe(true);
  });
});
