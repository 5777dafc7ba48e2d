import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { checkLedger } from "@/lib/ledger/invariants";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { startHost } from "@/lib/testing/http-host";
import { confirmOnPhone, payInWidget } from "@/lib/testing/kkiapay-widget";
import { eventually, newOrder, notificationsOf, paymentRow } from "@/lib/testing/payments";
import { refreshPayment } from "../refresh";
import { startPayment } from "../start";

/**
 * Issue 12 (found in review) item 1. One KKiaPay payment (one widget config, our reference as `data`)
 * can produce several KKiaPay transactions: the prompt of the first is still pending when the
 * shopper closes the widget, the order page keeps offering the same widget, and the shopper pays
 * again. Every such transaction names our reference, yet once the first one is bound
 * (payments.provider_reference), refreshPayment ignores any other transaction id a signed
 * webhook or the return URL presents (`candidate` is only read while provider_reference is null)
 * and keeps asking about the first one.
 */
describe.each(TEST_DATABASES)("a second transaction of the same KKiaPay payment, on $name", ({ open }) => {
  const world = usePaymentsWorld(open);

  async function kkiapayPayment() {
    const order = await newOrder(world.database, "demo", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "kkiapay", method: "mtn" });
    return { order, ...started, config: (started.action as { config: Record<string, unknown> }).config };
  }

  const back = (p: { order: { id: string }; paymentId: string }, query: string) => fetch(`${world.app.url}/orders/${p.order.id}/return?p=${p.paymentId}&${query}`, { redirect: "manual" });

  it("the shopper pays in the widget again while the first prompt is pending: the paid transaction pays the payment", async () => {
    const p = await kkiapayPayment();
    // First try: the prompt is sent, the shopper closes the widget (the page sends the pending id).
    const first = await payInWidget(world.app.url, p.config, { outcome: "pending" });
    expect((await back(p, `transaction_id=${first.transactionId}&cancelled=1`)).status).toBe(303);
    expect(await paymentRow(world.database, p.paymentId)).toMatchObject({ status: "pending", providerReference: first.transactionId });

    // The order page still shows the widget for this payment; the shopper pays with it, successfully.
    const second = await payInWidget(world.app.url, p.config, { outcome: "success" });
    expect(second.transactionId).not.toBe(first.transactionId);
    // KKiaPay's signed webhook for the paid transaction is processed…
    await eventually(() => notificationsOf(world.database, p.paymentId), (n) => n.some((d) => d.providerReference === second.transactionId && d.verdict === "processed"));
    // …and the browser comes back with it.
    expect((await back(p, `transaction_id=${second.transactionId}`)).status).toBe(303);

    // KKiaPay collected the money of the second transaction, which names our reference.
    expect(await paymentRow(world.database, p.paymentId)).toMatchObject({ status: "paid", providerReference: second.transactionId });
  });

  it("the money is not lost when the first prompt then fails on the phone", async () => {
    const p = await kkiapayPayment();
    const first = await payInWidget(world.app.url, p.config, { outcome: "pending" });
    await back(p, `transaction_id=${first.transactionId}&cancelled=1`);
    const second = await payInWidget(world.app.url, p.config, { outcome: "success" });
    await eventually(() => notificationsOf(world.database, p.paymentId), (n) => n.some((d) => d.providerReference === second.transactionId && d.verdict === "processed"));
    await back(p, `transaction_id=${second.transactionId}`);
    // The first prompt expires on the phone: its failure webhook arrives.
    await confirmOnPhone(world.app.url, first.transactionId, "failed");
    await eventually(() => notificationsOf(world.database, p.paymentId), (n) => n.some((d) => d.providerReference === first.transactionId && d.verdict === "processed"));

    // Today: the payment is failed, the order open and offering a retry, KKiaPay holds the money.
    const row = await paymentRow(world.database, p.paymentId);
    expect(row.status).toBe("paid");
  });

  it("a transaction answer that lands after another transaction was bound records the paying transaction", async () => {
    const p = await kkiapayPayment();
    // KKiaPay's status API: T-FAILED failed, T-PAID paid; both carry our reference. T-PAID's
    // answer is slow (the return with T-FAILED and the webhook of T-PAID race).
    let releasePaid!: () => void;
    const paidGate = new Promise<void>((resolve) => (releasePaid = resolve));
    const at = new Date(Date.now() + 1_000).toISOString();
    const host = await startHost(async (req) => {
      const { transactionId } = (await req.json()) as { transactionId: string };
      const common = { transactionId, amount: p.order.amountMinor, fees: 19, state: p.reference, performed_at: at, source: "MOBILE_MONEY", source_common_name: "mtn-benin" };
      if (transactionId === "T-PAID") {
        await paidGate;
        return Response.json({ ...common, status: "SUCCESS" });
      }
      return Response.json({ ...common, status: "FAILED", failureCode: "insufficient_fund" });
    });
    try {
      const base = world.app.deps();
      const deps = { ...base, urlsFor: (provider: Parameters<typeof base.urlsFor>[0], mode: Parameters<typeof base.urlsFor>[1]) => ({ ...base.urlsFor(provider, mode), api: host.url }) };
      const paidCheck = refreshPayment(deps, p.paymentId, "notification", { evidence: { providerReference: "T-PAID", authenticated: true } });
      await refreshPayment(deps, p.paymentId, "return", { evidence: { providerReference: "T-FAILED", authenticated: false } });
      expect(await paymentRow(world.database, p.paymentId)).toMatchObject({ status: "failed", providerReference: "T-FAILED" });
      releasePaid();
      expect(await paidCheck).toMatchObject({ status: "paid", changed: true });
    } finally {
      releasePaid();
      await host.close();
    }
    // Paid by T-PAID, but the payment keeps T-FAILED: a refund reverts the failed transaction
    // (KKiaPay: not eligible) and T-PAID is bound to nothing.
    expect(await paymentRow(world.database, p.paymentId)).toMatchObject({ status: "paid", providerReference: "T-PAID" });
  });

  it("two tabs on the same payment, both paid: the second transaction is recorded for a refund, not silently dropped", async () => {
    const p = await kkiapayPayment();
    // The order page shows the same payment's widget in both tabs; the shopper pays in each.
    const first = await payInWidget(world.app.url, p.config, { outcome: "success" });
    await eventually(() => paymentRow(world.database, p.paymentId), (r) => r.status === "paid");
    const second = await payInWidget(world.app.url, p.config, { outcome: "success" });
    await eventually(() => notificationsOf(world.database, p.paymentId), (n) => n.some((d) => d.providerReference === second.transactionId && d.verdict === "processed"));
    await back(p, `transaction_id=${second.transactionId}`);
    expect((await paymentRow(world.database, p.paymentId)).providerReference).toBe(first.transactionId);

    // KKiaPay collected both. Today nothing in Caisse records the second transaction: no payment,
    // no double_payment flag, no exception; the merchant keeps money nobody can see to refund.
    const holding = await world.database.db.select().from(s.payments).where(eq(s.payments.providerReference, second.transactionId));
    expect(holding).toHaveLength(1);
  });

  // Every transaction that collected now has its payment, so the ledger holds. (Its rules cannot
  // see money a provider holds that no payment records: that is what the flows above check.)
  it("ledger:check holds after these flows", async () => {
    expect(await checkLedger(world.database.db)).toEqual([]);
  });
});
