import { createHmac } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { RACES_NEED_A_SERVER, TEST_DATABASES } from "@/lib/testing/databases";
import { eventsOf, eventually, formFields, newOrder, notificationsOf, paymentRow, sandboxControl, secretCredentialValues, seededCredentials, statusOf, storedRowsHolding, submitForm } from "@/lib/testing/payments";
import { refreshPayment } from "./refresh";
import { refundPayment } from "./refunds";
import { startPayment } from "./start";

const DEMO = seededCredentials("demo", "cinetpay");
const ORDER = ["cpm_site_id", "cpm_trans_id", "cpm_trans_date", "cpm_amount", "cpm_currency", "signature", "payment_method", "cel_phone_num", "cpm_phone_prefixe", "cpm_language", "cpm_version", "cpm_payment_config", "cpm_page_action", "cpm_custom", "cpm_designation", "cpm_error_message"];

/** The x-token as PROVIDERS.md §1.5 defines it, written here independently of the adapter. */
function xToken(form: URLSearchParams, secret: string) {
  return createHmac("sha256", secret).update(ORDER.map((k) => form.get(k) ?? "").join("")).digest("hex");
}

describe.each(TEST_DATABASES)("CinetPay end to end on $name", ({ name, open }) => {
  const world = usePaymentsWorld(open);

  async function start(method: "orange_money" | "mobile_money" = "orange_money") {
    const order = await newOrder(world.database, "demo", 2);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "cinetpay", method });
    expect(started.action.type).toBe("redirect");
    return { order, ...started, pageUrl: (started.action as { url: string }).url };
  }

  const control = (path: string, body?: unknown) => sandboxControl(world.app.url, "cinetpay", DEMO.siteId!, DEMO.secretKey!, path, body);

  type Delivery = { method: string; body: string; headers: Record<string, string> };

  /** The shopper pays, CinetPay drops its notification (a per-payment fault); we keep a copy to replay. */
  async function payAndCaptureNotification(p: { pageUrl: string; reference: string }): Promise<Delivery> {
    await submitForm(p.pageUrl, { action: "pay", method: "OM", phone: "0707070707", outcome: "accepted", fault_dropNotification: "1" });
    const deliveries = await eventually(() => control(`deliveries?reference=${p.reference}`) as Promise<Delivery[]>, (d) => d.some((x) => x.method === "POST"));
    return deliveries.find((d) => d.method === "POST")!;
  }

  it("paid: the notification triggers a status check; fee, net and the reported settlement date are stored", async () => {
    const p = await start();
    const submitted = await submitForm(p.pageUrl, { action: "pay", method: "OM", phone: "0707070707", outcome: "accepted" });
    expect(submitted.status).toBe(303);
    const page = await fetch(new URL(submitted.headers.get("location")!, p.pageUrl));
    await eventually(statusOf(world.database, p.paymentId), (st) => st === "paid");

    const row = await paymentRow(world.database, p.paymentId);
    expect(row.amountMinor).toBe(p.order.amountMinor);
    expect(row.feeReportedMinor).toBeNull(); // CinetPay reports no fee: the contract's estimate (3.5 %) is used
    expect(row.feeEstimatedMinor).toBe(Math.round(p.order.amountMinor * 0.035));
    expect(row.netMinor).toBe(p.order.amountMinor - row.feeEstimatedMinor!);
    expect(row.settlementReported).toBe(true);
    expect(row.settlementDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const [order] = await world.database.db.select().from(s.orders).where(eq(s.orders.id, p.order.id));
    expect(order!.status).toBe("paid");

    const timeline = (await eventsOf(world.database, p.paymentId)).map((e) => (e.type === "transition" ? `${e.fromStatus}→${e.toStatus}` : e.type));
    expect(timeline.slice(0, 3)).toEqual(["init_request", "init_response", "created→pending"]);
    expect(timeline).toContain("notification");
    expect(timeline).toContain("status_check");
    expect(timeline.at(-1)).toBe("pending→paid");

    // The shopper's browser POST back to return_url only triggers a check and lands on the order page.
    const back = formFields(await page.text(), "return-form");
    const res = await submitForm(back.action, back.fields);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/orders/${p.order.id}`);
  });

  it("failed: a refusal keeps its code", async () => {
    const p = await start();
    await submitForm(p.pageUrl, { action: "pay", method: "MOMO", phone: "0505050505", outcome: "refused", failure_code: "602" });
    await eventually(statusOf(world.database, p.paymentId), (st) => st === "failed");
    const row = await paymentRow(world.database, p.paymentId);
    expect(row.failureCode).toBe("602");
    expect(row.netMinor).toBeNull();
    const [order] = await world.database.db.select().from(s.orders).where(eq(s.orders.id, p.order.id));
    expect(order!.status).toBe("open"); // the shopper may try again
  });

  it("failed: the operator the shopper tried on CinetPay's page is recorded, so success per operator counts the failure", async () => {
    const p = await start("mobile_money");
    expect((await paymentRow(world.database, p.paymentId)).method).toBe("mobile_money");
    await submitForm(p.pageUrl, { action: "pay", method: "MOMO", phone: "0505050505", outcome: "refused", failure_code: "602" });
    await eventually(statusOf(world.database, p.paymentId), (st) => st === "failed");
    expect((await paymentRow(world.database, p.paymentId)).method).toBe("mtn");
  });

  it("cancelled: the shopper cancels on the hosted page", async () => {
    const p = await start();
    await submitForm(p.pageUrl, { action: "cancel" });
    await eventually(statusOf(world.database, p.paymentId), (st) => st === "cancelled");
  });

  it("waiting → paid: WAITING_FOR_CUSTOMER is never a failure", async () => {
    const p = await start();
    await submitForm(p.pageUrl, { action: "pay", method: "OM", phone: "0707070707", outcome: "waiting" });
    await eventually(statusOf(world.database, p.paymentId), (st) => st === "waiting_for_customer");
    await submitForm(`${p.pageUrl}/confirm`, { decision: "accepted" });
    await eventually(statusOf(world.database, p.paymentId), (st) => st === "paid");
    const transitions = (await eventsOf(world.database, p.paymentId)).filter((e) => e.type === "transition").map((e) => e.toStatus);
    expect(transitions).toEqual(["pending", "waiting_for_customer", "paid"]);
  });

  it("expired: nobody acts before our window closes", async () => {
    const p = await start();
    const row = await paymentRow(world.database, p.paymentId);
    const later = new Date(row.expiresAt!.getTime() + 3 * 60_000);
    const outcome = await refreshPayment({ ...world.app.deps(), now: () => later }, p.paymentId, "test");
    expect(outcome).toMatchObject({ status: "expired", changed: true });
  });

  it("refund: CinetPay has no refund API, so a manual refund is recorded with instructions", async () => {
    const p = await start();
    await submitForm(p.pageUrl, { action: "pay", method: "OM", phone: "0707070707", outcome: "accepted" });
    await eventually(statusOf(world.database, p.paymentId), (st) => st === "paid");
    const result = await refundPayment(world.app.deps(), { merchantId: p.order.merchantId, paymentId: p.paymentId, amountMinor: 1000, reason: "Article abîmé", userId: null });
    expect(result).toMatchObject({ kind: "manual", status: "partially_refunded" });
    const [refund] = await world.database.db.select().from(s.refunds).where(eq(s.refunds.paymentId, p.paymentId));
    expect(refund).toMatchObject({ kind: "manual", status: "succeeded", amountMinor: 1000 });
    expect(refund!.instructions).toMatch(/mobile money/);
  });

  it("forged notifications change nothing and are answered 401; a tampered amount is caught", async () => {
    const p = await start();
    const genuine = await payAndCaptureNotification(p);
    const form = new URLSearchParams(genuine.body);
    expect(genuine.headers["x-token"]).toBe(xToken(form, DEMO.secretKey!));
    const webhook = `${world.app.url}/api/webhooks/cinetpay/demo`;
    const post = (body: string, token: string) => fetch(webhook, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "x-token": token }, body });

    expect((await post(genuine.body, "0".repeat(64))).status).toBe(401);
    const tampered = new URLSearchParams(form);
    tampered.set("cpm_amount", "5");
    expect((await post(tampered.toString(), genuine.headers["x-token"]!)).status).toBe(401);
    expect(await paymentRow(world.database, p.paymentId)).toMatchObject({ status: "pending" });
    const rejected = await notificationsOf(world.database, p.paymentId);
    expect(rejected.map((n) => n.verdict)).toEqual(["rejected", "rejected"]);
    expect((await eventsOf(world.database, p.paymentId)).filter((e) => e.type === "notification").map((e) => e.data.verdict)).toEqual(["forged", "forged"]);

    // The genuine one still goes through: forgeries never shadow it.
    expect((await post(genuine.body, genuine.headers["x-token"]!)).status).toBe(200);
    expect(await paymentRow(world.database, p.paymentId)).toMatchObject({ status: "paid" });
  });

  it("a notification for another merchant's payment is refused there", async () => {
    const p = await start();
    const genuine = await payAndCaptureNotification(p);
    const res = await fetch(`${world.app.url}/api/webhooks/cinetpay/autre`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "x-token": genuine.headers["x-token"]! }, body: genuine.body });
    expect(res.status).toBe(404);
    expect(await paymentRow(world.database, p.paymentId)).toMatchObject({ status: "pending" });
    const [autre] = await world.database.db.select().from(s.merchants).where(eq(s.merchants.slug, "autre"));
    const logged = await world.database.db.select().from(s.notifications).where(eq(s.notifications.merchantId, autre!.id));
    // Kept redacted: the signature header is gone, the phone number masked.
    const rejected = logged.find((n) => n.verdict === "rejected" && n.body.includes(p.reference));
    expect(rejected).toBeDefined();
    expect(rejected!.body).not.toContain("0707070707");
    expect(JSON.stringify(rejected!.headers)).not.toContain(genuine.headers["x-token"]!);
  });

  it("a validly signed notification with a tampered amount: the status API's amount wins", async () => {
    const p = await start();
    await submitForm(p.pageUrl, { action: "pay", method: "OM", phone: "0707070707", outcome: "accepted", fault_tamperAmount: "1" });
    await eventually(statusOf(world.database, p.paymentId), (st) => st === "paid");
    const notification = (await eventsOf(world.database, p.paymentId)).find((e) => e.type === "notification");
    expect(notification!.data.claimedAmount).not.toBe(p.order.amountMinor);
    expect((await paymentRow(world.database, p.paymentId)).flag).toBeNull();
  });

  it("an amount that differs at the provider is flagged and never paid", async () => {
    const p = await start();
    // Our stored amount no longer matches what the provider collected.
    await world.database.db.update(s.payments).set({ amountMinor: p.order.amountMinor + 500 }).where(eq(s.payments.id, p.paymentId));
    await submitForm(p.pageUrl, { action: "pay", method: "OM", phone: "0707070707", outcome: "accepted" });
    await eventually(() => paymentRow(world.database, p.paymentId).then((r) => r.flag), (f) => f === "amount_mismatch");
    expect(await paymentRow(world.database, p.paymentId)).toMatchObject({ status: "pending", flag: "amount_mismatch" });
  });

  it("100 concurrent duplicate notifications make exactly one transition", async ({ skip }) => {
    skip(name !== "postgres", RACES_NEED_A_SERVER);
    const p = await start();
    const genuine = await payAndCaptureNotification(p);
    const answers = await Promise.all(
      Array.from({ length: 100 }, () =>
        fetch(`${world.app.url}/api/webhooks/cinetpay/demo`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "x-token": genuine.headers["x-token"]! }, body: genuine.body }).then((r) => r.status),
      ),
    );
    expect(answers.every((st) => st === 200)).toBe(true);
    const events = await eventsOf(world.database, p.paymentId);
    expect(events.filter((e) => e.type === "transition" && e.toStatus === "paid")).toHaveLength(1);
    expect(events.filter((e) => e.type === "notification")).toHaveLength(1);
    expect(await notificationsOf(world.database, p.paymentId)).toHaveLength(1);
    expect((await paymentRow(world.database, p.paymentId)).status).toBe("paid");
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
