import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import * as s from "@/db/schema";
import { loadMerchantContext } from "@/lib/auth/membership";
import { setPaymentAlerts } from "@/lib/dashboard/alerts";
import { formatMoney } from "@/lib/money";
import { startPayment } from "@/lib/payments/start";
import { applyTransition } from "@/lib/payments/transitions";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { RACES_NEED_A_SERVER, TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { eventually, newOrder, sandboxControl, seededCredentials, statusOf, submitForm } from "@/lib/testing/payments";
import { startSmtpCatcher } from "@/lib/testing/smtp-catcher";
import { storeClock } from "@/lib/time/store-clock";
import { mailTransport } from "./transport";
import { startMailWorker } from "./worker";

const DEMO = seededCredentials("demo", "cinetpay");

describe.each(TEST_DATABASES)("receipts and payment alerts on $name", ({ name, open }) => {
  const world = usePaymentsWorld(open);

  const messagesOf = (orderId: string) => world.database.db.select().from(s.mailMessages).where(eq(s.mailMessages.orderId, orderId));

  /** A CinetPay payment the shopper approved, whose notification the sandbox dropped: we hold a copy to deliver as often as we like. */
  async function approvedPayment(email = "staff@demo.test") {
    const order = await newOrder(world.database, "demo", 2);
    await world.database.db.update(s.orders).set({ customerEmail: email }).where(eq(s.orders.id, order.id));
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "cinetpay", method: "orange_money" });
    await submitForm((started.action as { url: string }).url, { action: "pay", method: "OM", phone: "0707070707", outcome: "accepted", fault_dropNotification: "1" });
    type Delivery = { method: string; body: string; headers: Record<string, string> };
    const control = () => sandboxControl(world.app.url, "cinetpay", DEMO.siteId!, DEMO.secretKey!, `deliveries?reference=${started.reference}`) as Promise<Delivery[]>;
    const genuine = (await eventually(control, (d) => d.some((x) => x.method === "POST"))).find((d) => d.method === "POST")!;
    const notify = () =>
      fetch(`${world.app.url}/api/webhooks/cinetpay/demo`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "x-token": genuine.headers["x-token"]! }, body: genuine.body }).then((r) => r.status);
    return { order, paymentId: started.paymentId, notify };
  }

  it("a paid order e-mails its shopper one receipt and each opted-in member one alert, however often the payment is notified", async () => {
    const [owner] = await world.database.db.select({ id: s.users.id }).from(s.users).where(eq(s.users.email, "owner@demo.test"));
    const ownerCtx = (await loadMerchantContext(world.database.db, owner!.id))!;
    expect(await setPaymentAlerts(world.database.db, ownerCtx, { paymentAlerts: "on" }, "en")).toEqual({ ok: true, on: true });

    const p = await approvedPayment();
    for (let i = 0; i < 4; i++) expect(await p.notify()).toBe(200);
    await eventually(statusOf(world.database, p.paymentId), (st) => st === "paid");
    // The same payment told "paid" again by another path: not a transition, no message.
    expect(await applyTransition(world.database.db, { paymentId: p.paymentId, to: "paid", actor: "test" })).toMatchObject({ applied: false, reason: "not_allowed" });

    const rows = await messagesOf(p.order.id);
    expect(rows.map((r) => [r.kind, r.recipient, r.locale]).sort()).toEqual([
      ["payment_received", "owner@demo.test", "en"],
      ["receipt", "staff@demo.test", "fr"],
    ]);

    const smtp = await startSmtpCatcher();
    const deps = { db: world.database.db, encryptionKey: TEST_ENCRYPTION_KEY, appUrl: world.app.url, transport: mailTransport({ smtpUrl: smtp.url, from: "no-reply@caisse.test", production: true }) };
    const worker = await startMailWorker(deps, world.database, { pumpIntervalMs: 200, pollingIntervalSeconds: 0.5 });
    try {
      await eventually(() => messagesOf(p.order.id), (r) => r.every((m) => m.status === "sent"), 20_000);
      expect(await p.notify()).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
    } finally {
      await worker.stop();
      await smtp.close();
    }
    const [order] = await world.database.db.select().from(s.orders).where(eq(s.orders.id, p.order.id));
    const [merchant] = await world.database.db.select().from(s.merchants).where(eq(s.merchants.id, order!.merchantId));
    // A sandbox payment's receipt goes to a member's address only (see the next test): here the
    // staff member played the shopper.
    const receipts = smtp.to("staff@demo.test");
    expect(receipts).toHaveLength(1);
    expect(receipts[0]!.subject).toBe(`Votre reçu de ${merchant!.name} : commande ${order!.reference}`);
    expect(receipts[0]!.text).toContain(formatMoney(order!.amountMinor, order!.currency, "fr"));
    expect(receipts[0]!.text).toContain(storeClock("fr", merchant!.timeZone).dateTime(order!.paidAt!));
    expect(receipts[0]!.text).toContain(`${world.app.url}/orders/${order!.id}`);
    const alerts = smtp.to("owner@demo.test");
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.subject).toBe(`Payment received: ${formatMoney(order!.amountMinor, order!.currency, "en")}, order ${order!.reference}`);
    expect(alerts[0]!.text).toContain(storeClock("en", merchant!.timeZone).dateTime(order!.paidAt!));
    // Members who did not opt in get no alert (off by default): the staff member's one mail is the receipt.
    expect(receipts.map((m) => m.subject)).not.toContain(alerts[0]!.subject);
  });

  it("a sandbox payment e-mails no receipt to an address outside the store (no spam through the simulators), a live one does", async () => {
    const sandbox = await approvedPayment("victim@example.org");
    expect(await sandbox.notify()).toBe(200);
    await eventually(statusOf(world.database, sandbox.paymentId), (st) => st === "paid");
    expect((await messagesOf(sandbox.order.id)).filter((m) => m.kind === "receipt")).toEqual([]);

    // The same order shape paid in live mode: its shopper gets the receipt, whatever the address.
    const order = await newOrder(world.database, "demo", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "cinetpay", method: "orange_money" });
    await world.database.db.update(s.payments).set({ mode: "live" }).where(eq(s.payments.id, started.paymentId));
    expect(await applyTransition(world.database.db, { paymentId: started.paymentId, to: "paid", actor: "test" })).toMatchObject({ applied: true });
    expect((await messagesOf(order.id)).filter((m) => m.kind === "receipt").map((m) => m.recipient)).toEqual(["aminata@example.ci"]);
  });

  it("concurrent notifications of one payment write one receipt", async ({ skip }) => {
    skip(name !== "postgres", RACES_NEED_A_SERVER);
    const p = await approvedPayment();
    const answers = await Promise.all(Array.from({ length: 30 }, () => p.notify()));
    expect(answers.every((st) => st === 200)).toBe(true);
    await eventually(statusOf(world.database, p.paymentId), (st) => st === "paid");
    expect((await messagesOf(p.order.id)).filter((m) => m.kind === "receipt")).toHaveLength(1);
  });

  it("a paid transition that rolls back leaves no receipt", async () => {
    const order = await newOrder(world.database, "demo", 1);
    await world.database.db.update(s.orders).set({ customerEmail: "staff@demo.test" }).where(eq(s.orders.id, order.id));
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "cinetpay", method: "orange_money" });
    await expect(
      world.database.db.transaction(async (tx) => {
        const moved = await applyTransition(tx as unknown as Db, { paymentId: started.paymentId, to: "paid", actor: "test" });
        expect(moved).toMatchObject({ applied: true });
        expect(await tx.$count(s.mailMessages, and(eq(s.mailMessages.orderId, order.id), eq(s.mailMessages.kind, "receipt")))).toBe(1);
        throw new Error("the rest of the change failed");
      }),
    ).rejects.toThrow("the rest of the change failed");
    expect(await messagesOf(order.id)).toEqual([]);
    expect(await statusOf(world.database, started.paymentId)()).not.toBe("paid");
  });
});
