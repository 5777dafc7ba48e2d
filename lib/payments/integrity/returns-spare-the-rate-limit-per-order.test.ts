import { describe, expect, it } from "vitest";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { eventsOf, newOrder } from "@/lib/testing/payments";
import { getProvider } from "../registry";
import { startPayment } from "../start";

/**
 * Review 2 of issue 12 (the return throttle of 94ce632). The throttle is per payment (10 s), but
 * a return URL without `p` (or with a `p` of another order) checks every undecided payment of
 * the order, and nothing bounds how many payments an open order has: each "pay" on the order page
 * starts one. A shopper who starts forty CinetPay payments on their own order (forty clicks, or a
 * script) then opens /orders/<id>/return once: forty calls to CinetPay's status API in one request,
 * outside the account's budget (CinetPay allows 30 a minute), every 10 s.
 */
describe.each(TEST_DATABASES)("the return URL of an order with many payments, on $name", ({ open }) => {
  const world = usePaymentsWorld(open);

  it("one return without a payment id spends no more than the account's per-minute status budget", async () => {
    const order = await newOrder(world.database, "demo", 1);
    const started: string[] = [];
    for (let i = 0; i < 40; i++) {
      started.push((await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "cinetpay", method: "orange_money" })).paymentId);
    }
    const res = await fetch(`${world.app.url}/orders/${order.id}/return`, { redirect: "manual" });
    expect(res.status).toBe(303);

    let calls = 0;
    for (const id of started) calls += (await eventsOf(world.database, id)).filter((e) => e.type === "status_check").length;
    const perMinute = getProvider("cinetpay").capabilities.statusRatePerMinute!;
    // Today: 40 status calls for one GET.
    expect(calls).toBeLessThanOrEqual(perMinute);
  });
});
