import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { eventsOf, eventually, newOrder, notificationsOf, paymentRow, statusOf } from "@/lib/testing/payments";
import { refreshPayment } from "./refresh";
import { refundPayment } from "./refunds";
import { startPayment } from "./start";

const PAID = "aei7p7yrx4ae34";

describe.each(TEST_DATABASES)("iPay end to end on $name", ({ open }) => {
  const world = usePaymentsWorld(open);

  async function startHosted(method: "mpesa" | "airtel" | "card" = "mpesa") {
    const order = await newOrder(world.database, "autre", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "ipay", method });
    expect(started.action.type).toBe("form");
    return { order, ...started, form: started.action as { url: string; fields: Record<string, string> } };
  }

  /** The browser auto-posts iPay's form, picks an outcome, and follows iPay's redirect to cbk. */
  async function payHosted(form: { url: string; fields: Record<string, string> }, outcome: string) {
    const opened = await fetch(form.url, { method: "POST", body: new URLSearchParams(form.fields), redirect: "manual" });
    expect(opened.status).toBe(303);
    const session = new URL(opened.headers.get("location")!, form.url).toString();
    const chosen = await fetch(session, { method: "POST", body: new URLSearchParams({ channel: "mpesa", outcome, payer_name: "Brian Otieno", payer_phone: "254722000000" }), redirect: "manual" });
    expect(chosen.status).toBe(302);
    const cbk = chosen.headers.get("location")!;
    const back = await fetch(cbk, { redirect: "manual" });
    expect(back.status).toBe(303);
    return new URL(cbk);
  }

  it("hosted form paid: the browser callback is only a trigger; the search API confirms", async () => {
    const p = await startHosted();
    const cbk = await payHosted(p.form, "paid");
    expect(cbk.searchParams.get("status")).toBe(PAID);
    const row = await paymentRow(world.database, p.paymentId);
    expect(row).toMatchObject({ status: "paid", flag: null });
    expect(row.feeEstimatedMinor).toBe(Math.round(row.amountMinor * 0.03) + 1000);
    expect(row.netMinor).toBe(row.amountMinor - row.feeEstimatedMinor!);
    expect(row.providerReference).toBeTruthy();
    expect((await notificationsOf(world.database, p.paymentId)).map((n) => n.verdict)).toEqual(["processed"]);
  });

  it("paid less is flagged underpaid and never paid; paid more is paid and flagged overpaid", async () => {
    const less = await startHosted();
    await payHosted(less.form, "less");
    expect(await paymentRow(world.database, less.paymentId)).toMatchObject({ status: "pending", flag: "underpaid" });
    const more = await startHosted();
    await payHosted(more.form, "more");
    const row = await paymentRow(world.database, more.paymentId);
    expect(row).toMatchObject({ status: "paid", flag: "overpaid" });
    expect(row.paidAmountMinor).toBeGreaterThan(row.amountMinor);
  });

  it("a forged success callback for an unpaid order changes nothing", async () => {
    const p = await startHosted();
    const forged = new URLSearchParams({ status: PAID, id: p.reference, ivm: p.reference, mc: String(p.order.amountMinor / 100), txncd: "QK12345678", qwh: "1", afd: "2", poi: "3", uyt: "4", ifd: "5", agt: "6" });
    const res = await fetch(`${world.app.url}/orders/${p.order.id}/return?p=${p.paymentId}&${forged}`, { redirect: "manual" });
    expect(res.status).toBe(303);
    const hook = await fetch(`${world.app.url}/api/webhooks/ipay/autre?${forged}`);
    expect(hook.status).toBe(200);
    expect((await paymentRow(world.database, p.paymentId)).status).toBe("pending");
    const notifications = (await eventsOf(world.database, p.paymentId)).filter((e) => e.type === "notification");
    expect(notifications.map((e) => e.data.verdict)).toEqual(["unverifiable"]); // the replay was a duplicate
    const checks = (await eventsOf(world.database, p.paymentId)).filter((e) => e.type === "status_check");
    expect(checks.at(-1)!.data.providerStatus).toBeTruthy();
  });

  it("M-Pesa STK push: approved on the phone, the server callback pays it", async () => {
    const order = await newOrder(world.database, "autre", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "ipay", method: "mpesa", flow: "push" });
    expect(started).toMatchObject({ status: "waiting_for_customer", action: { type: "approve_on_phone", phone: "+254722000000" } });
    const row = await paymentRow(world.database, started.paymentId);
    const phone = await fetch(`${world.app.url}/sandbox/ipay/phone/254722000000`);
    expect(await phone.text()).toContain(`data-sid="${row.providerToken}"`);
    const answer = await fetch(`${world.app.url}/sandbox/ipay/phone/254722000000`, { method: "POST", body: new URLSearchParams({ sid: row.providerToken!, action: "approve", pin: "1234" }), redirect: "manual" });
    expect(answer.status).toBeLessThan(400);
    await eventually(() => notificationsOf(world.database, started.paymentId), (n) => n.length === 1 && n[0]!.verdict === "processed");
    expect((await paymentRow(world.database, started.paymentId)).status).toBe("paid");

    const refund = await refundPayment(world.app.deps(), { merchantId: order.merchantId, paymentId: started.paymentId, amountMinor: 10000, reason: "partial", userId: null });
    expect(refund).toMatchObject({ kind: "api", status: "partially_refunded" });
    const [stored] = await world.database.db.select().from(s.refunds).where(eq(s.refunds.paymentId, started.paymentId));
    expect(stored).toMatchObject({ kind: "api", status: "succeeded", amountMinor: 10000 });
  });

  it("M-Pesa STK push declined: failed with the reason", async () => {
    const order = await newOrder(world.database, "autre", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "ipay", method: "mpesa", flow: "push" });
    const row = await paymentRow(world.database, started.paymentId);
    await fetch(`${world.app.url}/sandbox/ipay/phone/254722000000`, { method: "POST", body: new URLSearchParams({ sid: row.providerToken!, action: "cancelled", pin: "" }), redirect: "manual" });
    await eventually(statusOf(world.database, started.paymentId), (st) => st === "failed");
    expect((await paymentRow(world.database, started.paymentId)).failureCode).toBe("stk_cancelled");
  });

  it("expired: nothing happened within the window", async () => {
    const p = await startHosted("card");
    const row = await paymentRow(world.database, p.paymentId);
    expect(await refreshPayment({ ...world.app.deps(), now: () => new Date(row.expiresAt!.getTime() + 3 * 60_000) }, p.paymentId, "test")).toMatchObject({ status: "expired", changed: true });
  });
});
