import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { payInWidget } from "@/lib/testing/kkiapay-widget";
import { eventsOf, eventually, newOrder, paymentRow, seededCredentials, statusOf } from "@/lib/testing/payments";
import { startPayment } from "../start";
import { uniqueViolation } from "../transitions";

const DEMO = seededCredentials("demo", "kkiapay");

/**
 * Issue 12 item 1: anyone holding the merchant's public key (it is in every checkout page) can
 * open KKiaPay's widget without our reference, pay once, and present that transaction id on the
 * return URL of as many unpaid orders of the same amount as they like.
 */
describe.each(TEST_DATABASES)("one provider transaction collects at most one payment, on $name", ({ open }) => {
  const world = usePaymentsWorld(open);

  async function kkiapayPayment() {
    const order = await newOrder(world.database, "demo", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "kkiapay", method: "mtn" });
    return { order, ...started, config: (started.action as { config: Record<string, unknown> }).config };
  }

  const returnWith = (p: { order: { id: string }; paymentId: string }, transactionId: string) =>
    fetch(`${world.app.url}/orders/${p.order.id}/return?p=${p.paymentId}&transaction_id=${encodeURIComponent(transactionId)}`, { redirect: "manual" });

  /** The attacker's own transaction: the widget opened from devtools with the public key and no `data`. */
  async function strayTransaction(amount: number) {
    const paid = await payInWidget(world.app.url, { amount, key: DEMO.publicKey, sandbox: true }, { outcome: "success" });
    expect(paid.transactionId).not.toBe("");
    return paid.transactionId;
  }

  it("a transaction without our reference pays one order at most, whatever return URLs it is shown on", async () => {
    const first = await kkiapayPayment();
    const second = await kkiapayPayment();
    expect(second.order.amountMinor).toBe(first.order.amountMinor);
    const transactionId = await strayTransaction(first.order.amountMinor);

    expect((await returnWith(first, transactionId)).status).toBe(303);
    expect((await returnWith(second, transactionId)).status).toBe(303);

    const rows = [await paymentRow(world.database, first.paymentId), await paymentRow(world.database, second.paymentId)];
    expect(rows.filter((r) => r.status === "paid")).toHaveLength(1);
    expect(rows.find((r) => r.status === "paid")!.providerReferenceRule).toBe("unclaimed_match");
    const refused = rows.find((r) => r.status !== "paid")!;
    expect(refused).toMatchObject({ status: "pending", providerReference: null });
    const flags = (await eventsOf(world.database, refused.id)).filter((e) => e.type === "flag").map((e) => e.data);
    expect(flags).toEqual([expect.objectContaining({ flag: "transaction_refused", reason: "bound_to_another_payment", providerReference: transactionId })]);
  });

  it("an unclaimed transaction performed before the payment existed is refused", async () => {
    const earlier = await kkiapayPayment();
    const transactionId = await strayTransaction(earlier.order.amountMinor);
    const later = await kkiapayPayment();
    expect(later.order.amountMinor).toBe(earlier.order.amountMinor);
    expect((await returnWith(later, transactionId)).status).toBe(303);
    expect(await paymentRow(world.database, later.paymentId)).toMatchObject({ status: "pending", providerReference: null });
    const reasons = (await eventsOf(world.database, later.paymentId)).filter((e) => e.type === "flag").map((e) => e.data.reason);
    expect(reasons).toEqual(["performed_before_payment"]);
  });

  it("an unclaimed transaction of another amount is refused", async () => {
    const p = await kkiapayPayment();
    const transactionId = await strayTransaction(p.order.amountMinor + 5);
    expect((await returnWith(p, transactionId)).status).toBe(303);
    expect(await paymentRow(world.database, p.paymentId)).toMatchObject({ status: "pending", providerReference: null });
    const reasons = (await eventsOf(world.database, p.paymentId)).filter((e) => e.type === "flag").map((e) => e.data.reason);
    expect(reasons).toEqual(["amount_or_currency_differs"]);
  });

  it("a transaction of the right amount but carrying another payment's reference is not ours", async () => {
    const victim = await kkiapayPayment();
    const thief = await kkiapayPayment();
    const paid = await payInWidget(world.app.url, { ...victim.config }, { outcome: "success", fault_dropNotification: "1" });
    expect((await returnWith(thief, paid.transactionId)).status).toBe(303);
    expect(await paymentRow(world.database, thief.paymentId)).toMatchObject({ status: "pending", providerReference: null });
    const reasons = (await eventsOf(world.database, thief.paymentId)).filter((e) => e.type === "flag").map((e) => e.data.reason);
    expect(reasons).toEqual(["carries_another_reference"]);
  });

  it("the widget's own transaction (our reference in it) binds by reference", async () => {
    const p = await kkiapayPayment();
    await payInWidget(world.app.url, p.config, { outcome: "success" });
    await eventually(statusOf(world.database, p.paymentId), (st) => st === "paid");
    expect((await paymentRow(world.database, p.paymentId)).providerReferenceRule).toBe("reference");
  });

  it("the database refuses a second collected payment carrying the same provider transaction", async () => {
    const a = await kkiapayPayment();
    const b = await kkiapayPayment();
    await world.database.db.update(s.payments).set({ providerReference: "KKP-SHARED-1" }).where(eq(s.payments.id, a.paymentId));
    await world.database.db.update(s.payments).set({ status: "paid", paidAt: new Date() }).where(eq(s.payments.id, a.paymentId));
    await world.database.db.update(s.payments).set({ providerReference: "KKP-SHARED-1" }).where(eq(s.payments.id, b.paymentId));
    const refused = await world.database.db
      .update(s.payments)
      .set({ status: "paid", paidAt: new Date() })
      .where(eq(s.payments.id, b.paymentId))
      .then(() => null, (error: unknown) => error);
    expect(uniqueViolation(refused, "payments_one_collection_per_transaction")).toBe(true);
  });
});
