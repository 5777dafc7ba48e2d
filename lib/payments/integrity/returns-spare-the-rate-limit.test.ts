import { describe, expect, it } from "vitest";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { eventsOf, newOrder, paymentRow, sandboxControl, seededCredentials, submitForm } from "@/lib/testing/payments";
import { sweep } from "../reconcile";
import { startPayment } from "../start";

const CINETPAY = seededCredentials("demo", "cinetpay");

/**
 * Issue 12 (found in review) item 10. The per-account budget covers reconciliation only. The return URL
 * (/orders/<id>/return, a plain unauthenticated GET the shopper holds) asks the provider's status
 * API on every hit, outside the budget. One shopper reloading it (or a script) spends the
 * merchant's whole provider rate limit: the provider answers 429 to reconciliation, which pauses
 * the account, and another shopper's payment whose notification was lost waits behind it.
 */
describe.each(TEST_DATABASES)("the return URL and the account's status budget, on $name", ({ open }) => {
  const world = usePaymentsWorld(open);
  const control = (body: unknown) => sandboxControl(world.app.url, "cinetpay", CINETPAY.siteId!, CINETPAY.secretKey!, "faults", body);

  async function cinetpayPayment() {
    const order = await newOrder(world.database, "demo", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "cinetpay", method: "orange_money" });
    return { order, ...started, pageUrl: (started.action as { url: string }).url };
  }

  it("one shopper's return URL hit in a loop neither exceeds the account's budget nor stalls another shopper's payment", async () => {
    // CinetPay's real limit, as the merchant's account has it (statusRatePerMinute is 30 too).
    await control({ faults: { rateLimitPerMinute: 30 } });
    try {
      const victim = await cinetpayPayment();
      await submitForm(victim.pageUrl, { action: "pay", method: "OM", phone: "0707070707", outcome: "accepted", fault_dropNotification: "1" });
      const idle = await cinetpayPayment();

      for (let i = 0; i < 35; i++) await fetch(`${world.app.url}/orders/${idle.order.id}/return?p=${idle.paymentId}`, { redirect: "manual" });
      const checks = (await eventsOf(world.database, idle.paymentId)).filter((e) => e.type === "status_check");
      // Each GET was one call to CinetPay's status API (the last ones already refused with 429).
      expect(checks.length).toBeLessThanOrEqual(30);

      // Reconciliation, when the victim's payment falls due.
      const due = (await paymentRow(world.database, victim.paymentId)).nextCheckAt!;
      await sweep({ ...world.app.deps(), now: () => new Date(due.getTime() + 1_000) });
      expect((await paymentRow(world.database, victim.paymentId)).status).toBe("paid");
    } finally {
      await control({ faults: {} });
    }
  });
});
