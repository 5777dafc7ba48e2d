import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { parseMoney } from "@/lib/money";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { eventsOf, eventually, newOrder, notificationsOf, paymentRow, statusOf } from "@/lib/testing/payments";
import { sweep } from "./reconcile";
import { refreshPayment } from "./refresh";
import { refundPayment } from "./refunds";
import { startPayment } from "./start";
import { UNSIGNED_CHECK_INTERVAL_MS } from "./unsigned-checks";

const PAID = "aei7p7yrx4ae34";
const FAILED = "fe2707etr5s4wq";
const USED = "cr5i3pgy9867e1";

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

  /**
   * NEEDS THE SERVICE HOOK (issue 12 item 9): the notification's `evidence` handed to
   * provider.getStatus (processDelivery → refreshPayment → getStatus(handle, ctx, evidence)), the
   * StatusResult's attemptOutcome stored in payments.attempt_outcome, and the received amount of
   * an underpaid payment stored in payments.paid_amount_minor with its flag.
   */
  describe("IPN outcomes [service hook]", () => {
    const received = (cbk: URL) => parseMoney(cbk.searchParams.get("mc")!, "KES")!;

    it("paid less: flagged underpaid with the amount received, never paid", async () => {
      const p = await startHosted();
      const cbk = await payHosted(p.form, "less");
      const row = await paymentRow(world.database, p.paymentId);
      expect(received(cbk)).toBeLessThan(row.amountMinor);
      expect(row).toMatchObject({ status: "pending", flag: "underpaid", paidAt: null });
      const flag = (await eventsOf(world.database, p.paymentId)).find((e) => e.type === "flag");
      expect(flag?.data).toMatchObject({ flag: "underpaid", provider: { received: received(cbk), currency: "KES" } });
      expect(row.paidAmountMinor).toBe(received(cbk));
    });

    it("paid more: paid, flagged overpaid, with the amount received", async () => {
      const p = await startHosted();
      const cbk = await payHosted(p.form, "more");
      const row = await paymentRow(world.database, p.paymentId);
      expect(received(cbk)).toBeGreaterThan(row.amountMinor);
      expect(row).toMatchObject({ status: "paid", flag: "overpaid", paidAmountMinor: received(cbk) });
    });

    it.each([
      ["failed", FAILED],
      ["used", USED],
    ] as const)("%s: the payment stays open, and the attempt's outcome is kept for the order page", async (outcome, code) => {
      const p = await startHosted();
      const cbk = await payHosted(p.form, outcome);
      expect(cbk.searchParams.get("status")).toBe(code);
      const row = await paymentRow(world.database, p.paymentId);
      expect(row).toMatchObject({ status: "pending", failureCode: null, attemptOutcome: outcome });
      const checks = (await eventsOf(world.database, p.paymentId)).filter((e) => e.type === "status_check");
      expect(checks.at(-1)!.data).toMatchObject({ providerStatus: code, status: "pending" });
    });

    it("a forged callback with made-up ids: the IPN is asked, the payment is not failed, and the real payment still goes through", async () => {
      const p = await startHosted();
      const forged = new URLSearchParams({ status: FAILED, id: p.reference, ivm: p.reference.slice(-15), mc: "0.00", txncd: "", qwh: "11", afd: "22", poi: "33", uyt: "44", ifd: "55", agt: "66" });
      expect((await fetch(`${world.app.url}/api/webhooks/ipay/autre?${forged}`)).status).toBe(200);
      const checks = (await eventsOf(world.database, p.paymentId)).filter((e) => e.type === "status_check");
      // iPay answers "failed" for ids it never issued: heard, and still not a failed payment.
      expect(checks.at(-1)!.data).toMatchObject({ providerStatus: FAILED, status: "pending" });
      expect(await paymentRow(world.database, p.paymentId)).toMatchObject({ status: "pending", failureCode: null });
      await payHosted(p.form, "paid");
      // The real callback came within 10 s of the forged one's check: it waits for the next
      // check (one per payment every 10 s for what anyone can send), which reconciliation makes.
      expect((await paymentRow(world.database, p.paymentId)).status).toBe("pending");
      await sweep({ ...world.app.deps(), now: () => new Date(Date.now() + UNSIGNED_CHECK_INTERVAL_MS) });
      expect(await paymentRow(world.database, p.paymentId)).toMatchObject({ status: "paid", flag: null });
    });
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

  it("M-Pesa STK push timed out: the payment stays open (M-Pesa may still report it) and the shopper is told", async () => {
    const order = await newOrder(world.database, "autre", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "ipay", method: "mpesa", flow: "push" });
    const row = await paymentRow(world.database, started.paymentId);
    await fetch(`${world.app.url}/sandbox/ipay/phone/254722000000`, { method: "POST", body: new URLSearchParams({ sid: row.providerToken!, action: "timed_out", pin: "" }), redirect: "manual" });
    await eventually(() => notificationsOf(world.database, started.paymentId), (n) => n.length === 1 && n[0]!.verdict === "processed");
    expect(await paymentRow(world.database, started.paymentId)).toMatchObject({ status: "pending", attemptOutcome: "timed_out", failureCode: null });
  });

  it("expired: nothing happened within the window", async () => {
    const p = await startHosted("card");
    const row = await paymentRow(world.database, p.paymentId);
    expect(await refreshPayment({ ...world.app.deps(), now: () => new Date(row.expiresAt!.getTime() + 3 * 60_000) }, p.paymentId, "test")).toMatchObject({ status: "expired", changed: true });
  });
});
