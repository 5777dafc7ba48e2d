import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { confirmOnPhone, payInWidget } from "@/lib/testing/kkiapay-widget";
import { eventually, newOrder, paymentRow, statusOf, submitForm } from "@/lib/testing/payments";
import { refreshPayment } from "../refresh";
import { startPayment } from "../start";

/**
 * Issue 12 item 3: `?cancelled=1` is a plain GET (and the KKiaPay widget's close sends it). It
 * must never close an attempt whose prompt is still live on the shopper's phone: approved a
 * moment later, that money would land on a cancelled payment while the page offered a retry.
 */
describe.each(TEST_DATABASES)("a shopper's cancel never beats a live prompt, on $name", ({ open }) => {
  const world = usePaymentsWorld(open);

  const cancel = (p: { order: { id: string }; paymentId: string }, extra = "") =>
    fetch(`${world.app.url}/orders/${p.order.id}/return?p=${p.paymentId}&cancelled=1${extra}`, { redirect: "manual" });

  async function cinetpayWaiting() {
    const order = await newOrder(world.database, "demo", 2);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "cinetpay", method: "orange_money" });
    const pageUrl = (started.action as { url: string }).url;
    await submitForm(pageUrl, { action: "pay", method: "OM", phone: "0707070707", outcome: "waiting" });
    await eventually(statusOf(world.database, started.paymentId), (st) => st === "waiting_for_customer");
    return { order, ...started, pageUrl };
  }

  it("CinetPay WAITING_FOR_CUSTOMER: cancel leaves it waiting; approving on the phone then pays it", async () => {
    const p = await cinetpayWaiting();
    expect((await cancel(p)).status).toBe(303);
    expect(await paymentRow(world.database, p.paymentId)).toMatchObject({ status: "waiting_for_customer", flag: null });
    await submitForm(`${p.pageUrl}/confirm`, { decision: "accepted" });
    await eventually(statusOf(world.database, p.paymentId), (st) => st === "paid");
    expect((await paymentRow(world.database, p.paymentId)).flag).toBeNull();
    const [order] = await world.database.db.select().from(s.orders).where(eq(s.orders.id, p.order.id));
    expect(order!.status).toBe("paid");
  });

  it("KKiaPay: closing the widget on a pending prompt (its transaction known) does not cancel", async () => {
    const order = await newOrder(world.database, "demo", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "kkiapay", method: "mtn" });
    const config = (started.action as { config: Record<string, unknown> }).config;
    const pending = await payInWidget(world.app.url, config, { outcome: "pending" });
    expect(pending.transactionId).not.toBe("");
    const p = { order, paymentId: started.paymentId };
    expect((await cancel(p, `&transaction_id=${pending.transactionId}`)).status).toBe(303);
    expect((await paymentRow(world.database, p.paymentId)).status).toBe("pending");
    await confirmOnPhone(world.app.url, pending.transactionId, "success");
    await eventually(statusOf(world.database, p.paymentId), (st) => st === "paid");
  });

  it("KKiaPay: closing the widget before any transaction exists cancels", async () => {
    const order = await newOrder(world.database, "demo", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "kkiapay", method: "mtn" });
    expect((await cancel({ order, paymentId: started.paymentId })).status).toBe(303);
    const row = await paymentRow(world.database, started.paymentId);
    expect(row.status).toBe("cancelled");
    expect(row.nextCheckAt).not.toBeNull(); // one late check, in case the shopper opens the widget again and pays
  });

  it("money confirmed after a cancel still lands: the late payment is collected, not left on a cancelled one", async () => {
    const order = await newOrder(world.database, "demo", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "orange-money", method: "orange_money" });
    const pageUrl = (started.action as { url: string }).url;
    // Orange's cancel link: the transaction stays INITIATED, so this cancel is allowed…
    const back = await fetch(`${pageUrl}/cancel`, { redirect: "manual" });
    await fetch(back.headers.get("location")!, { redirect: "manual" });
    expect((await paymentRow(world.database, started.paymentId)).status).toBe("cancelled");
    // …and the shopper, back on Orange's page with the same pay_token, confirms after all.
    await submitForm(pageUrl, { msisdn: "0707070707", otp: "1234", outcome: "SUCCESS" });
    await eventually(statusOf(world.database, started.paymentId), (st) => st === "paid");
    const [row] = await world.database.db.select().from(s.orders).where(eq(s.orders.id, order.id));
    expect(row!.status).toBe("paid");
  });

  it("money for an order another payment already paid is recorded as a flagged double payment", async () => {
    const order = await newOrder(world.database, "demo", 1);
    const first = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "kkiapay", method: "mtn" });
    const second = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "kkiapay", method: "mtn" });
    await payInWidget(world.app.url, (first.action as { config: Record<string, unknown> }).config, { outcome: "success" });
    await eventually(statusOf(world.database, first.paymentId), (st) => st === "paid");
    await payInWidget(world.app.url, (second.action as { config: Record<string, unknown> }).config, { outcome: "success" });
    await eventually(() => paymentRow(world.database, second.paymentId), (r) => r.flag === "double_payment");
    expect(await paymentRow(world.database, second.paymentId)).toMatchObject({ status: "paid", flag: "double_payment", flagResolvedAt: null });
    // A later check of the double payment changes nothing and raises no second flag.
    await refreshPayment(world.app.deps(), second.paymentId, "test");
    const flags = (await world.database.db.select().from(s.paymentEvents).where(eq(s.paymentEvents.paymentId, second.paymentId))).filter((e) => e.type === "flag");
    expect(flags).toHaveLength(1);
  });
});

