import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { checkLedger } from "@/lib/ledger/invariants";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { payInWidget } from "@/lib/testing/kkiapay-widget";
import { eventually, newOrder, notificationsOf, paymentRow } from "@/lib/testing/payments";
import { sweep } from "../reconcile";
import { startPayment } from "../start";

/**
 * Review 2 of issue 12 (recordSecondCollection, 94ce632). Another paid transaction of a collected
 * payment gets a payment row of its own: inserted `created`, with a NEW reference, no expiry, then
 * handed to applyStatus. When the money disagrees (KKiaPay's widget takes its amount from the
 * browser: anyone can open it with the merchant's public key, our reference as `data` and
 * `amount: 1`), applyStatus only flags the new row amount_mismatch and leaves it `created`. Every
 * later check of that row is refused (the transaction claims the first payment's reference, not
 * the new row's: carries_another_reference) before any bookkeeping, so the claim's 60 s lease
 * brings it back every minute, forever: one status call a minute of the account's 60, per
 * 1-franc transaction. Sixty francs stop reconciliation of the merchant's KKiaPay payments.
 */
describe.each(TEST_DATABASES)("a second transaction whose money disagrees, on $name", ({ open }) => {
  const world = usePaymentsWorld(open);

  it("a 1-franc transaction naming a paid payment's reference leaves no undecided payment checked every minute", async () => {
    const order = await newOrder(world.database, "demo", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "kkiapay", method: "mtn" });
    const config = (started.action as { config: Record<string, unknown> }).config;
    await payInWidget(world.app.url, config, { outcome: "success" });
    await eventually(() => paymentRow(world.database, started.paymentId), (r) => r.status === "paid");

    // The same widget config, its amount changed in the browser.
    const small = await payInWidget(world.app.url, { ...config, amount: 1 }, { outcome: "success" });
    await eventually(() => notificationsOf(world.database, started.paymentId), (n) => n.some((d) => d.providerReference === small.transactionId && d.verdict === "processed"));

    const paymentsOfOrder = () => world.database.db.select().from(s.payments).where(eq(s.payments.orderId, order.id));
    // Decided before any row exists: no payment of its own, the paid payment records it for the merchant.
    expect((await paymentsOfOrder()).map((p) => p.id)).toEqual([started.paymentId]);
    const flags = (await world.database.db.select().from(s.paymentEvents).where(eq(s.paymentEvents.paymentId, started.paymentId))).filter((e) => e.type === "flag");
    expect(flags.map((e) => e.data)).toEqual([expect.objectContaining({ flag: "second_transaction", refused: "amount_mismatch", providerReference: small.transactionId, amount: 1 })]);
    // A day later, reconciliation has nothing of this order to check.
    const later = Date.now() + 24 * 60 * 60_000;
    const swept = await sweep({ ...world.app.deps(), now: () => new Date(later) });
    expect(swept.payments.filter((id) => id === started.paymentId)).toEqual([]);
    expect((await paymentsOfOrder()).filter((p) => ["created", "pending", "waiting_for_customer"].includes(p.status))).toEqual([]);
    expect(await checkLedger(world.database.db)).toEqual([]);
  });
});
