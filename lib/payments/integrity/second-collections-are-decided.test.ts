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
    const extra = (await paymentsOfOrder()).filter((p) => p.id !== started.paymentId);
    expect(extra).toHaveLength(1); // the new row: created, amount_mismatch
    // A day later, reconciliation on three sweeps a minute apart.
    const later = Date.now() + 24 * 60 * 60_000;
    const checked: number[] = [];
    for (let minute = 0; minute < 3; minute++) {
      if ((await sweep({ ...world.app.deps(), now: () => new Date(later + minute * 61_000) })).payments.includes(extra[0]!.id)) checked.push(minute);
    }
    // Today: the row is still `created`, refused at every sweep ([0, 1, 2]).
    expect(checked.length).toBeLessThanOrEqual(1);
    expect((await paymentsOfOrder()).filter((p) => ["created", "pending", "waiting_for_customer"].includes(p.status))).toEqual([]);
    expect(await checkLedger(world.database.db)).toEqual([]);
  });
});
