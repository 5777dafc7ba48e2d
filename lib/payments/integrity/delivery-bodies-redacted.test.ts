import { describe, expect, it } from "vitest";
import { decryptJson } from "@/lib/crypto";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { eventually, newOrder, notificationsOf, paymentRow, statusOf, storedRowsHolding, submitForm } from "@/lib/testing/payments";
import { startPayment } from "../start";

/**
 * Issue 12 (found in review) item 2: the whole delivery is now kept encrypted (request_encrypted), yet
 * notifications.body still keeps the raw body in clear. Orange's notification body carries the
 * payment's notif_token, which Caisse otherwise stores encrypted only (stored_secret_encrypted)
 * and redacts from events: anyone reading the notifications table (a support dump, a read replica,
 * a backup) can forge authentic notifications for that payment.
 */
describe.each(TEST_DATABASES)("per-payment secrets at rest, on $name", ({ open }) => {
  const world = usePaymentsWorld(open);

  it("Orange's notif_token is not kept in clear in the stored delivery", async () => {
    const order = await newOrder(world.database, "demo", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "orange-money", method: "orange_money" });
    await submitForm((started.action as { url: string }).url, { msisdn: "0707070707", otp: "1234", outcome: "SUCCESS" });
    await eventually(statusOf(world.database, started.paymentId), (st) => st === "paid");
    await eventually(() => notificationsOf(world.database, started.paymentId), (n) => n.length === 1 && n[0]!.verdict === "processed");
    const { notifToken } = decryptJson<{ notifToken: string }>((await paymentRow(world.database, started.paymentId)).storedSecretEncrypted!, TEST_ENCRYPTION_KEY);
    expect(notifToken).toMatch(/\w{8,}/);
    expect((await storedRowsHolding(world.database, [notifToken])).holding).toEqual([]);
  });
});
