import { describe, expect, it } from "vitest";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { payInWidget } from "@/lib/testing/kkiapay-widget";
import { newOrder, paymentRow, sandboxControl, seededCredentials } from "@/lib/testing/payments";
import { sweep } from "../reconcile";
import { startPayment } from "../start";

const DEMO = seededCredentials("demo", "kkiapay");

/**
 * Issue 12 (found in review) item 2. Signed ids now survive a failed status check; the transaction id of
 * the shopper's return URL does not: when KKiaPay's status API fails (5xx, timeout, 429) during
 * the return, the id is kept nowhere, and every later check of the payment asks about nothing
 * (NO_TRANSACTION_ID) until it expires. KKiaPay's webhook is optional (configured by the
 * merchant in KKiaPay's dashboard) and may be lost; the id could be kept as a candidate (it only
 * binds by the provider's answer, so keeping it unsigned is safe).
 */
describe.each(TEST_DATABASES)("the return's transaction id when the status API fails, on $name", ({ open }) => {
  const world = usePaymentsWorld(open);
  const control = (body: unknown) => sandboxControl(world.app.url, "kkiapay", DEMO.publicKey!, DEMO.privateKey!, "faults", body);

  it("paid in the widget, webhook lost, status API down during the return: reconciliation pays it once the API is back", async () => {
    const order = await newOrder(world.database, "demo", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "kkiapay", method: "mtn" });
    const config = (started.action as { config: Record<string, unknown> }).config;
    const paid = await payInWidget(world.app.url, config, { outcome: "success", fault_dropNotification: "1" });
    await control({ faults: { statusApi: "5xx" } });
    try {
      const back = await fetch(`${world.app.url}/orders/${order.id}/return?p=${started.paymentId}&transaction_id=${paid.transactionId}`, { redirect: "manual" });
      expect(back.status).toBe(303);
    } finally {
      await control({ faults: {} });
    }
    expect((await paymentRow(world.database, started.paymentId)).status).toBe("pending");
    // KKiaPay answers again; reconciliation's next check of the payment comes.
    const due = (await paymentRow(world.database, started.paymentId)).nextCheckAt!;
    await sweep({ ...world.app.deps(), now: () => new Date(due.getTime() + 1_000) });
    expect(await paymentRow(world.database, started.paymentId)).toMatchObject({ status: "paid", providerReference: paid.transactionId });
  });
});
