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
 * Found by the randomized schedules (issue 18, a KKiaPay outage piece not yet in the generator).
 * KKiaPay's status answers leave out the amount. A shopper pays in the widget, and pays again (two
 * tabs) before Caisse has seen any money stated. The first transaction is the payment's, flagged
 * while its money is unknown; the second was checked once, changed nothing and was forgotten. Once
 * KKiaPay states amounts again the payment is paid by the first, and the second 1,500 F were held
 * by no payment.
 */
describe.each(TEST_DATABASES)("a second paid transaction before any answer stated money, on $name", ({ open }) => {
  const world = usePaymentsWorld(open);
  const faults = (f: Record<string, unknown>) => sandboxControl(world.app.url, "kkiapay", KKIAPAY.publicKey!, KKIAPAY.privateKey!, "faults", { faults: f });

  it("gets a payment of its own, asked again until KKiaPay states the amount, then lands as a double payment", async () => {
    const order = await newOrder(world.database, "demo", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "kkiapay", method: "mtn" });
    const config = (started.action as { config: Record<string, unknown> }).config;

    await faults({ statusAnswerOmits: "amount" });
    let first: string;
    let second: string;
    try {
      first = (await payInWidget(world.app.url, config, { outcome: "success" })).transactionId;
      await eventually(() => notificationsOf(world.database, started.paymentId), (n) => n.some((d) => d.providerReference === first && d.verdict === "processed"));
      second = (await payInWidget(world.app.url, config, { outcome: "success" })).transactionId;
      await eventually(() => notificationsOf(world.database, started.paymentId), (n) => n.some((d) => d.providerReference === second && d.verdict === "processed"));
    } finally {
      await faults({});
    }
    // Nothing is paid while no answer states the money.
    expect((await paymentRow(world.database, started.paymentId)).status).not.toBe("paid");

    const holding = async (transaction: string) => world.database.db.select().from(s.payments).where(eq(s.payments.providerReference, transaction));
    for (let hour = 1; hour <= 2; hour++) await sweep({ ...world.app.deps(), now: () => new Date(Date.now() + hour * 60 * 60_000) });
    const [byFirst] = await holding(first);
    const [bySecond] = await holding(second);
    // Both transactions' money is on a payment of this order: one pays it, the other is a double payment to refund.
    expect([byFirst?.status, bySecond?.status]).toEqual(["paid", "paid"]);
    expect([byFirst!.orderId, bySecond!.orderId]).toEqual([order.id, order.id]);
    expect([byFirst!.flag, bySecond!.flag].filter((f) => f === "double_payment")).toHaveLength(1);
    expect(await checkLedger(world.database.db)).toEqual([]);
  });
});
