import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkLedger } from "@/lib/ledger/invariants";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { seededMerchantContext } from "@/lib/testing/merchant-context";
import { newOrder, paymentRow } from "@/lib/testing/payments";
import { resolveException } from "../exception-actions";
import { startPayment } from "../start";

/**
 * Review 2 of issue 12 (moveRefunded, 94ce632). A paid payment's net_minor is computed on the
 * price (paidFields: amount_minor − fee), not on what was collected: an overpayment's excess was
 * never in it. moveRefunded lowers net_minor by every refund made, the excess's too, so returning
 * an overpayment's excess from the Exceptions queue (the order stays paid, rightly) takes the
 * excess off the merchant's net a second time: settlements, exports and the overview then show
 * less than the provider pays out (price − fee).
 */
describe.each(TEST_DATABASES)("returning an overpayment's excess and the payment's net, on $name", ({ open }) => {
  const world = usePaymentsWorld(open);

  it("iPay paid more than the price; the excess is refunded from the queue: the net is still the price less the fee", async () => {
    const order = await newOrder(world.database, "autre", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "ipay", method: "mpesa" });
    const form = started.action as { url: string; fields: Record<string, string> };
    const opened = await fetch(form.url, { method: "POST", body: new URLSearchParams(form.fields), redirect: "manual" });
    const session = new URL(opened.headers.get("location")!, form.url).toString();
    const chosen = await fetch(session, { method: "POST", body: new URLSearchParams({ channel: "mpesa", outcome: "more", payer_name: "Brian Otieno", payer_phone: "254722000000" }), redirect: "manual" });
    await fetch(chosen.headers.get("location")!, { redirect: "manual" });
    const paid = await paymentRow(world.database, started.paymentId);
    expect(paid).toMatchObject({ status: "paid", flag: "overpaid" });
    const fee = paid.feeReportedMinor ?? paid.feeEstimatedMinor!;
    // What the merchant keeps of the order: its price, less the fee.
    expect(paid.netMinor).toBe(paid.amountMinor - fee);

    const owner = await seededMerchantContext(world.database, "owner@autre.test");
    expect(await resolveException(world.app.deps(), owner, { paymentId: started.paymentId, action: "refund", token: randomUUID() })).toEqual({ ok: true, outcome: "refunded" });

    const refunded = await paymentRow(world.database, started.paymentId);
    expect(refunded.status).toBe("partially_refunded");
    // The shopper got the excess back; the price, less the fee, is still the merchant's.
    // Today: amount − fee − excess.
    expect(refunded.netMinor).toBe(paid.amountMinor - fee);
    expect(await checkLedger(world.database.db)).toEqual([]);
  });
});
