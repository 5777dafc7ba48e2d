import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "@/db/client";
import * as s from "@/db/schema";
import { newId, newPaymentReference } from "@/lib/ids";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { applyTransition, canTransition, isFinal } from "./transitions";
import type { PaymentStatus } from "./types";

async function makePayment(db: Db, status: PaymentStatus = "pending", orderId?: string) {
  let merchantId: string;
  if (!orderId) {
    merchantId = newId("mer");
    await db.insert(s.merchants).values({ id: merchantId, slug: `t-${merchantId.slice(4, 14).toLowerCase()}`, name: "T", country: "CI", currency: "XOF" });
    orderId = newId("ord");
    await db.insert(s.orders).values({ id: orderId, merchantId, reference: "R1", amountMinor: 5000, currency: "XOF", customerName: "A", customerCountry: "CI" });
  } else {
    const [o] = await db.select().from(s.orders).where(eq(s.orders.id, orderId));
    merchantId = o!.merchantId;
  }
  const id = newId("pay");
  await db.insert(s.payments).values({ id, orderId, merchantId, provider: "cinetpay", method: "mtn", reference: newPaymentReference(), amountMinor: 5000, currency: "XOF", status });
  return { id, orderId, merchantId };
}

describe("status graph", () => {
  it("never leaves a final status except paid → refunds, and money confirmed late → paid", () => {
    const all: PaymentStatus[] = ["created", "pending", "waiting_for_customer", "paid", "failed", "cancelled", "expired", "partially_refunded", "refunded"];
    for (const from of all.filter(isFinal)) {
      for (const to of all) {
        const allowed =
          (from === "paid" && (to === "refunded" || to === "partially_refunded")) ||
          (from === "partially_refunded" && (to === "refunded" || to === "partially_refunded")) ||
          (["failed", "cancelled", "expired"].includes(from) && to === "paid");
        expect(canTransition(from, to), `${from} → ${to}`).toBe(allowed);
      }
    }
  });

  it("treats waiting for the customer as undecided, never as a failure", () => {
    expect(isFinal("waiting_for_customer")).toBe(false);
    expect(canTransition("waiting_for_customer", "paid")).toBe(true);
    expect(canTransition("waiting_for_customer", "pending")).toBe(true);
    expect(canTransition("pending", "waiting_for_customer")).toBe(true);
  });
});

describe.each(TEST_DATABASES)("transitions on $name", ({ open }) => {
  let database: Database;
  beforeAll(async () => {
    database = await open();
  });
  afterAll(() => database.close());

  it("moves a payment, writes one event and marks the order paid", async () => {
    const p = await makePayment(database.db);
    const outcome = await applyTransition(database.db, { paymentId: p.id, to: "paid", actor: "test" });
    expect(outcome).toEqual({ applied: true, from: "pending", to: "paid" });
    const events = await database.db.select().from(s.paymentEvents).where(eq(s.paymentEvents.paymentId, p.id));
    expect(events.map((e) => [e.type, e.fromStatus, e.toStatus])).toEqual([["transition", "pending", "paid"]]);
    const [order] = await database.db.select().from(s.orders).where(eq(s.orders.id, p.orderId));
    expect(order!.status).toBe("paid");
    expect(order!.paidAt).toBeInstanceOf(Date);
  });

  it("ignores a late FAILED after paid", async () => {
    const p = await makePayment(database.db, "paid");
    const outcome = await applyTransition(database.db, { paymentId: p.id, to: "failed", actor: "test" });
    expect(outcome).toEqual({ applied: false, reason: "not_allowed", current: "paid" });
    const [row] = await database.db.select().from(s.payments).where(eq(s.payments.id, p.id));
    expect(row!.status).toBe("paid");
    expect(await database.db.$count(s.paymentEvents, eq(s.paymentEvents.paymentId, p.id))).toBe(0);
  });

  it("refuses to let a second payment collect the same order", async () => {
    const first = await makePayment(database.db, "pending");
    const second = await makePayment(database.db, "pending", first.orderId);
    expect((await applyTransition(database.db, { paymentId: first.id, to: "paid", actor: "test" })).applied).toBe(true);
    const outcome = await applyTransition(database.db, { paymentId: second.id, to: "paid", actor: "test" });
    expect(outcome).toEqual({ applied: false, reason: "order_already_paid", current: "pending" });
    expect(await database.db.$count(s.paymentEvents, eq(s.paymentEvents.paymentId, second.id))).toBe(0);
  });

  it("a late collection of an attempt whose exception was closed raises its new exception open (double payment, overpayment)", async () => {
    // The attempt was flagged, a person closed the case and it was cancelled; the shopper paid again.
    const closed = { flag: "amount_mismatch", flagResolvedAt: new Date(), flagResolution: "resolved", flagResolvedBy: null, flagNote: "paid again" };
    const first = await makePayment(database.db, "cancelled");
    await database.db.update(s.payments).set(closed).where(eq(s.payments.id, first.id));
    const retry = await makePayment(database.db, "pending", first.orderId);
    expect((await applyTransition(database.db, { paymentId: retry.id, to: "paid", actor: "test" })).applied).toBe(true);
    // The provider collects the first attempt after all: a second payment, money to give back.
    expect(await applyTransition(database.db, { paymentId: first.id, to: "paid", actor: "test" })).toMatchObject({ reason: "order_already_paid" });
    expect((await applyTransition(database.db, { paymentId: first.id, to: "paid", actor: "test", patch: { flag: "double_payment" } })).applied).toBe(true);
    const [double] = await database.db.select().from(s.payments).where(eq(s.payments.id, first.id));
    expect(double).toMatchObject({ status: "paid", flag: "double_payment", flagResolvedAt: null, flagResolution: null, flagNote: null });

    const over = await makePayment(database.db, "cancelled");
    await database.db.update(s.payments).set(closed).where(eq(s.payments.id, over.id));
    expect((await applyTransition(database.db, { paymentId: over.id, to: "paid", actor: "test", patch: { flag: "overpaid", paidAmountMinor: 6000 } })).applied).toBe(true);
    const [overpaid] = await database.db.select().from(s.payments).where(eq(s.payments.id, over.id));
    expect(overpaid).toMatchObject({ status: "paid", flag: "overpaid", flagResolvedAt: null, flagResolution: null, flagNote: null });
  });

  it("applies exactly one of 100 concurrent identical transitions", async () => {
    const p = await makePayment(database.db, "waiting_for_customer");
    const outcomes = await Promise.all(Array.from({ length: 100 }, () => applyTransition(database.db, { paymentId: p.id, to: "paid", actor: "race" })));
    expect(outcomes.filter((o) => o.applied)).toHaveLength(1);
    const events = await database.db.select().from(s.paymentEvents).where(eq(s.paymentEvents.paymentId, p.id));
    expect(events.filter((e) => e.toStatus === "paid")).toHaveLength(1);
  });
});
