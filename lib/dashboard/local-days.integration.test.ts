import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "@/db/client";
import { seedDemo } from "@/db/seed";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { migrateToLatest, migrationsBefore } from "@/lib/testing/migrations";
import { merchantId } from "@/lib/testing/payments";
import { expectOverviewMatchesRaw } from "@/lib/testing/rollup-oracle";
import { insertStoreOrder } from "@/lib/testing/store-orders";
import { parseOrderFilters } from "./filters";
import { listOrders } from "./orders";
import { dailyVolume, overviewStats } from "./overview";
import { rowsOf } from "@/db/rows";

/**
 * Store-local days (issue 16) around one midnight: an order paid at 22:30 UTC on 6 December is
 * on the 6th in Abidjan (UTC+0) and at 01:30 on the 7th in Nairobi (UTC+3), one paid at 20:30
 * UTC is on the 6th in both. Rollups, overview, daily volume and the date filter must agree.
 */

const LATE = new Date("2026-12-06T22:30:00Z");
const EVENING = new Date("2026-12-06T20:30:00Z");
/** A week later: the 7-day period starts on the 7th, the local midnight in between. */
const NOW = new Date("2026-12-13T12:00:00Z");
const ZONES = { demo: "Africa/Abidjan", autre: "Africa/Nairobi" } as const;

async function addMidnightOrders(database: Database) {
  for (const slug of ["demo", "autre"] as const) {
    await insertStoreOrder(database, slug, { reference: `${slug.toUpperCase()}-LATE`, amountMinor: 7_000, createdAt: LATE, payment: { status: "paid", paidAt: new Date(LATE.getTime() + 10 * 60_000) } });
    await insertStoreOrder(database, slug, { reference: `${slug.toUpperCase()}-EVENING`, amountMinor: 3_000, createdAt: EVENING, payment: { status: "paid", paidAt: new Date(EVENING.getTime() + 10 * 60_000) } });
  }
}

/** The days the rollups hold for a store: orders per day and paid volume per day. */
async function rollupDays(db: Db, id: string) {
  const orders = rowsOf<{ day: string; n: number }>(await db.execute(sql`select day::text as day, orders_count as n from order_daily_counts where merchant_id = ${id} and orders_count <> 0 order by 1`));
  const paid = rowsOf<{ day: string; amount: string }>(
    await db.execute(sql`select day::text as day, sum(paid_amount_minor)::text as amount from payment_daily_stats where merchant_id = ${id} group by 1 having sum(paid_amount_minor) <> 0 order by 1`),
  );
  return { orders: orders.map((r) => [r.day, Number(r.n)]), paid: paid.map((r) => [r.day, Number(r.amount)]) };
}

const EXPECTED_DAYS = {
  demo: { orders: [["2026-12-06", 2]], paid: [["2026-12-06", 10_000]] },
  autre: { orders: [["2026-12-06", 1], ["2026-12-07", 1]], paid: [["2026-12-06", 3_000], ["2026-12-07", 7_000]] },
};

describe.each(TEST_DATABASES)("store-local days on $name", ({ open }) => {
  let database: Database;
  const ids = { demo: "", autre: "" };

  beforeAll(async () => {
    database = await open();
    await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY, orders: 0 });
    ids.demo = await merchantId(database, "demo");
    ids.autre = await merchantId(database, "autre");
    await addMidnightOrders(database);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("buckets an order at 22:30 UTC on the 6th in Abidjan, on the 7th (01:30) in Nairobi", async () => {
    expect(await rollupDays(database.db, ids.demo)).toEqual(EXPECTED_DAYS.demo);
    expect(await rollupDays(database.db, ids.autre)).toEqual(EXPECTED_DAYS.autre);
  });

  it("starts the overview's period at the store's midnight", async () => {
    const nairobi = await overviewStats(database.db, { id: ids.autre, timeZone: ZONES.autre }, "7d", NOW);
    expect(nairobi).toMatchObject({ orderCount: 1, volumeMinor: 7_000, collected: 1 });
    expect(nairobi.since.toISOString()).toBe("2026-12-06T21:00:00.000Z");
    const abidjan = await overviewStats(database.db, { id: ids.demo, timeZone: ZONES.demo }, "7d", NOW);
    expect(abidjan).toMatchObject({ orderCount: 0, volumeMinor: 0, collected: 0 });
    const daily = await dailyVolume(database.db, { id: ids.autre, timeZone: ZONES.autre }, "7d", NOW);
    expect(daily[0]).toEqual({ day: "2026-12-07", volumeMinor: 7_000 });
    expect(daily.at(-1)!.day).toBe("2026-12-13");
    for (const slug of ["demo", "autre"] as const) {
      for (const period of ["7d", "30d"] as const) await expectOverviewMatchesRaw(database.db, ids[slug], period, NOW);
    }
  });

  it("filters 'from the 7th to the 7th' from the store's midnight to the next", async () => {
    const shown = async (slug: "demo" | "autre", day: string) =>
      (await listOrders(database.db, ids[slug], parseOrderFilters({ from: day, to: day }, { currency: slug === "demo" ? "XOF" : "KES", timeZone: ZONES[slug] }), 50)).rows.map((r) => r.reference).sort();
    expect(await shown("autre", "2026-12-07")).toEqual(["AUTRE-LATE"]);
    expect(await shown("autre", "2026-12-06")).toEqual(["AUTRE-EVENING"]);
    expect(await shown("demo", "2026-12-06")).toEqual(["DEMO-EVENING", "DEMO-LATE"]);
    expect(await shown("demo", "2026-12-07")).toEqual([]);
  });

  it("re-buckets a store's history when its zone changes", async () => {
    await database.db.execute(sql`update merchants set time_zone = 'Africa/Nairobi' where id = ${ids.demo}`);
    try {
      expect(await rollupDays(database.db, ids.demo)).toEqual({ orders: [["2026-12-06", 1], ["2026-12-07", 1]], paid: [["2026-12-06", 3_000], ["2026-12-07", 7_000]] });
      await expectOverviewMatchesRaw(database.db, ids.demo, "7d", NOW);
    } finally {
      await database.db.execute(sql`update merchants set time_zone = ${ZONES.demo} where id = ${ids.demo}`);
    }
    expect(await rollupDays(database.db, ids.demo)).toEqual(EXPECTED_DAYS.demo);
  });

  it("has an oracle that catches UTC days in a Nairobi store", async () => {
    // The rollups as the UTC triggers kept them: rebuilt while the store read as UTC, the zone
    // then put back without the re-bucketing.
    await database.db.execute(sql`alter table merchants disable trigger merchants_dashboard_zone`);
    try {
      await database.db.execute(sql`update merchants set time_zone = 'UTC' where id = ${ids.autre}`);
      await database.db.execute(sql`select rebuild_dashboard_rollups(${ids.autre})`);
      await database.db.execute(sql`update merchants set time_zone = ${ZONES.autre} where id = ${ids.autre}`);
      expect((await rollupDays(database.db, ids.autre)).orders).toEqual([["2026-12-06", 2]]);
      await expect(expectOverviewMatchesRaw(database.db, ids.autre, "7d", NOW)).rejects.toThrow(/7d figures/);
    } finally {
      await database.db.execute(sql`alter table merchants enable trigger merchants_dashboard_zone`);
      await database.db.execute(sql`select rebuild_dashboard_rollups(${ids.autre})`);
    }
    await expectOverviewMatchesRaw(database.db, ids.autre, "7d", NOW);
  });
});

/**
 * The two stores and their late orders as the code before 0014 wrote them, in plain SQL naming
 * only the columns of that schema: today's seed and helpers write columns added since.
 */
async function writeOldStores(database: Database) {
  const at = (d: Date) => d.toISOString();
  for (const [slug, currency, country] of [["demo", "XOF", "CI"], ["autre", "KES", "KE"]] as const) {
    const mid = `mer_old_${slug}`;
    const account = `pac_old_${slug}`;
    await database.db.execute(sql`insert into merchants (id, slug, name, country, currency, time_zone) values (${mid}, ${slug}, ${slug}, ${country}, ${currency}, ${ZONES[slug]})`);
    await database.db.execute(sql`insert into provider_accounts (id, merchant_id, provider, sandbox_public_id, sandbox_credentials_encrypted) values (${account}, ${mid}, 'cinetpay', ${`old-${slug}`}, 'x')`);
    for (const [name, amount, createdAt] of [["LATE", 7_000, LATE], ["EVENING", 3_000, EVENING]] as const) {
      const order = `ord_old_${slug}_${name}`;
      const paidAt = new Date(createdAt.getTime() + 10 * 60_000);
      await database.db.execute(sql`insert into orders (id, merchant_id, reference, amount_minor, currency, customer_name, customer_country, created_at, updated_at)
        values (${order}, ${mid}, ${`${slug.toUpperCase()}-${name}`}, ${amount}, ${currency}, 'Store Day', ${country}, ${at(createdAt)}, ${at(createdAt)})`);
      await database.db.execute(sql`insert into payments (id, order_id, merchant_id, provider_account_id, provider, method, reference, amount_minor, currency, status, paid_at, fee_estimated_minor, net_minor, created_at, updated_at)
        values (${`pay_old_${slug}_${name}`}, ${order}, ${mid}, ${account}, 'cinetpay', 'card', ${`CSTOLD${slug}${name}`}, ${amount}, ${currency}, 'paid', ${at(paidAt)}, 100, ${amount - 100}, ${at(createdAt)}, ${at(paidAt)})`);
    }
  }
}

/** Rows written under the UTC triggers (migrations up to 0013), then migration 0014 re-buckets them. */
describe.each(TEST_DATABASES)("the store-local days migration on existing rows on $name", ({ open }) => {
  it("moves every stored rollup row to its local day", async () => {
    const before = migrationsBefore("0014_store_local_days");
    const database = await open({ migrationsFolder: before.folder });
    try {
      await writeOldStores(database);
      const autre = await merchantId(database, "autre");
      const demo = await merchantId(database, "demo");
      // Under the old triggers Nairobi's 01:30 order sat on the UTC day, the 6th.
      expect(await rollupDays(database.db, autre)).toEqual({ orders: [["2026-12-06", 2]], paid: [["2026-12-06", 10_000]] });

      await migrateToLatest(database);
      expect(await rollupDays(database.db, autre)).toEqual(EXPECTED_DAYS.autre);
      expect(await rollupDays(database.db, demo)).toEqual(EXPECTED_DAYS.demo);
      for (const id of [demo, autre]) await expectOverviewMatchesRaw(database.db, id, "7d", NOW);
      // And the new triggers carry on from there: one more late order in Nairobi.
      await insertStoreOrder(database, "autre", { amountMinor: 1_000, createdAt: new Date("2026-12-07T23:00:00Z"), payment: { status: "paid", paidAt: new Date("2026-12-07T23:05:00Z") } });
      expect((await rollupDays(database.db, autre)).paid).toEqual([["2026-12-06", 3_000], ["2026-12-07", 7_000], ["2026-12-08", 1_000]]);
      await expectOverviewMatchesRaw(database.db, autre, "7d", NOW);
    } finally {
      await database.close();
      before.cleanup();
    }
  }, 120_000);
});
