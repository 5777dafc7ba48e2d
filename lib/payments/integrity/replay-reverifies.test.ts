import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { replayNotification } from "@/lib/dashboard/queues";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { seededMerchantContext } from "@/lib/testing/merchant-context";
import { eventsOf, newOrder, paymentRow, seededCredentials } from "@/lib/testing/payments";
import { startPayment } from "../start";

const DEMO = seededCredentials("demo", "kkiapay");

/**
 * Issue 12 item 7: "Replay" only re-ran a status check, and replaying a rejected (forged)
 * delivery rewrote its verdict to "processed". A replay re-runs the stored delivery through
 * parse → verify → check, and appends; it never overwrites.
 */
describe.each(TEST_DATABASES)("replay re-verifies and never rewrites history, on $name", ({ open }) => {
  const world = usePaymentsWorld(open);

  async function kkiapayPayment() {
    const order = await newOrder(world.database, "demo", 1);
    return startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "kkiapay", method: "mtn" });
  }

  const post = (body: unknown, secret: string) =>
    fetch(`${world.app.url}/api/webhooks/kkiapay/demo`, { method: "POST", headers: { "content-type": "application/json", "x-kkiapay-secret": secret }, body: JSON.stringify(body) });

  it("a forged delivery stays rejected, whatever is replayed, and each replay is an event", async () => {
    const p = await kkiapayPayment();
    const res = await post({ transactionId: "FORGED-1", isPaymentSucces: true, event: "transaction.success", stateData: p.reference }, "not-the-secret");
    expect(res.status).toBe(401);
    const [forged] = await world.database.db.select().from(s.notifications).where(eq(s.notifications.paymentId, p.paymentId));
    expect(forged).toMatchObject({ verdict: "rejected" });
    const ctx = await seededMerchantContext(world.database, "owner@demo.test");
    for (let i = 0; i < 2; i++) {
      expect(await replayNotification(world.app.deps(), ctx, { notificationId: forged!.id })).toMatchObject({ ok: false });
    }
    const [after] = await world.database.db.select().from(s.notifications).where(eq(s.notifications.id, forged!.id));
    expect(after).toMatchObject({ verdict: "rejected", lastError: "authentication failed" });
    expect(await paymentRow(world.database, p.paymentId)).toMatchObject({ status: "pending", providerReference: null });
    const replays = (await eventsOf(world.database, p.paymentId)).filter((e) => e.type === "replay");
    expect(replays).toHaveLength(2);
    expect(replays.every((e) => e.actor === `user:${ctx.user.id}`)).toBe(true);
  });

  it("a genuine delivery is verified again from its encrypted copy before its check runs", async () => {
    const p = await kkiapayPayment();
    const res = await post({ transactionId: "UNKNOWN-AT-KKIAPAY", isPaymentSucces: true, event: "transaction.success", stateData: p.reference }, DEMO.secretKey!);
    expect(res.status).toBe(200);
    const [delivery] = await world.database.db.select().from(s.notifications).where(eq(s.notifications.paymentId, p.paymentId));
    expect(delivery!.requestEncrypted).toMatch(/^v1\./);
    expect(delivery!.body).not.toContain(DEMO.secretKey!);
    const ctx = await seededMerchantContext(world.database, "owner@demo.test");
    expect(await replayNotification(world.app.deps(), ctx, { notificationId: delivery!.id })).toMatchObject({ ok: true, verdict: "authentic" });
    const replays = (await eventsOf(world.database, p.paymentId)).filter((e) => e.type === "replay");
    expect(replays.map((e) => e.data.verdict)).toEqual(["authentic"]);
  });
});
