import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { newId } from "@/lib/ids";
import { checkLedger } from "@/lib/ledger/invariants";
import type { PaymentDeps } from "@/lib/payments/accounts";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { startHost } from "@/lib/testing/http-host";
import { eventually, newOrder, notificationsOf, paymentRow } from "@/lib/testing/payments";
import { seededMerchantContext } from "@/lib/testing/merchant-context";
import { resolveException } from "../exception-actions";
import { refreshPayment } from "../refresh";
import { refundPayment } from "../refunds";
import { startPayment } from "../start";

/** Review of issue 12 item 6: refunds reserved under a lock, capped by refunds_within_collected. */
describe.each(TEST_DATABASES)("refunds and the collected amount, on $name", ({ open }) => {
  const world = usePaymentsWorld(open);

  /** An iPay M-Pesa STK push, approved on the phone: paid, partial refunds by API. */
  async function paidIpay() {
    const order = await newOrder(world.database, "autre", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "ipay", method: "mpesa", flow: "push" });
    const row = await paymentRow(world.database, started.paymentId);
    await fetch(`${world.app.url}/sandbox/ipay/phone/254722000000`, { method: "POST", body: new URLSearchParams({ sid: row.providerToken!, action: "approve", pin: "1234" }), redirect: "manual" });
    await eventually(() => notificationsOf(world.database, started.paymentId), (n) => n.length === 1 && n[0]!.verdict === "processed");
    expect((await paymentRow(world.database, started.paymentId)).status).toBe("paid");
    return { order, ...started };
  }

  /** iPay's API through a host of the test's choosing. */
  function viaHost(url: string): PaymentDeps {
    const base = world.app.deps();
    return { ...base, timeouts: { initMs: 400, statusMs: 3_000 }, urlsFor: (provider, mode) => (provider === "ipay" ? { ...base.urlsFor(provider, mode), api: `${url}/payments/v2` } : base.urlsFor(provider, mode)) };
  }

  const refundsOf = (paymentId: string) => world.database.db.select().from(s.refunds).where(eq(s.refunds.paymentId, paymentId));

  it("a manual refund of the rest, beside an API refund still pending, does not mark the payment refunded", async () => {
    const p = await paidIpay();
    const part = 10_000;
    // iPay's refund endpoint never answers in time: the API refund stays pending (iPay cannot be
    // asked about a refund, so it stays pending for good).
    const silent = await startHost(() => new Promise<Response>(() => {}));
    try {
      const pending = await refundPayment(viaHost(silent.url), { merchantId: p.order.merchantId, paymentId: p.paymentId, amountMinor: part, reason: "partiel", userId: null, idempotencyKey: newId("rfi") });
      expect(pending).toMatchObject({ kind: "api", refundStatus: "pending", status: "paid" });
    } finally {
      await silent.close();
    }
    // The merchant returns the rest by hand and records it.
    const manual = await refundPayment(world.app.deps(), { merchantId: p.order.merchantId, paymentId: p.paymentId, amountMinor: p.order.amountMinor - part, reason: "reste", userId: null, idempotencyKey: newId("rfi"), manual: true });
    expect((await refundsOf(p.paymentId)).map((r) => r.status).sort()).toEqual(["pending", "succeeded"]);
    // Only the manual part is known to have reached the shopper; settle() would say
    // partially_refunded (it counts succeeded refunds), the manual path counts the pending one too.
    expect(manual.status).toBe("partially_refunded");
    const [order] = await world.database.db.select().from(s.orders).where(eq(s.orders.id, p.order.id));
    expect(order!.status).toBe("partially_refunded");
  });

  it("returning an overpayment's excess from the Exceptions queue leaves the order paid, not partially refunded", async () => {
    const order = await newOrder(world.database, "autre", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "ipay", method: "mpesa" });
    const form = started.action as { url: string; fields: Record<string, string> };
    const opened = await fetch(form.url, { method: "POST", body: new URLSearchParams(form.fields), redirect: "manual" });
    const session = new URL(opened.headers.get("location")!, form.url).toString();
    const chosen = await fetch(session, { method: "POST", body: new URLSearchParams({ channel: "mpesa", outcome: "more", payer_name: "Brian Otieno", payer_phone: "254722000000" }), redirect: "manual" });
    await fetch(chosen.headers.get("location")!, { redirect: "manual" });
    const paid = await paymentRow(world.database, started.paymentId);
    expect(paid).toMatchObject({ status: "paid", flag: "overpaid" });
    expect(paid.paidAmountMinor!).toBeGreaterThan(paid.amountMinor);

    const owner = await seededMerchantContext(world.database, "owner@autre.test");
    expect(await resolveException(world.app.deps(), owner, { paymentId: started.paymentId, action: "refund", token: randomUUID() })).toEqual({ ok: true, outcome: "refunded" });
    // The shopper got back what they paid too much; the order is paid in full, nothing of it was returned.
    const [row] = await world.database.db.select().from(s.orders).where(eq(s.orders.id, order.id));
    expect(row!.status).toBe("paid");
  });

  it("a later check of a refunded payment never lowers what was collected below what was refunded", async () => {
    const p = await paidIpay();
    const refunded = await refundPayment(world.app.deps(), { merchantId: p.order.merchantId, paymentId: p.paymentId, amountMinor: p.order.amountMinor, reason: "retour", userId: null, idempotencyKey: newId("rfi") });
    expect(refunded).toMatchObject({ kind: "api", status: "refunded" });
    // iPay's search, asked again later (a replayed or unsigned callback, the recheck button),
    // reports less than it first did (the figure net of what was refunded, or a flaky answer).
    const sandboxApi = world.app.deps().urlsFor("ipay", "sandbox").api!;
    const lower = await startHost(async (req) => {
      const path = new URL(req.url).pathname.replace(/^\/payments\/v2/, "");
      const answer = await fetch(`${sandboxApi}${path}`, { method: "POST", headers: { "content-type": req.headers.get("content-type") ?? "application/json" }, body: await req.text() });
      const json = (await answer.json()) as { data?: Record<string, unknown> };
      if (path === "/transaction/search" && json.data) json.data.transaction_amount = "10.00";
      return Response.json(json, { status: answer.status });
    });
    try {
      await refreshPayment(viaHost(lower.url), p.paymentId, "test");
    } finally {
      await lower.close();
    }
    const row = await paymentRow(world.database, p.paymentId);
    expect(row.status).toBe("refunded");
    // Today the refunded payment is flagged underpaid and its collected amount rewritten to 1000
    // minor units while 100 % was refunded: refunds_within_collected is broken, and no trigger
    // guards payments.paid_amount_minor.
    expect(row.paidAmountMinor ?? row.amountMinor).toBe(p.order.amountMinor);
    expect((await checkLedger(world.database.db)).map((v) => v.name)).toEqual([]);
  });
});
