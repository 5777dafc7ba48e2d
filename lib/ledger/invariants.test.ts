import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import * as s from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { newId } from "@/lib/ids";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { checkLedger, INVARIANTS } from "./invariants";
import { rowsOf } from "@/db/rows";

/**
 * The ledger check on the seeded demo history (it must hold), then each rule broken on purpose
 * in a transaction that is rolled back: every invariant finds exactly the row that breaks it.
 */
describe.each(TEST_DATABASES)("ledger:check on $name", ({ open }) => {
  let database: Database;
  beforeAll(async () => {
    database = await open();
    await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY, orders: 120 });
  });
  afterAll(() => database?.close());

  it("holds on the demo history", async () => {
    expect(await checkLedger(database.db)).toEqual([]);
  });

  const collected = async () => {
    const [p] = await database.db.select().from(s.payments).where(eq(s.payments.status, "paid")).limit(1);
    return p!;
  };

  /** Breaks the ledger inside a transaction, checks, and rolls back whatever happened. */
  async function brokenBy(breakIt: (db: Database["db"]) => Promise<unknown>): Promise<string[]> {
    const rollback = new Error("rollback");
    let names: string[] = [];
    await database.db
      .transaction(async (tx) => {
        await breakIt(tx as unknown as Database["db"]);
        // checkLedger opens its own transaction: run the same queries inside this one instead.
        for (const invariant of INVARIANTS) {
          const result = await tx.execute(invariant.query);
          const rows = rowsOf(result);
          if (rows.length) names.push(invariant.name);
        }
        throw rollback;
      })
      .catch((error: unknown) => {
        if (error !== rollback) throw error;
      });
    names = names.sort();
    return names;
  }

  it("finds a provider transaction that collected two payments", async () => {
    const p = await collected();
    const [other] = await database.db
      .select()
      .from(s.payments)
      .where(and(eq(s.payments.status, "paid"), eq(s.payments.provider, p.provider), sql`${s.payments.orderId} <> ${p.orderId}`))
      .limit(1);
    expect(await brokenBy(async (db) => {
      await db.execute(sql`drop index payments_one_collection_per_transaction`);
      await db.update(s.payments).set({ providerReference: p.providerReference }).where(eq(s.payments.id, other!.id));
    })).toEqual(["one_collection_per_transaction"]);
  });

  it("finds a collected payment without a provider answer for its amount", async () => {
    const p = await collected();
    expect(await brokenBy((db) => db.update(s.payments).set({ amountMinor: p.amountMinor + 5 }).where(eq(s.payments.id, p.id)))).toEqual(["paid_has_matching_provider_answer"]);
  });

  it("finds an undecided payment that nothing will check again", async () => {
    const [p] = await database.db.select().from(s.payments).where(eq(s.payments.status, "pending")).limit(1);
    expect(await brokenBy((db) => db.update(s.payments).set({ nextCheckAt: null }).where(eq(s.payments.id, p!.id)))).toEqual(["undecided_has_scheduled_check"]);
  });

  it("finds refunds beyond what was collected", async () => {
    const p = await collected();
    expect(await brokenBy(async (db) => {
      await db.execute(sql`alter table refunds disable trigger refunds_within_collected`);
      await db.insert(s.refunds).values({ id: newId("rfd"), paymentId: p.id, merchantId: p.merchantId, kind: "manual", status: "succeeded", amountMinor: p.amountMinor + 1, currency: p.currency });
    })).toEqual(["refunds_within_collected"]);
  });

  it("finds a status change without its transition event, and one recorded twice", async () => {
    const p = await collected();
    expect(await brokenBy((db) => db.update(s.payments).set({ status: "refunded" }).where(eq(s.payments.id, p.id)))).toEqual(["one_transition_event_per_status_change"]);
    expect(await brokenBy((db) => db.insert(s.paymentEvents).values({ paymentId: p.id, merchantId: p.merchantId, type: "transition", fromStatus: "pending", toStatus: "paid", actor: "test" }))).toEqual([
      "one_transition_event_per_status_change",
    ]);
  });

  it("finds an order paid by two payments", async () => {
    const p = await collected();
    const [other] = await database.db.select().from(s.payments).where(and(eq(s.payments.status, "paid"), sql`${s.payments.orderId} <> ${p.orderId}`)).limit(1);
    expect(await brokenBy(async (db) => {
      await db.execute(sql`drop index payments_one_collected_per_order`);
      await db.update(s.payments).set({ orderId: p.orderId }).where(eq(s.payments.id, other!.id));
    })).toEqual(["one_payment_pays_an_order"]);
  });
});
