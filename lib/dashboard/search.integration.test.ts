import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import * as s from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { merchantId } from "@/lib/testing/payments";
import { insertStoreOrder } from "@/lib/testing/store-orders";
import { parseOrderFilters } from "./filters";
import { listOrders } from "./orders";

/**
 * The orders search as customers quote (lib/dashboard/search.ts): any part of a reference, the
 * last digits of a phone in any form, each store's own orders only. Both stores hold an order
 * with the same reference and a phone ending in the same nine digits, so a search that leaked
 * across stores would show it.
 */

const STORES = { demo: { currency: "XOF", timeZone: "Africa/Abidjan" }, autre: { currency: "KES", timeZone: "Africa/Nairobi" } } as const;

describe.each(TEST_DATABASES)("orders search on $name", ({ open }) => {
  let database: Database;
  const ids = { demo: "", autre: "" };
  const found = async (slug: "demo" | "autre", q: string) => {
    const filters = parseOrderFilters({ q }, STORES[slug]);
    return (await listOrders(database.db, ids[slug], filters, 100)).rows.map((r) => r.reference).sort();
  };

  beforeAll(async () => {
    database = await open();
    await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY, orders: 0 });
    ids.demo = await merchantId(database, "demo");
    ids.autre = await merchantId(database, "autre");
    const at = new Date("2026-12-07T10:00:00Z");
    await insertStoreOrder(database, "autre", { reference: "261207-NCK6UR", customerPhone: "+254712345678", customerName: "Brian Otieno", createdAt: at, payment: { status: "paid", paidAt: at } });
    await insertStoreOrder(database, "autre", { reference: "261207-QW3RTY", customerPhone: "+254722000000", customerName: "Wanjiku Kamau", createdAt: at });
    await insertStoreOrder(database, "autre", { reference: "261206-ZZ9ABC", customerPhone: null, createdAt: at });
    // demo: the same reference and a phone ending in the same nine digits.
    await insertStoreOrder(database, "demo", { reference: "261207-NCK6UR", customerPhone: "+225712345678", customerName: "Awa Koné", createdAt: at });
    await insertStoreOrder(database, "demo", { reference: "261207-MNP7KX", customerPhone: "+2250707070707", customerName: "Aminata Traoré", createdAt: at });
  });
  afterAll(async () => {
    await database?.close();
  });

  it("finds an order by any part of its reference, in any case", async () => {
    for (const q of ["NCK6UR", "nck6ur", "CK6", "7-NCK6", "261207-NCK6UR", " NCK 6UR "]) expect(await found("autre", q), q).toEqual(["261207-NCK6UR"]);
    expect(await found("autre", "261207")).toEqual(["261207-NCK6UR", "261207-QW3RTY"]);
    expect(await found("autre", "9ABC")).toEqual(["261206-ZZ9ABC"]);
    expect(await found("autre", "NCK7UR")).toEqual([]);
  });

  it("finds an order by the last digits of the phone, however they are typed", async () => {
    for (const q of ["712 345 678", "+254712345678", "+254 712 345 678", "0712345678", "0712 345 678", "345678", "5678"]) {
      expect(await found("autre", q), q).toEqual(["261207-NCK6UR"]);
    }
    expect(await found("autre", "+255712345678")).toEqual([]);
    expect(await found("demo", "07 07 07 07 07")).toEqual(["261207-MNP7KX"]);
  });

  it("never shows another store's order", async () => {
    // Both stores have a "261207-NCK6UR" and a phone ending in 712345678: each finds its own.
    for (const q of ["NCK6UR", "712 345 678", "345678"]) {
      const rows = async (slug: "demo" | "autre") => (await listOrders(database.db, ids[slug], parseOrderFilters({ q }, STORES[slug]), 100)).rows;
      for (const slug of ["demo", "autre"] as const) {
        const shown = await rows(slug);
        expect(shown.map((r) => r.reference), `${slug}: ${q}`).toEqual(["261207-NCK6UR"]);
        const [owner] = await database.db.select({ merchantId: s.orders.merchantId }).from(s.orders).where(eq(s.orders.id, shown[0]!.id));
        expect(owner!.merchantId, `${slug}: ${q}`).toBe(ids[slug]);
      }
    }
    expect(await found("autre", "MNP7KX")).toEqual([]);
    expect(await found("demo", "MNP7KX")).toEqual(["261207-MNP7KX"]);
    expect(await found("autre", "Awa")).toEqual([]);
    expect(await found("demo", "awa")).toEqual(["261207-NCK6UR"]);
  });

  it("searches nothing for fewer than three characters and reads wildcards as text", async () => {
    const filters = parseOrderFilters({ q: "7" }, STORES.autre);
    expect(filters).toMatchObject({ q: undefined, qError: "search_too_short" });
    expect(await found("autre", "%%%")).toEqual([]);
    expect(await found("autre", "___")).toEqual([]);
    expect(await found("autre", "1_2")).toEqual([]);
  });
});
