import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import type { MerchantContext } from "@/lib/auth/membership";
import { replayNotification } from "@/lib/dashboard/queues";
import { newId } from "@/lib/ids";
import { createOrder } from "@/lib/orders/create";
import { priceCart } from "@/lib/orders/price";
import { listExceptions } from "@/lib/payments/exceptions";
import { sweep } from "@/lib/payments/reconcile";
import { refreshPayment } from "@/lib/payments/refresh";
import { refundPayment } from "@/lib/payments/refunds";
import { startPayment } from "@/lib/payments/start";
import { applyTransition } from "@/lib/payments/transitions";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { RACES_NEED_A_SERVER, TEST_DATABASES } from "@/lib/testing/databases";
import { payInWidget } from "@/lib/testing/kkiapay-widget";
import { seededMerchantContext } from "@/lib/testing/merchant-context";
import { eventsOf, eventually, notificationsOf, paymentRow } from "@/lib/testing/payments";

/**
 * Issue 15: a product's stock is taken when its order is paid, by the paid transition itself
 * (lib/payments/transitions.ts), so exactly once per order; an order paid when there was not
 * enough left is an exception for the merchant, and stock never goes below zero.
 */
describe.each(TEST_DATABASES)("stock taken by paid orders on $name", ({ name, open }) => {
  const world = usePaymentsWorld(open);
  let owner: MerchantContext;
  beforeAll(async () => {
    owner = await seededMerchantContext(world.database, "owner@demo.test");
  });

  const db = () => world.database.db;

  async function product(stock: number | null, label = "Pagne wax") {
    const id = newId("prd");
    await db().insert(s.products).values({ id, merchantId: owner.merchant.id, sku: id, name: label, priceMinor: 1000, currency: "XOF", stock });
    return id;
  }
  const stockOf = async (id: string) => (await db().select({ stock: s.products.stock }).from(s.products).where(eq(s.products.id, id)))[0]!.stock;

  /** An order priced from the database while there was stock enough (both shoppers saw the last unit). */
  async function order(lines: { productId: string; quantity: number }[]) {
    const cart = await priceCart(db(), owner.merchant.id, lines);
    if (!cart) throw new Error("cart refused at pricing");
    const customer = { name: "Aminata Traoré", email: "aminata@example.ci", phone: "+2250707070707", country: "CI" };
    return createOrder(db(), { merchant: { id: owner.merchant.id, currency: "XOF" }, customer, locale: "fr", cart });
  }
  async function kkiapayPayment(orderId: string) {
    const started = await startPayment(world.app.deps(), { merchantId: owner.merchant.id, orderId, provider: "kkiapay", method: "mtn" });
    return { paymentId: started.paymentId, config: (started.action as { config: Record<string, unknown> }).config };
  }

  it("a paid order takes its units once, whatever notifications, checks, replays and sweeps follow; unlimited products are untouched", async () => {
    const counted = await product(5);
    const unlimited = await product(null, "Bissap");
    const o = await order([
      { productId: counted, quantity: 2 },
      { productId: unlimited, quantity: 3 },
    ]);
    const p = await kkiapayPayment(o.id);
    // Placing the order and starting its payment take nothing: only money does.
    expect(await stockOf(counted)).toBe(5);

    const paid = await payInWidget(world.app.url, p.config, { outcome: "success" });
    await eventually(() => paymentRow(world.database, p.paymentId), (r) => r.status === "paid");
    expect(await stockOf(counted)).toBe(3);

    const evidence = { providerReference: paid.transactionId, authenticated: true };
    await Promise.all([1, 2, 3].map(() => refreshPayment(world.app.deps(), p.paymentId, "test", { evidence })));
    await refreshPayment(world.app.deps(), p.paymentId, "test");
    const [delivery] = await notificationsOf(world.database, p.paymentId);
    expect(await replayNotification(world.app.deps(), owner, { notificationId: delivery!.id })).toMatchObject({ ok: true });
    await sweep(world.app.deps());
    // A paid transition asked again is refused by the status graph, and so takes nothing.
    expect(await applyTransition(db(), { paymentId: p.paymentId, to: "paid", actor: "test" })).toMatchObject({ applied: false, reason: "not_allowed" });

    expect(await stockOf(counted)).toBe(3);
    expect(await stockOf(unlimited)).toBeNull();
    expect(await paymentRow(world.database, p.paymentId)).toMatchObject({ status: "paid", flag: null });
  });

  it("a refund leaves the stock as it is (goods do not come back by themselves)", async () => {
    const counted = await product(2);
    const o = await order([{ productId: counted, quantity: 1 }]);
    const p = await kkiapayPayment(o.id);
    await payInWidget(world.app.url, p.config, { outcome: "success" });
    await eventually(() => paymentRow(world.database, p.paymentId), (r) => r.status === "paid");
    expect(await stockOf(counted)).toBe(1);
    await refundPayment(world.app.deps(), { merchantId: owner.merchant.id, paymentId: p.paymentId, amountMinor: o.amountMinor, reason: "retour", userId: null, idempotencyKey: newId("rfi") });
    expect(await paymentRow(world.database, p.paymentId)).toMatchObject({ status: "refunded" });
    expect(await stockOf(counted)).toBe(1);
  });

  it("two orders for the last unit, both paid: one takes it, the other is an exception naming the product and how many were short", async () => {
    const last = await product(1, "Boubou brodé");
    const first = await order([{ productId: last, quantity: 1 }]);
    const second = await order([{ productId: last, quantity: 1 }]);
    const a = await kkiapayPayment(first.id);
    const b = await kkiapayPayment(second.id);
    await payInWidget(world.app.url, a.config, { outcome: "success" });
    await eventually(() => paymentRow(world.database, a.paymentId), (r) => r.status === "paid");
    await payInWidget(world.app.url, b.config, { outcome: "success" });
    // The money is real: the second order is paid all the same, and flagged for the merchant.
    await eventually(() => paymentRow(world.database, b.paymentId), (r) => r.status === "paid");

    expect(await stockOf(last)).toBe(0);
    expect(await paymentRow(world.database, a.paymentId)).toMatchObject({ flag: null });
    expect(await paymentRow(world.database, b.paymentId)).toMatchObject({ flag: "paid_after_sold_out", flagResolvedAt: null });
    const flagEvent = (await eventsOf(world.database, b.paymentId)).find((e) => e.type === "flag");
    expect(flagEvent?.data).toEqual({ flag: "paid_after_sold_out", products: [{ productId: last, name: "Boubou brodé", ordered: 1, left: 0, missing: 1 }] });

    const { rows } = await listExceptions(db(), owner.merchant.id);
    const exception = rows.find((r) => r.id === b.paymentId);
    expect(exception).toMatchObject({ flag: "paid_after_sold_out", reason: { key: "paid_after_sold_out", adviceKey: "paid_after_sold_out", shortages: [{ name: "Boubou brodé", missing: 1 }] } });
    expect(exception!.offers.map((o) => o.action)).toEqual(["refund", "record_refund", "resolve"]);
  });

  it("an order for more units than are left takes what is left and says how many were short", async () => {
    const few = await product(3, "Savon noir");
    const o = await order([{ productId: few, quantity: 3 }]);
    await db().update(s.products).set({ stock: 1 }).where(eq(s.products.id, few));
    const p = await kkiapayPayment(o.id);
    await payInWidget(world.app.url, p.config, { outcome: "success" });
    await eventually(() => paymentRow(world.database, p.paymentId), (r) => r.flag === "paid_after_sold_out");
    expect(await stockOf(few)).toBe(0);
    const flagEvent = (await eventsOf(world.database, p.paymentId)).find((e) => e.type === "flag");
    expect(flagEvent?.data).toMatchObject({ products: [{ productId: few, ordered: 3, left: 1, missing: 2 }] });
  });

  it("orders holding two products in opposite order, paid at the same moment, never deadlock: the products are locked in id order", async ({ skip }) => {
    skip(name !== "postgres", RACES_NEED_A_SERVER);
    for (let round = 0; round < 6; round++) {
      const [x, y] = [await product(10, `Pagne ${round}`), await product(10, `Foulard ${round}`)];
      const pairs = await Promise.all(
        [0, 1, 2, 3].map((i) => order(i % 2 ? [{ productId: x, quantity: 1 }, { productId: y, quantity: 1 }] : [{ productId: y, quantity: 1 }, { productId: x, quantity: 1 }])),
      );
      const started = await Promise.all(pairs.map((o) => kkiapayPayment(o.id)));
      const outcomes = await Promise.all(started.map((p) => applyTransition(db(), { paymentId: p.paymentId, to: "paid", actor: "test" })));
      expect(outcomes.every((o) => o.applied)).toBe(true);
      expect([await stockOf(x), await stockOf(y)]).toEqual([6, 6]);
    }
  });

  it("two orders for the last unit paid at the same moment: one decrement to 0, one exception, never below 0", async ({ skip }) => {
    skip(name !== "postgres", RACES_NEED_A_SERVER);
    for (let round = 0; round < 8; round++) {
      const last = await product(1, `Dernier ${round}`);
      const orders = [await order([{ productId: last, quantity: 1 }]), await order([{ productId: last, quantity: 1 }])];
      const started = await Promise.all(orders.map((o) => kkiapayPayment(o.id)));
      const outcomes = await Promise.all(started.map((p) => applyTransition(db(), { paymentId: p.paymentId, to: "paid", actor: "test" })));
      expect(outcomes.every((o) => o.applied)).toBe(true);
      expect(await stockOf(last)).toBe(0);
      const flags = await Promise.all(started.map(async (p) => (await paymentRow(world.database, p.paymentId)).flag));
      expect(flags.sort()).toEqual([null, "paid_after_sold_out"].sort());
      const shortEvents = (await Promise.all(started.map((p) => eventsOf(world.database, p.paymentId)))).flat().filter((e) => e.type === "flag");
      expect(shortEvents.map((e) => e.data)).toEqual([expect.objectContaining({ products: [expect.objectContaining({ productId: last, missing: 1, left: 0 })] })]);
    }
  });
});
