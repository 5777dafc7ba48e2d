import { describe, expect, it } from "vitest";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { eventsOf, newOrder } from "@/lib/testing/payments";
import { startPayment } from "../start";

/**
 * Review 2 of issue 12 (the return throttle of 94ce632). handleReturn skips the provider call when
 * payments.last_checked_at is under 10 s old. Only applyStatus and the error path write
 * last_checked_at; a check whose transaction id is refused (refuseBinding) or another
 * transaction's answer that collected nothing (otherTransaction) leave it as it was. Appending
 * any transaction_id to a KKiaPay payment's return URL therefore makes every hit one call to
 * KKiaPay's status API again, outside the account's budget: the throttle is undone by a query
 * parameter.
 */
describe.each(TEST_DATABASES)("the return throttle and refused transaction ids, on $name", ({ open }) => {
  const world = usePaymentsWorld(open);

  it("twenty hits of a return URL carrying a made-up transaction id ask KKiaPay at most once", async () => {
    const order = await newOrder(world.database, "demo", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "kkiapay", method: "mtn" });
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${world.app.url}/orders/${order.id}/return?p=${started.paymentId}&transaction_id=made-up-${i}`, { redirect: "manual" });
      expect(res.status).toBe(303);
    }
    // Each refused check records the exchange with KKiaPay it made (the check of the payment's own
    // transaction that follows a refusal has none to make while it is bound to none: empty trace).
    const exchanged = (trace: unknown) => typeof trace === "object" && trace !== null && Object.keys(trace).length > 0;
    const calls = (await eventsOf(world.database, started.paymentId)).filter((e) => exchanged((e.data as { trace?: unknown }).trace) && e.type !== "init_response");
    // Today: 20, one status call per hit, all within a second or two.
    expect(calls.length).toBeLessThanOrEqual(1);
  });
});
