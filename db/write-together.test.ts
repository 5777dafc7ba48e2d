import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "@/lib/ids";
import { TEST_DATABASES } from "@/lib/testing/databases";
import type { Database } from "./client";
import * as s from "./schema";
import { writeTogether } from "./write-together";

describe.each(TEST_DATABASES)("writeTogether on $name", ({ open }) => {
  let database: Database;
  let merchantId: string;
  beforeAll(async () => {
    database = await open();
    merchantId = newId("mer");
    await database.db.insert(s.merchants).values({ id: merchantId, slug: `w-${merchantId.slice(4, 12).toLowerCase()}`, name: "W", country: "CI", currency: "XOF" });
  });
  afterAll(() => database.close());

  const order = (id: string) => ({ id, merchantId, reference: id.slice(4, 16), amountMinor: 5000, currency: "XOF", customerName: "A", customerCountry: "CI" });
  const item = (orderId: string) => ({ id: newId("itm"), orderId, name: "x", unitPriceMinor: 5000, quantity: 1, totalMinor: 5000 });

  it("writes a parent and its child in one statement, with the child first as well", async () => {
    const { db } = database;
    const a = newId("ord");
    const b = newId("ord");
    await writeTogether(db, [db.insert(s.orders).values(order(a)), db.insert(s.orderItems).values(item(a))]);
    await writeTogether(db, [db.insert(s.orderItems).values([item(b), item(b)]), db.insert(s.orders).values(order(b))]);
    expect(await db.$count(s.orderItems, eq(s.orderItems.orderId, a))).toBe(1);
    expect(await db.$count(s.orderItems, eq(s.orderItems.orderId, b))).toBe(2);
  });

  it("keeps nothing when one of the writes fails", async () => {
    const { db } = database;
    const a = newId("ord");
    const orphan = newId("ord");
    await expect(writeTogether(db, [db.insert(s.orders).values(order(a)), db.insert(s.orderItems).values(item(orphan))])).rejects.toThrow();
    expect(await db.$count(s.orders, eq(s.orders.id, a))).toBe(0);
  });

  it("runs an update beside an insert", async () => {
    const { db } = database;
    const a = newId("ord");
    await db.insert(s.orders).values(order(a));
    await writeTogether(db, [db.update(s.orders).set({ customerName: "Changed" }).where(eq(s.orders.id, a)), db.insert(s.orderItems).values(item(a))]);
    const [row] = await db.select().from(s.orders).where(eq(s.orders.id, a));
    expect(row!.customerName).toBe("Changed");
    expect(await db.$count(s.orderItems, eq(s.orderItems.orderId, a))).toBe(1);
  });
});
