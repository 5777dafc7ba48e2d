import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { eventsOf, eventually, newOrder, notificationsOf, paymentRow, sandboxControl, secretCredentialValues, seededCredentials, statusOf, storedRowsHolding, submitForm } from "@/lib/testing/payments";
import { startReconciler, type Reconciler } from "./reconcile";
import { refreshPayment } from "./refresh";
import { refundPayment } from "./refunds";
import { startPayment } from "./start";

const DEMO = seededCredentials("demo", "orange-money");

describe.each(TEST_DATABASES)("Orange Money end to end on $name", ({ open }) => {
  const world = usePaymentsWorld(open);

  const control = (path: string, body?: unknown) => sandboxControl(world.app.url, "orange-money", DEMO.merchantKey!, DEMO.clientSecret!, path, body);

  async function start() {
    const order = await newOrder(world.database, "demo", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "orange-money", method: "orange_money" });
    expect(started).toMatchObject({ status: "waiting_for_customer", action: { type: "redirect" } });
    return { order, ...started, pageUrl: (started.action as { url: string }).url };
  }

  /** The shopper confirms with phone and OTP, and the browser follows Orange's redirect home. */
  async function confirm(pageUrl: string, fields: { otp?: string; outcome: "SUCCESS" | "FAILED"; shopperReturns?: boolean }) {
    const res = await submitForm(pageUrl, { msisdn: "0707070707", otp: fields.otp ?? "1234", outcome: fields.outcome });
    expect(res.status).toBe(303);
    if (fields.shopperReturns === false) return; // the tab was closed
    const back = await fetch(res.headers.get("location")!, { redirect: "manual" });
    expect(back.status).toBe(303);
  }

  it("paid: confirmed with the OTP; the notif_token authenticates the notification", async () => {
    const p = await start();
    const row = await paymentRow(world.database, p.paymentId);
    expect(row.storedSecretEncrypted).not.toBeNull();
    expect(JSON.stringify(row)).not.toMatch(/notifToken|notif_token/); // the token is stored encrypted only
    await confirm(p.pageUrl, { outcome: "SUCCESS" });
    await eventually(statusOf(world.database, p.paymentId), (st) => st === "paid");
    const paid = await paymentRow(world.database, p.paymentId);
    expect(paid.feeEstimatedMinor).toBe(Math.round(p.order.amountMinor * 0.02));
    expect(paid.netMinor).toBe(p.order.amountMinor - paid.feeEstimatedMinor!);
    expect(paid.settlementReported).toBe(false);
    expect(paid.settlementDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(paid.providerReference).toMatch(/^MP/);
    // The shopper's return may have paid it first; the notification is still processed on its own.
    const notifications = await eventually(() => notificationsOf(world.database, p.paymentId), (n) => n.length === 1 && n[0]!.verdict === "processed");
    expect(notifications[0]!.headers).not.toHaveProperty("authorization");
  });

  it("failed: the OTP 0000 fails the payment", async () => {
    const p = await start();
    await confirm(p.pageUrl, { otp: "0000", outcome: "SUCCESS" });
    await eventually(statusOf(world.database, p.paymentId), (st) => st === "failed");
  });

  it("cancelled: the cancel link returns the shopper with the transaction still INITIATED", async () => {
    const p = await start();
    const res = await fetch(`${p.pageUrl}/cancel`, { redirect: "manual" });
    expect(res.status).toBe(303);
    const back = await fetch(res.headers.get("location")!, { redirect: "manual" });
    expect(back.headers.get("location")).toBe(`/orders/${p.order.id}`);
    expect((await paymentRow(world.database, p.paymentId)).status).toBe("cancelled");
    expect((await eventsOf(world.database, p.paymentId)).at(-1)).toMatchObject({ type: "transition", toStatus: "cancelled", actor: "shopper" });
  });

  it("expired: INITIATED past the 10-minute pay_token window", async () => {
    const p = await start();
    const later = new Date(Date.now() + 13 * 60_000);
    expect(await refreshPayment({ ...world.app.deps(), now: () => later }, p.paymentId, "test")).toMatchObject({ status: "expired", changed: true });
  });

  it("refund: Orange has none, a manual refund is recorded", async () => {
    const p = await start();
    await confirm(p.pageUrl, { outcome: "SUCCESS" });
    await eventually(statusOf(world.database, p.paymentId), (st) => st === "paid");
    const result = await refundPayment(world.app.deps(), { merchantId: p.order.merchantId, paymentId: p.paymentId, amountMinor: p.order.amountMinor, reason: "annulée", userId: null });
    expect(result).toMatchObject({ kind: "manual", status: "refunded" });
    const [order] = await world.database.db.select().from(s.orders).where(eq(s.orders.id, p.order.id));
    expect(order!.status).toBe("refunded");
  });

  it("an unknown notif_token is refused with 403 and changes nothing", async () => {
    const p = await start();
    const res = await fetch(`${world.app.url}/api/webhooks/orange-money/demo?ref=${p.reference}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ status: "SUCCESS", notif_token: "dd497bda3b250e536186fc0663f32f40", txnid: "MP150709.1341.A00073" }),
    });
    expect(res.status).toBe(403);
    expect((await paymentRow(world.database, p.paymentId)).status).toBe("waiting_for_customer");
    expect((await eventsOf(world.database, p.paymentId)).filter((e) => e.type === "notification").map((e) => e.data.verdict)).toEqual(["forged"]);
  });

  describe("reconciliation", () => {
    let reconciler: Reconciler;
    beforeAll(async () => {
      reconciler = await startReconciler(world.app.deps(), { sweepIntervalMs: 250 });
    });
    afterAll(() => reconciler.stop());

    it("heals a dropped notification on its schedule", async () => {
      await control("faults", { faults: { dropNotification: true } });
      try {
        const p = await start(); // its first check is due 15 s after the start
        await confirm(p.pageUrl, { outcome: "SUCCESS", shopperReturns: false });
        expect(await notificationsOf(world.database, p.paymentId)).toHaveLength(0);
        expect((await paymentRow(world.database, p.paymentId)).status).toBe("waiting_for_customer");
        // Fast-forward to the check's due time instead of waiting 15 s.
        await world.database.db.update(s.payments).set({ nextCheckAt: new Date() }).where(eq(s.payments.id, p.paymentId));
        await eventually(statusOf(world.database, p.paymentId), (st) => st === "paid", 15_000);
        const checks = (await eventsOf(world.database, p.paymentId)).filter((e) => e.type === "status_check");
        expect(checks.at(-1)!.actor).toBe("reconciliation");
      } finally {
        await control("faults", { faults: {} });
      }
    });

    it("heals a status API outage: the delivery is kept and retried", async () => {
      const p = await start();
      await control("faults", { faults: { statusApi: "5xx" } });
      try {
        // Keep the sweep off this payment so the retried delivery is what heals it.
        await world.database.db.update(s.payments).set({ nextCheckAt: new Date(Date.now() + 3_600_000) }).where(eq(s.payments.id, p.paymentId));
        await confirm(p.pageUrl, { outcome: "SUCCESS", shopperReturns: false });
        const [stuck] = await eventually(() => notificationsOf(world.database, p.paymentId), (n) => n.length === 1 && n[0]!.attempts >= 1);
        expect(stuck!.verdict).toBe("authenticated");
        expect((await paymentRow(world.database, p.paymentId)).status).toBe("waiting_for_customer");
        // Its retry falls due now (it backs off 30 s after a first failure); the payment's own check stays far away.
        await world.database.db.update(s.notifications).set({ nextAttemptAt: new Date(Date.now() - 1_000) }).where(eq(s.notifications.id, stuck!.id));
        await world.database.db.update(s.payments).set({ nextCheckAt: new Date(Date.now() + 3_600_000) }).where(eq(s.payments.id, p.paymentId));
      } finally {
        await control("faults", { faults: {} });
      }
      await eventually(statusOf(world.database, p.paymentId), (st) => st === "paid", 15_000);
      expect((await notificationsOf(world.database, p.paymentId))[0]!.verdict).toBe("processed");
    });
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
