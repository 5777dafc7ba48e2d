import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId, newPaymentReference } from "@/lib/ids";
import { TEST_DATABASES } from "@/lib/testing/databases";
import type { Database, Db } from "./client";
import * as s from "./schema";

async function makeOrder(db: Db) {
  const merchantId = newId("mer");
  await db.insert(s.merchants).values({ id: merchantId, slug: `m-${merchantId.slice(4, 12).toLowerCase()}`, name: "Test", country: "CI", currency: "XOF" });
  const orderId = newId("ord");
  await db.insert(s.orders).values({ id: orderId, merchantId, reference: "T-1", amountMinor: 5000, currency: "XOF", customerName: "A", customerCountry: "CI" });
  return { merchantId, orderId };
}

function payment(ids: { merchantId: string; orderId: string }, status: (typeof s.paymentStatus.enumValues)[number], reference = newPaymentReference()) {
  return { id: newId("pay"), ...ids, provider: "cinetpay" as const, method: "orange_money", reference, amountMinor: 5000, currency: "XOF", status };
}

/** drizzle wraps driver errors; the PostgreSQL error code is on the cause. */
async function pgError(promise: Promise<unknown>): Promise<{ code?: string; constraint?: string; constraint_name?: string }> {
  try {
    await promise;
  } catch (error) {
    return ((error as { cause?: object }).cause ?? error) as never;
  }
  throw new Error("expected the database to reject the statement");
}

describe.each(TEST_DATABASES)("database rules on $name", ({ open }) => {
  let database: Database;
  beforeAll(async () => {
    database = await open();
  });
  afterAll(() => database.close());

  it("rejects a duplicate payment reference", async () => {
    const ids = await makeOrder(database.db);
    const reference = newPaymentReference();
    await database.db.insert(s.payments).values(payment(ids, "failed", reference));
    const other = await makeOrder(database.db);
    const error = await pgError(database.db.insert(s.payments).values(payment(other, "created", reference)));
    expect(error.code).toBe("23505");
    expect(error.constraint ?? error.constraint_name).toBe("payments_reference_key");
  });

  it("rejects a second paid payment for one order, at insert and at update", async () => {
    const ids = await makeOrder(database.db);
    await database.db.insert(s.payments).values(payment(ids, "paid"));
    const inserted = await pgError(database.db.insert(s.payments).values(payment(ids, "paid")));
    expect(inserted.code).toBe("23505");
    expect(inserted.constraint ?? inserted.constraint_name).toBe("payments_one_collected_per_order");

    const retry = payment(ids, "failed");
    await database.db.insert(s.payments).values(retry); // failed attempts beside a paid one are fine
    const updated = await pgError(database.db.update(s.payments).set({ status: "refunded" }).where(eq(s.payments.id, retry.id)));
    expect(updated.code).toBe("23505");
    const rows = await database.db.select().from(s.payments).where(eq(s.payments.orderId, ids.orderId));
    expect(rows.filter((p) => p.status === "paid")).toHaveLength(1);
  });

  it("rejects references providers cannot carry and non-positive amounts", async () => {
    const ids = await makeOrder(database.db);
    expect((await pgError(database.db.insert(s.payments).values(payment(ids, "created", "CS-WITH-DASHES")))).code).toBe("23514");
    expect((await pgError(database.db.insert(s.payments).values(payment(ids, "created", "A".repeat(31))))).code).toMatch(/22001|23514/);
    expect((await pgError(database.db.insert(s.payments).values({ ...payment(ids, "created"), amountMinor: 0 }))).code).toBe("23514");
  });

  it("deduplicates notifications on (provider, dedupe key)", async () => {
    const row = { provider: "orange-money" as const, dedupeKey: "notif-1", body: "{}" };
    await database.db.insert(s.notifications).values({ id: newId("ntf"), ...row });
    const again = await database.db.insert(s.notifications).values({ id: newId("ntf"), ...row }).onConflictDoNothing().returning();
    expect(again).toHaveLength(0);
    expect((await pgError(database.db.insert(s.notifications).values({ id: newId("ntf"), ...row }))).code).toBe("23505");
  });
});
