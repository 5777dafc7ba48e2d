import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { checkLedger } from "@/lib/ledger/invariants";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { payInWidget } from "@/lib/testing/kkiapay-widget";
import { eventually, newOrder, notificationsOf, paymentRow, sandboxControl, seededCredentials } from "@/lib/testing/payments";
import { sweep } from "../reconcile";
import { startPayment } from "../start";

const KKIAPAY = seededCredentials("demo", "kkiapay");

/**
 * Found by the randomized schedules (issue 18). A shopper pays a collected KKiaPay payment a second
 * time (the widget used again, two tabs) while KKiaPay's status answer leaves out the amount. That
 * answer proves nothing about the money, yet the second transaction was refused as if its money
 * disagreed (amount_mismatch): a flag event on the paid payment, no payment of its own, never asked
 * about again. The shopper's honest second payment was lost to the merchant's books.
 */
describe.each(TEST_DATABASES)("a second transaction whose answer leaves out the money, on $name", ({ open }) => {
  const world = usePaymentsWorld(open);
  const faults = (f: Record<string, unknown>) => sandboxControl(world.app.url, "kkiapay", KKIAPAY.publicKey!, KKIAPAY.privateKey!, "faults", { faults: f });

  it("is asked about again, and lands as a double payment once KKiaPay states the amount", async () => {
    const order = await newOrder(world.database, "demo", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "kkiapay", method: "mtn" });
    const config = (started.action as { config: Record<string, unknown> }).config;
    await payInWidget(world.app.url, config, { outcome: "success" });
    await eventually(() => paymentRow(world.database, started.paymentId), (r) => r.status === "paid");

    await faults({ statusAnswerOmits: "amount" });
    let second: string;
    try {
      second = (await payInWidget(world.app.url, config, { outcome: "success" })).transactionId;
      await eventually(() => notificationsOf(world.database, started.paymentId), (n) => n.some((d) => d.providerReference === second && d.verdict === "processed"));
    } finally {
      await faults({});
    }

    const held = () => world.database.db.select().from(s.payments).where(eq(s.payments.providerReference, second));
    // Not refused for money nobody stated: a payment of its own holds the transaction, for a person to see meanwhile.
    expect(await held()).toEqual([expect.objectContaining({ orderId: order.id, status: "created", flag: "amount_mismatch" })]);
    // Reconciliation asks again; KKiaPay now states the amount: a collected double payment.
    await sweep({ ...world.app.deps(), now: () => new Date(Date.now() + 60 * 60_000) });
    expect(await held()).toEqual([expect.objectContaining({ status: "paid", flag: "double_payment", amountMinor: order.amountMinor })]);
    expect((await paymentRow(world.database, started.paymentId)).status).toBe("paid");
    expect(await checkLedger(world.database.db)).toEqual([]);
  });
});
