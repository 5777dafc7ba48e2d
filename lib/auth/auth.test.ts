import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import * as s from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { getOrderForMerchant, recentOrders } from "@/lib/orders/queries";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { checkCredentials } from "./credentials";
import { loadMerchantContext, ownsResource } from "./membership";
import { can } from "./permissions";

describe.each(TEST_DATABASES)("sign-in and tenant guard on $name", ({ open }) => {
  let database: Database;
  beforeAll(async () => {
    database = await open();
    await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY, orders: 20 });
  });
  afterAll(() => database.close());

  it("accepts the right password, case-insensitively on the e-mail", async () => {
    const user = await checkCredentials(database.db, { email: "Owner@Demo.test", password: "demo-password" });
    expect(user).toMatchObject({ email: "owner@demo.test", name: "Awa Koné" });
  });

  it("refuses a wrong password, an unknown e-mail and malformed input", async () => {
    expect(await checkCredentials(database.db, { email: "owner@demo.test", password: "demo-passwordX" })).toBeNull();
    expect(await checkCredentials(database.db, { email: "owner@demo.test", password: "autre-password" })).toBeNull();
    expect(await checkCredentials(database.db, { email: "nobody@demo.test", password: "demo-password" })).toBeNull();
    expect(await checkCredentials(database.db, { email: "not-an-email", password: "x" })).toBeNull();
    expect(await checkCredentials(database.db, undefined)).toBeNull();
  });

  it("resolves each user to their own merchant and role", async () => {
    const staff = await checkCredentials(database.db, { email: "staff@demo.test", password: "staff-password" });
    const ctx = await loadMerchantContext(database.db, staff!.id);
    expect(ctx).toMatchObject({ role: "staff", merchant: { slug: "demo", currency: "XOF" } });
    expect(can(ctx!, "refund")).toBe(false);
    expect(can(ctx!, "view")).toBe(true);
    expect(await loadMerchantContext(database.db, "usr_unknown")).toBeNull();
  });

  it("never lets the owner of autre read demo's orders", async () => {
    const autreOwner = await checkCredentials(database.db, { email: "owner@autre.test", password: "autre-password" });
    const autre = await loadMerchantContext(database.db, autreOwner!.id);
    expect(autre!.merchant.slug).toBe("autre");

    const [demo] = await database.db.select().from(s.merchants).where(eq(s.merchants.slug, "demo"));
    const [demoOrder] = await recentOrders(database.db, demo!.id, 1);
    expect(demoOrder).toBeDefined();

    expect(await getOrderForMerchant(database.db, demo!.id, demoOrder!.id)).not.toBeNull();
    expect(await getOrderForMerchant(database.db, autre!.merchant.id, demoOrder!.id)).toBeNull();
    expect(ownsResource(autre!, { merchantId: demo!.id })).toBe(false);
    expect(ownsResource(autre!, { merchantId: autre!.merchant.id })).toBe(true);
    expect(ownsResource(autre!, null)).toBe(false);
    const autreOrders = await recentOrders(database.db, autre!.merchant.id, 50);
    expect(autreOrders.length).toBeGreaterThan(0);
    expect(autreOrders.some((o) => o.id === demoOrder!.id)).toBe(false);
  });
});
