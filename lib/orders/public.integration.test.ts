import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import * as s from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { newId, newPaymentReference } from "@/lib/ids";
import { applyTransition } from "@/lib/payments/transitions";
import { RACES_NEED_A_SERVER, TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { newOrder } from "@/lib/testing/payments";
import { getPublicOrder, orderShopAccounts } from "./public";

/**
 * The order page reads the order and its merchant's provider accounts side by side, both by the
 * order id alone (lib/checkout/shopper-pages.ts): each must still find exactly that order's rows.
 */
describe.each(TEST_DATABASES)("the order page's reads, on $name", ({ name, open }) => {
  let database: Database;
  beforeAll(async () => {
    database = await open();
    await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY });
  });
  afterAll(async () => database?.close());

  const accountsOf = (merchantId: string) =>
    database.db.select({ provider: s.providerAccounts.provider, enabled: s.providerAccounts.enabled }).from(s.providerAccounts).where(eq(s.providerAccounts.merchantId, merchantId)).orderBy(asc(s.providerAccounts.provider));
  const byProvider = (list: { provider: string }[]) => [...list].sort((a, b) => a.provider.localeCompare(b.provider));

  it("finds the accounts of the order's own merchant, not another's", async () => {
    const demo = await newOrder(database, "demo");
    const autre = await newOrder(database, "autre");
    // The seed gives both merchants the same providers: one disabled account tells them apart.
    const [first] = await accountsOf(autre.merchantId);
    await database.db.update(s.providerAccounts).set({ enabled: false }).where(and(eq(s.providerAccounts.merchantId, autre.merchantId), eq(s.providerAccounts.provider, first!.provider)));
    const demoAccounts = await accountsOf(demo.merchantId);
    const autreAccounts = await accountsOf(autre.merchantId);
    expect(demoAccounts.length).toBeGreaterThan(0);
    expect(demoAccounts).not.toEqual(autreAccounts);
    expect(byProvider(await orderShopAccounts(database.db, demo.id))).toEqual(byProvider(demoAccounts));
    expect(byProvider(await orderShopAccounts(database.db, autre.id))).toEqual(byProvider(autreAccounts));
  });

  it("finds nothing for an unknown id or one holding a control character", async () => {
    const demo = await newOrder(database, "demo");
    expect(await orderShopAccounts(database.db, "ord_unknown")).toEqual([]);
    expect(await orderShopAccounts(database.db, `${demo.id}\u0000`)).toEqual([]);
    expect(await getPublicOrder(database.db, "ord_unknown")).toBeNull();
  });

  it("returns the order with its items and attempts read beside it", async () => {
    const demo = await newOrder(database, "demo", 3);
    const order = await getPublicOrder(database.db, demo.id);
    expect(order?.id).toBe(demo.id);
    expect(order?.merchant.slug).toBe("demo");
    expect(order?.items.map((i) => i.quantity)).toEqual([3]);
    expect(order?.payments).toEqual([]);
  });

  // The order and its attempts once came from two statements run side by side: a payment made
  // paid between them gave a "paid" order without its receipt (the poller then stopped: the page
  // stayed so, e2e on CI), or a paid attempt on an open order offering "pay another way".
  it("reads the order and its attempts as of one moment while payments are being made paid", async ({ skip }) => {
    if (name === "pglite") skip(RACES_NEED_A_SERVER);
    const pending = await Promise.all(
      Array.from({ length: 40 }, async () => {
        const order = await newOrder(database, "demo", 1);
        const id = newId("pay");
        await database.db.insert(s.payments).values({ id, orderId: order.id, merchantId: order.merchantId, provider: "cinetpay", method: "mtn", reference: newPaymentReference(), amountMinor: order.amountMinor, currency: order.currency, status: "pending" });
        return { orderId: order.id, paymentId: id };
      }),
    );
    const torn: string[] = [];
    let paying = true;
    const readers = pending.map(async ({ orderId }) => {
      // Each order is read over and over until every payment is made: some reads land on its commit.
      while (paying) {
        const order = (await getPublicOrder(database.db, orderId))!;
        const paidAttempt = order.payments.some((p) => p.paidAt !== null || p.status === "paid");
        if ((order.status === "paid") !== paidAttempt) torn.push(`${order.status} with attempts ${order.payments.map((p) => p.status).join(",")}`);
      }
    });
    for (const { paymentId } of pending) {
      expect(await applyTransition(database.db, { paymentId, to: "paid", actor: "test", patch: { paidAt: new Date() } })).toMatchObject({ applied: true });
    }
    paying = false;
    await Promise.all(readers);
    expect(torn).toEqual([]);
    // Read back as a plain select gives them: dates as Dates, the newest attempt first.
    const second = newId("pay");
    await database.db.insert(s.payments).values({ id: second, orderId: pending[0]!.orderId, merchantId: (await newOrder(database, "demo")).merchantId, provider: "kkiapay", method: "mtn", reference: newPaymentReference(), amountMinor: 100, currency: "XOF", status: "pending", nextAction: { type: "widget" } });
    const [latest, paid] = (await getPublicOrder(database.db, pending[0]!.orderId))!.payments;
    expect(latest).toMatchObject({ id: second, provider: "kkiapay", status: "pending", nextAction: { type: "widget" }, paidAt: null });
    expect(latest!.createdAt).toBeInstanceOf(Date);
    expect(paid).toMatchObject({ id: pending[0]!.paymentId, status: "paid" });
    expect(paid!.paidAt).toBeInstanceOf(Date);
  });
});
