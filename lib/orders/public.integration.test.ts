import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import * as s from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { newOrder } from "@/lib/testing/payments";
import { getPublicOrder, orderShopAccounts } from "./public";

/**
 * The order page reads the order and its merchant's provider accounts side by side, both by the
 * order id alone (lib/checkout/shopper-pages.ts): each must still find exactly that order's rows.
 */
describe.each(TEST_DATABASES)("the order page's reads, on $name", ({ open }) => {
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
});
