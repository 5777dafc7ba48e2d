import { describe, expect, it } from "vitest";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { payInWidget } from "@/lib/testing/kkiapay-widget";
import { newOrder, paymentRow, sandboxControl, seededCredentials } from "@/lib/testing/payments";
import { keptCandidates } from "../candidates";
import { sweep } from "../reconcile";
import { startPayment } from "../start";

const DEMO = seededCredentials("demo", "kkiapay");

/**
 * Review 3 of issue 12 (candidates.ts of a89a616). The ids a KKiaPay return URL names while they
 * cannot be asked about are kept as a bounded list "so that a made-up id cannot push a genuine one
 * out", but past the cap the oldest goes: the shopper's genuine id, kept first when the status API
 * failed, is pushed out by five made-up ids named on the same URL within the return's 10 s
 * throttle (they cost nothing: no provider call). With the webhook lost, nothing else names that
 * transaction, and the money never lands.
 */
describe.each(TEST_DATABASES)("a genuine transaction id kept from a return URL, on $name", ({ open }) => {
  const world = usePaymentsWorld(open);
  const control = (body: unknown) => sandboxControl(world.app.url, "kkiapay", DEMO.publicKey!, DEMO.privateKey!, "faults", body);

  it("paid, status API down during the return, then five made-up ids on the same URL: the paid transaction is still asked about", async () => {
    const order = await newOrder(world.database, "demo", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "kkiapay", method: "mtn" });
    const back = async (query: string) => {
      const res = await fetch(`${world.app.url}/orders/${order.id}/return?p=${started.paymentId}&${query}`, { redirect: "manual" });
      expect(res.status).toBe(303);
    };
    const paid = await payInWidget(world.app.url, (started.action as { config: Record<string, unknown> }).config, { outcome: "success", fault_dropNotification: "1" });
    await control({ faults: { statusApi: "5xx" } });
    try {
      await back(`transaction_id=${paid.transactionId}`);
    } finally {
      await control({ faults: {} });
    }
    expect(keptCandidates(await paymentRow(world.database, started.paymentId))).toEqual([paid.transactionId]);

    for (let i = 0; i < 5; i++) await back(`transaction_id=made-up-${i}`);
    // Today: the paid id is gone from the list.
    expect(keptCandidates(await paymentRow(world.database, started.paymentId))).toContain(paid.transactionId);

    // The checks that follow, each when due, until the list is asked out.
    for (let i = 0; i < 6; i++) {
      const row = await paymentRow(world.database, started.paymentId);
      if (!row.nextCheckAt || row.status === "paid") break;
      await sweep({ ...world.app.deps(), now: () => new Date(row.nextCheckAt!.getTime() + 1_000) });
    }
    expect(await paymentRow(world.database, started.paymentId)).toMatchObject({ status: "paid", providerReference: paid.transactionId });
  });
});
