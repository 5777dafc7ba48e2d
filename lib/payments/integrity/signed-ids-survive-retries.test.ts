import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { seededMerchantContext } from "@/lib/testing/merchant-context";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { payInWidget } from "@/lib/testing/kkiapay-widget";
import { eventually, newOrder, notificationsOf, paymentRow, sandboxControl, seededCredentials } from "@/lib/testing/payments";
import { replayNotification } from "@/lib/dashboard/queues";
import { processDelivery } from "../notifications";
import { startPayment } from "../start";

const DEMO = seededCredentials("demo", "kkiapay");

/**
 * Issue 12 item 2: KKiaPay's webhook is the only signed carrier of the transaction id. When the
 * status API failed during the webhook, every later check (reconciliation's retry, the
 * dashboard's replay) must ask about that transaction, or the paid payment expires: KKiaPay was
 * answered 200 and never sends it again.
 */
describe.each(TEST_DATABASES)("signed provider ids survive retries, on $name", ({ open }) => {
  const world = usePaymentsWorld(open);
  const control = (body: unknown) => sandboxControl(world.app.url, "kkiapay", DEMO.publicKey!, DEMO.privateKey!, "faults", body);

  async function paidWhileStatusApiDown() {
    const order = await newOrder(world.database, "demo", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "kkiapay", method: "mtn" });
    const config = (started.action as { config: Record<string, unknown> }).config;
    await control({ faults: { statusApi: "5xx" } });
    try {
      await payInWidget(world.app.url, config, { outcome: "success" });
      const [delivery] = await eventually(() => notificationsOf(world.database, started.paymentId), (n) => n.length === 1 && n[0]!.attempts === 1);
      expect(delivery!.processedAt).toBeNull();
      expect(delivery!.lastError).toBe("provider_unavailable");
      expect(await paymentRow(world.database, started.paymentId)).toMatchObject({ status: "pending", providerReference: null });
      return { ...started, delivery: delivery! };
    } finally {
      await control({ faults: {} });
    }
  }

  it("reconciliation's retry of the delivery asks about the webhook's transaction and pays it", async () => {
    const p = await paidWhileStatusApiDown();
    // What reconciliation runs for a stuck delivery: its id and payment, nothing else.
    await processDelivery(world.app.deps(), p.delivery.id, p.paymentId);
    expect(await paymentRow(world.database, p.paymentId)).toMatchObject({ status: "paid", providerReferenceRule: "reference" });
    const [delivery] = await notificationsOf(world.database, p.paymentId);
    expect(delivery).toMatchObject({ verdict: "processed", nextAttemptAt: null });
  });

  it("a failed retry backs off instead of being retried at once", async () => {
    const p = await paidWhileStatusApiDown();
    expect(p.delivery.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now() + 10_000);
  });

  it("the dashboard's replay re-verifies the stored webhook and pays it", async () => {
    const p = await paidWhileStatusApiDown();
    const ctx = await seededMerchantContext(world.database, "owner@demo.test");
    expect(await replayNotification(world.app.deps(), ctx, { notificationId: p.delivery.id })).toMatchObject({ ok: true, verdict: "authentic" });
    expect((await paymentRow(world.database, p.paymentId)).status).toBe("paid");
    const [stored] = await world.database.db.select().from(s.notifications).where(eq(s.notifications.id, p.delivery.id));
    expect(stored!.providerReference).toBe((await paymentRow(world.database, p.paymentId)).providerReference);
  });
});
