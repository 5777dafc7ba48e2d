import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { eventsOf, eventually, newOrder, notificationsOf, paymentRow, secretCredentialValues, seededCredentials, statusOf, storedRowsHolding } from "@/lib/testing/payments";
import { refreshPayment } from "./refresh";
import { refundPayment } from "./refunds";
import { startPayment } from "./start";

const DEMO = seededCredentials("demo", "kkiapay");

type WidgetEvent = { name: string; data: { transactionId?: string } };

describe.each(TEST_DATABASES)("KKiaPay end to end on $name", ({ open }) => {
  const world = usePaymentsWorld(open);

  async function start() {
    const order = await newOrder(world.database, "demo", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "kkiapay", method: "mtn" });
    expect(started.action.type).toBe("widget");
    const action = started.action as { scriptUrl: string; config: Record<string, unknown> };
    expect(action.scriptUrl).toBe(`${world.app.url}/sandbox/kkiapay/k.js`);
    expect(action.config).toMatchObject({ amount: order.amountMinor, key: DEMO.publicKey, sandbox: true, data: started.reference });
    return { order, ...started, config: action.config };
  }

  /** What the widget iframe posts when the shopper pays; returns the events it sends the page. */
  async function widget(config: Record<string, unknown>, fields: Record<string, string>) {
    const res = await fetch(`${world.app.url}/sandbox/kkiapay/widget/pay`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ config: JSON.stringify(config), action: "pay", operator: "mtn", phone: "0707070707", ...fields }),
    });
    const html = await res.text();
    const json = /<script type="application\/json" id="kkiapay-events">([\s\S]*?)<\/script>/.exec(html);
    return JSON.parse(json![1]!) as { events: WidgetEvent[]; redirect: string | null };
  }

  it("paid: the webhook (with its secret) pays it; KKiaPay's reported fee wins over the estimate", async () => {
    const p = await start();
    const result = await widget(p.config, { outcome: "success" });
    expect(result.events.map((e) => e.name)).toContain("PAYMENT_SUCCESS");
    await eventually(statusOf(world.database, p.paymentId), (st) => st === "paid");
    const row = await paymentRow(world.database, p.paymentId);
    expect(row.providerReference).toBe(result.events.find((e) => e.name === "PAYMENT_SUCCESS")!.data.transactionId);
    expect(row.feeReportedMinor).toBeGreaterThan(0);
    expect(row.netMinor).toBe(row.amountMinor - row.feeReportedMinor!);
    expect(row.settlementDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await eventually(() => notificationsOf(world.database, p.paymentId), (n) => n.length === 1 && n[0]!.verdict === "processed");
  });

  it("the widget's callback alone (webhook dropped) pays it after a status check", async () => {
    const p = await start();
    const callback = `${world.app.url}/orders/${p.order.id}/return?p=${p.paymentId}`;
    await fetch(`${world.app.url}/sandbox/kkiapay/_control/faults`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-sandbox-secret": DEMO.privateKey! },
      body: JSON.stringify({ accountId: DEMO.publicKey, faults: { dropNotification: true } }),
    });
    try {
      const result = await widget({ ...p.config, callback }, { outcome: "success" });
      expect(result.redirect).toMatch(/transaction_id=/);
      const back = await fetch(result.redirect!, { redirect: "manual" });
      expect(back.status).toBe(303);
      expect(await paymentRow(world.database, p.paymentId)).toMatchObject({ status: "paid" });
      expect(await notificationsOf(world.database, p.paymentId)).toHaveLength(0);
    } finally {
      await fetch(`${world.app.url}/sandbox/kkiapay/_control/faults`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-sandbox-secret": DEMO.privateKey! },
        body: JSON.stringify({ accountId: DEMO.publicKey, faults: {} }),
      });
    }
  });

  it("a callback carrying another payment's transaction id is not believed", async () => {
    const victim = await start();
    const paid = await widget(victim.config, { outcome: "success" });
    const transactionId = paid.events.find((e) => e.name === "PAYMENT_SUCCESS")!.data.transactionId!;
    await eventually(statusOf(world.database, victim.paymentId), (st) => st === "paid");

    const thief = await start();
    const back = await fetch(`${world.app.url}/orders/${thief.order.id}/return?p=${thief.paymentId}&transaction_id=${transactionId}`, { redirect: "manual" });
    expect(back.status).toBe(303);
    expect(await paymentRow(world.database, thief.paymentId)).toMatchObject({ status: "pending", providerReference: null });
  });

  it("failed: insufficient funds", async () => {
    const p = await start();
    await widget(p.config, { outcome: "failed", failureCode: "insufficient_fund" });
    await eventually(statusOf(world.database, p.paymentId), (st) => st === "failed");
    expect((await paymentRow(world.database, p.paymentId)).failureCode).toBe("insufficient_fund");
  });

  it("pending then paid", async () => {
    const p = await start();
    const first = await widget(p.config, { outcome: "pending" });
    const transactionId = first.events.find((e) => e.data.transactionId)!.data.transactionId!;
    await fetch(`${world.app.url}/sandbox/kkiapay/widget/confirm`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ transactionId, outcome: "success" }) });
    await eventually(statusOf(world.database, p.paymentId), (st) => st === "paid");
  });

  it("expired: the shopper never paid within our window", async () => {
    const p = await start();
    const row = await paymentRow(world.database, p.paymentId);
    expect(await refreshPayment({ ...world.app.deps(), now: () => new Date(row.expiresAt!.getTime() + 3 * 60_000) }, p.paymentId, "test")).toMatchObject({ status: "expired", changed: true });
  });

  it("cancelled: an aborted widget creates nothing at KKiaPay; the shopper's cancellation is recorded", async () => {
    const p = await start();
    const result = await widget(p.config, { action: "abort" });
    expect(result.events.map((e) => e.name)).toContain("PAYMENT_ABORTED");
    await fetch(`${world.app.url}/orders/${p.order.id}/return?p=${p.paymentId}&cancelled=1`, { redirect: "manual" });
    expect((await paymentRow(world.database, p.paymentId)).status).toBe("cancelled");
  });

  it("refund: reverted through KKiaPay's API", async () => {
    const p = await start();
    await widget(p.config, { outcome: "success" });
    await eventually(statusOf(world.database, p.paymentId), (st) => st === "paid");
    await expect(refundPayment(world.app.deps(), { merchantId: p.order.merchantId, paymentId: p.paymentId, amountMinor: 100, reason: "partiel", userId: null })).resolves.toMatchObject({
      kind: "manual",
      status: "partially_refunded",
    });
    const q = await start();
    await widget(q.config, { outcome: "success" });
    await eventually(statusOf(world.database, q.paymentId), (st) => st === "paid");
    const result = await refundPayment(world.app.deps(), { merchantId: q.order.merchantId, paymentId: q.paymentId, amountMinor: q.order.amountMinor, reason: "retour", userId: null });
    expect(result).toMatchObject({ kind: "api", status: "refunded" });
    const [refund] = await world.database.db.select().from(s.refunds).where(eq(s.refunds.paymentId, q.paymentId));
    expect(refund).toMatchObject({ kind: "api", status: "succeeded", amountMinor: q.order.amountMinor });
    const status = await fetch(`${world.app.url}/sandbox/kkiapay/api/v1/transactions/status`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": DEMO.publicKey!, "x-private-key": DEMO.privateKey!, "x-secret-key": DEMO.secretKey! },
      body: JSON.stringify({ transactionId: (await paymentRow(world.database, q.paymentId)).providerReference }),
    });
    expect(await status.json()).toMatchObject({ status: "REVERTED" });
  });

  it("a webhook with the wrong secret is refused with 401 and changes nothing", async () => {
    const p = await start();
    const res = await fetch(`${world.app.url}/api/webhooks/kkiapay/demo`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-kkiapay-secret": "not-the-secret" },
      body: JSON.stringify({ transactionId: "123", isPaymentSucces: true, event: "transaction.success", amount: p.order.amountMinor, stateData: p.reference }),
    });
    expect(res.status).toBe(401);
    expect(await paymentRow(world.database, p.paymentId)).toMatchObject({ status: "pending", providerReference: null });
    expect((await eventsOf(world.database, p.paymentId)).filter((e) => e.type === "notification").map((e) => e.data.verdict)).toEqual(["forged"]);
  });

  // Last in the file: by now every flow above has written its events and deliveries.
  it("never stores a secret credential in an event or a delivery", async () => {
    const secrets = secretCredentialValues(DEMO);
    expect(secrets.length).toBeGreaterThan(0);
    const stored = await storedRowsHolding(world.database, secrets);
    expect(stored.rows).toBeGreaterThan(10);
    expect(stored.holding).toEqual([]);
  });
});
