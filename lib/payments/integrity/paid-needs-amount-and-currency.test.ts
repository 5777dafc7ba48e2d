import { describe, expect, it } from "vitest";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { kkiapayAnswering } from "@/lib/testing/kkiapay-answering";
import { eventsOf, newOrder, paymentRow } from "@/lib/testing/payments";
import { refreshPayment } from "../refresh";
import { startPayment } from "../start";

/**
 * Issue 12 item 8: the amount check passed when the provider's "paid" answer omitted the amount.
 * Now such an answer is a mismatch: flagged, never paid, and asked about again later.
 */
describe.each(TEST_DATABASES)("a paid answer must state the amount, on $name", ({ open }) => {
  const world = usePaymentsWorld(open);

  async function checkAnswered(fields: Record<string, unknown>) {
    const order = await newOrder(world.database, "demo", 1);
    const p = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "kkiapay", method: "mtn" });
    const { host, deps } = await kkiapayAnswering(world.app.deps(), (transactionId) => ({ status: "SUCCESS", transactionId, state: p.reference, ...fields }));
    try {
      const outcome = await refreshPayment(deps, p.paymentId, "test", { evidence: { providerReference: `KKP-${order.id}`, authenticated: true } }).catch((e: unknown) => e);
      return { outcome, row: await paymentRow(world.database, p.paymentId), events: await eventsOf(world.database, p.paymentId) };
    } finally {
      await host.close();
    }
  }

  it("SUCCESS without an amount is flagged amount_mismatch, not paid, and checked again later", async () => {
    const { outcome, row, events } = await checkAnswered({});
    expect(outcome).toMatchObject({ status: "pending", changed: false, flag: "amount_mismatch" });
    expect(row).toMatchObject({ status: "pending", flag: "amount_mismatch" });
    expect(row.nextCheckAt).not.toBeNull();
    expect(events.filter((e) => e.type === "flag").map((e) => e.data.flag)).toEqual(["amount_mismatch"]);
  });

  it("SUCCESS with an unreadable amount is refused as an unreadable answer: not paid, checked again later", async () => {
    const { outcome, row } = await checkAnswered({ amount: "cinq mille" });
    expect(outcome).toMatchObject({ code: "unexpected_response" });
    expect(row).toMatchObject({ status: "pending", flag: null });
    expect(row.nextCheckAt).not.toBeNull();
  });
});
