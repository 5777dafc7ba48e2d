import { readFileSync } from "node:fs";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationsFolder, type Database, type Db } from "@/db/client";
import * as s from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { SEED_MERCHANTS } from "@/db/seed-data";
import { parseEnv } from "@/lib/env";
import { createOrder, type OrderCustomer } from "@/lib/orders/create";
import { priceCart } from "@/lib/orders/price";
import { countOrders } from "@/lib/orders/queries";
import type { PaymentDeps } from "@/lib/payments/accounts";
import { refundPayment } from "@/lib/payments/refunds";
import { applyTransition } from "@/lib/payments/transitions";
import type { PaymentStatus } from "@/lib/payments/types";
import { providerUrls } from "@/lib/payments/urls";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { expectOverviewMatchesRaw } from "@/lib/testing/rollup-oracle";
import { PERIODS, type Period } from "./overview";
import { approximateMedian, bucketBounds, bucketOf, roundApproximate, TIME_TO_PAY_BUCKETS, TIME_TO_PAY_THRESHOLDS } from "./time-to-pay";
import { mulberry32 } from "@/lib/prng";
import { rowsOf } from "@/db/rows";

/**
 * The dashboard rollups (db/schema/dashboard.ts) against the raw rows: a realistic mix of
 * orders and payments over many days, moved through every status by the code that moves them
 * (applyTransition, refundPayment), with the updates that come later (fee reported, net,
 * settlement, check bookkeeping), deletions and moved timestamps; then every overview figure
 * must equal the one computed from the raw rows, the median within its histogram bucket.
 */

const DAY = 86_400_000;

/** An order of `quantity` × one product, priced by the database as the checkout does. */
async function orderOf(db: Db, merchant: { id: string; currency: string }, productId: string, quantity: number, customer: OrderCustomer) {
  const cart = await priceCart(db, merchant.id, [{ productId, quantity }]);
  return createOrder(db, { merchant, customer, locale: "fr", cart: cart! });
}

const depsFor = (db: Db): PaymentDeps => {
  const defaults = parseEnv({});
  return {
    db,
    encryptionKey: TEST_ENCRYPTION_KEY,
    appUrl: "http://127.0.0.1:9",
    urlsFor: (provider, mode) => providerUrls(provider, mode, { ...defaults, APP_URL: "http://127.0.0.1:9" }),
    timeouts: { initMs: 1_000, statusMs: 1_000 },
  };
};

let referenceCounter = 0;

/** A payment attempt as startPayment writes it (status created), at a chosen creation time. */
async function insertPayment(db: Db, order: { id: string; merchantId: string; amountMinor: number; currency: string }, route: { provider: (typeof s.providerId.enumValues)[number]; method: string }, createdAt: Date) {
  const [account] = await db
    .select({ id: s.providerAccounts.id })
    .from(s.providerAccounts)
    .where(and(eq(s.providerAccounts.merchantId, order.merchantId), eq(s.providerAccounts.provider, route.provider)));
  const id = `pay_rollup_${++referenceCounter}_${Math.random().toString(36).slice(2, 8)}`;
  await db.insert(s.payments).values({
    id,
    orderId: order.id,
    merchantId: order.merchantId,
    providerAccountId: account!.id,
    provider: route.provider,
    method: route.method,
    reference: `RL${referenceCounter}${Math.random().toString(36).slice(2, 10).replace(/[^a-z0-9]/gi, "")}`,
    amountMinor: order.amountMinor,
    currency: order.currency,
    status: "created",
    createdAt,
    updatedAt: createdAt,
  });
  return id;
}

async function move(db: Db, paymentId: string, to: PaymentStatus, patch: Parameters<typeof applyTransition>[1]["patch"] = {}) {
  const outcome = await applyTransition(db, { paymentId, to, actor: "test", patch });
  expect(outcome.applied, `${paymentId} → ${to}`).toBe(true);
}

type World = { now: Date; merchantIds: string[]; deleted: { payments: number; orders: number } };

/**
 * Orders and attempts for both seeded merchants over 100 days, some created on a period's first
 * instant or just before it, times to pay from 0.3 s to two days (some across UTC midnight).
 */
async function driveMix(database: Database, seed: number, options: { refunds: boolean }): Promise<World> {
  const db = database.db;
  const rand = mulberry32(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)]!;
  const now = new Date();
  const todayStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const merchantIds: string[] = [];
  const deleted = { payments: 0, orders: 0 };
  for (const m of SEED_MERCHANTS) {
    const [merchant] = await db.select().from(s.merchants).where(eq(s.merchants.slug, m.slug));
    merchantIds.push(merchant!.id);
    const [product] = await db.select().from(s.products).where(eq(s.products.merchantId, merchant!.id)).limit(1);
    const routes = m.history.map((h) => ({ provider: h.provider, method: h.method }));
    const customer = { name: "Rollup Test", email: "rollup@example.test", phone: m.country === "CI" ? "+2250707070707" : "+254722000000", country: m.country };
    for (let i = 0; i < 45; i++) {
      // Days back: today, the periods' edges (6/7, 29/30, 89/90) and beyond.
      const daysBack = pick([0, 0, 1, 2, 6, 7, 12, 29, 30, 31, 45, 89, 90, 95]);
      const edge = rand();
      const createdAt =
        edge < 0.1
          ? new Date(todayStart - daysBack * DAY) // the first instant of a period
          : edge < 0.2
            ? new Date(todayStart - daysBack * DAY - 1) // the last millisecond before it
            : new Date(Math.min(now.getTime() - 10 * 60_000, todayStart - daysBack * DAY + Math.floor(rand() * DAY)));
      const order = await orderOf(db, merchant!, product!.id, 1 + Math.floor(rand() * 3), customer);
      // The order row's own creation time follows its first attempt (an orders UPDATE the rollup must follow).
      await db.update(s.orders).set({ createdAt }).where(eq(s.orders.id, order.id));

      const outcome = pick(["paid", "paid", "paid", "retry_then_paid", "failed", "cancelled", "expired", "pending", "waiting_for_customer", "refund", "created"] as const);
      let route = pick(routes);
      let started = createdAt;
      if (outcome === "retry_then_paid") {
        const first = await insertPayment(db, order, route, started);
        await move(db, first, "pending");
        await move(db, first, "failed", { failureCode: "600" });
        started = new Date(started.getTime() + 4 * 60_000);
        route = pick(routes);
      }
      const paymentId = await insertPayment(db, order, route, started);
      if (outcome === "created") continue;
      const first = rand() < 0.5 ? "pending" : "waiting_for_customer";
      await move(db, paymentId, first);
      if (outcome === "pending" || outcome === "waiting_for_customer") {
        if (outcome !== first) await move(db, paymentId, outcome);
        continue;
      }
      if (outcome === "failed" || outcome === "cancelled" || outcome === "expired") {
        // A refusal may name the operator tried (CinetPay's payment_method): the method changes with it.
        const failedWith = outcome === "failed" && rand() < 0.3 ? pick(routes.filter((r) => r.provider === route.provider)).method : undefined;
        await move(db, paymentId, outcome, outcome === "failed" ? { failureCode: "600", failureMessage: "PAYMENT_FAILED", ...(failedWith ? { method: failedWith } : {}) } : {});
        continue;
      }
      // Log-uniform from 0.3 s to two days; seeded with sub-millisecond-free times (a Date).
      const secondsToPay = 0.3 * Math.exp(rand() * Math.log((2 * 86_400) / 0.3));
      const paidAt = new Date(Math.max(started.getTime(), Math.min(now.getTime() - 1_000, started.getTime() + secondsToPay * 1000)));
      const feeEstimated = Math.round(order.amountMinor * 0.02) + 5;
      const reported = rand() < 0.3 ? feeEstimated + 3 : null;
      // Some providers name the operator only when paid: the method may change with the transition.
      const method = rand() < 0.15 ? pick(routes.filter((r) => r.provider === route.provider)).method : undefined;
      await move(db, paymentId, "paid", {
        paidAt,
        feeEstimatedMinor: feeEstimated,
        feeReportedMinor: reported,
        netMinor: rand() < 0.1 ? null : order.amountMinor - (reported ?? feeEstimated),
        settlementDate: new Date(paidAt.getTime() + 2 * DAY).toISOString().slice(0, 10),
        method,
      });
      if (outcome === "refund") {
        if (options.refunds && route.provider === "cinetpay") {
          // CinetPay has no refund API: refundPayment records a manual refund, then moves the status.
          const deps = depsFor(db);
          const half = Math.max(5, Math.floor(order.amountMinor / 2 / 5) * 5);
          await refundPayment(deps, { merchantId: order.merchantId, paymentId, amountMinor: half, reason: "test", userId: null });
          await refundPayment(deps, { merchantId: order.merchantId, paymentId, amountMinor: order.amountMinor - half, reason: "test", userId: null });
        } else {
          await move(db, paymentId, "partially_refunded");
          await move(db, paymentId, "partially_refunded");
          if (rand() < 0.6) await move(db, paymentId, "refunded");
        }
      }
    }

    // Later updates of collected payments: a fee reported after the fact, the net recomputed,
    // a settlement date confirmed (not read by the rollups).
    const paid = await db.select().from(s.payments).where(and(eq(s.payments.merchantId, merchant!.id), eq(s.payments.status, "paid"))).limit(8);
    for (const [k, p] of paid.entries()) {
      if (k % 3 === 0) await db.update(s.payments).set({ feeReportedMinor: (p.feeEstimatedMinor ?? 0) + 7, netMinor: p.amountMinor - (p.feeEstimatedMinor ?? 0) - 7 }).where(eq(s.payments.id, p.id));
      else if (k % 3 === 1) await db.update(s.payments).set({ netMinor: p.amountMinor - 1 }).where(eq(s.payments.id, p.id));
      else await db.update(s.payments).set({ settlementDate: "2030-01-02", settlementReported: true }).where(eq(s.payments.id, p.id));
    }
    // A payment whose creation time is moved (as e2e does to age one), across days.
    const [aged] = await db.select().from(s.payments).where(and(eq(s.payments.merchantId, merchant!.id), eq(s.payments.status, "paid"))).offset(9).limit(1);
    if (aged) await db.update(s.payments).set({ createdAt: new Date(aged.createdAt.getTime() - 3 * DAY) }).where(eq(s.payments.id, aged.id));
    // Deleted rows: an undecided attempt, a collected one without refunds, an order without payments.
    const gone = await db.execute(sql`
      delete from payments where id in (
        (select id from payments where merchant_id = ${merchant!.id} and status = 'pending' and id like 'pay_rollup_%' limit 1),
        (select p.id from payments p where p.merchant_id = ${merchant!.id} and p.status = 'paid' and p.id like 'pay_rollup_%'
           and not exists (select 1 from refunds r where r.payment_id = p.id) order by p.id desc limit 1))
      returning id`);
    deleted.payments += rowsOf(gone).length;
    const lonely = await orderOf(db, merchant!, product!.id, 1, customer);
    await db.delete(s.orders).where(eq(s.orders.id, lonely.id));
    deleted.orders++;
  }
  return { now, merchantIds, deleted };
}

/** Every rollup row that carries something, in a stable order (rows fallen back to zero add nothing). */
async function rollupSnapshot(db: Db) {
  const stats = rowsOf(
    await db.execute(sql`
      select merchant_id, day::text, provider::text, method, attempts, collected_count, failed_count, collected_amount_minor::text,
        collected_fee_minor::text, collected_net_minor::text, paid_count, paid_amount_minor::text
      from payment_daily_stats
      where attempts <> 0 or collected_count <> 0 or failed_count <> 0 or collected_amount_minor <> 0 or collected_fee_minor <> 0
        or collected_net_minor <> 0 or paid_count <> 0 or paid_amount_minor <> 0
      order by 1, 2, 3, 4`),
  );
  const histogram = rowsOf(await db.execute(sql`select merchant_id, day::text, provider::text, method, bucket, payments_count from payment_time_to_pay where payments_count <> 0 order by 1, 2, 3, 4, 5`));
  const orders = rowsOf(await db.execute(sql`select merchant_id, day::text, orders_count from order_daily_counts where orders_count <> 0 order by 1, 2`));
  return { stats, histogram, orders };
}

async function expectEveryFigureMatches(db: Db, world: World) {
  const instants = [world.now, new Date(world.now.getTime() - 3 * DAY), new Date(world.now.getTime() - 30 * DAY)];
  for (const merchantId of world.merchantIds) {
    for (const now of instants) {
      for (const period of Object.keys(PERIODS) as Period[]) await expectOverviewMatchesRaw(db, merchantId, period, now);
    }
    expect(await countOrders(db, merchantId)).toBe(await db.$count(s.orders, eq(s.orders.merchantId, merchantId)));
  }
}

describe("time-to-pay histogram", () => {
  it("has log-spaced buckets, four per doubling, and interpolates the median inside the middle bucket", () => {
    expect(TIME_TO_PAY_BUCKETS).toBe(70);
    expect(bucketBounds(0)).toEqual([0, 1]);
    expect(bucketBounds(5)).toEqual([2, 2 ** (5 / 4)]);
    expect(bucketBounds(69)).toEqual([2 ** 17, Infinity]);
    expect([0.2, 1, 1.19, 1.2, 2, 119, 120, 3600, 2 ** 17, 1e9].map(bucketOf)).toEqual([0, 1, 2, 2, 5, 28, 28, 48, 69, 69]);
    expect(approximateMedian(new Map())).toBeNull();
    // 3 times in [64, 76.1): the middle one is at 1.5/3 of the bucket.
    expect(approximateMedian(new Map([[25, 3]]))).toBeCloseTo(64 + (2 ** (25 / 4) - 64) / 2, 10);
    expect(approximateMedian(new Map([[0, 1], [25, 1], [69, 5]]))).toBe(2 ** 17);
    expect([7.4, 59.6, 157, 615, 3725].map(roundApproximate)).toEqual([7, 60, 160, 620, 3700]);
  });
});

describe.each(TEST_DATABASES)("dashboard rollups on $name", ({ open }) => {
  let database: Database;
  let world: World;

  beforeAll(async () => {
    database = await open();
    await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY });
    world = await driveMix(database, 20261201, { refunds: true });
  });
  afterAll(async () => {
    await database?.close();
  });

  it("buckets times to pay in SQL exactly as lib/dashboard/time-to-pay.ts does", async () => {
    const probes = [-5, 0, 0.999999, ...TIME_TO_PAY_THRESHOLDS, ...TIME_TO_PAY_THRESHOLDS.map((t) => t * (1 - 1e-12)), 1e9];
    const rows = rowsOf<{ b: number }>(await database.db.execute(sql`select dashboard_time_to_pay_bucket(x) as b from unnest(${`{${probes.join(",")}}`}::float8[]) with ordinality u(x, i) order by i`));
    expect(rows.map((r) => Number(r.b))).toEqual(probes.map(bucketOf));
    expect(rowsOf<{ b: number }>(await database.db.execute(sql`select dashboard_time_to_pay_bucket(null) as b`))[0]!.b).toBe(0);
  });

  it("gives the overview the raw rows' figures for every merchant, period and instant, the median within its bucket", async () => {
    expect(world.deleted.payments).toBeGreaterThanOrEqual(2);
    await expectEveryFigureMatches(database.db, world);
    // The mix went through every status.
    const statuses = rowsOf<{ status: string }>(await database.db.execute(sql`select distinct status::text as status from payments where id like 'pay_rollup_%'`)).map((r) => r.status);
    expect(statuses.sort()).toEqual([...s.paymentStatus.enumValues].sort());
  });

  it("holds what rebuild_dashboard_rollups() (the migration's backfill) computes from the raw rows", async () => {
    const maintained = await rollupSnapshot(database.db);
    expect(maintained.stats.length).toBeGreaterThan(50);
    expect(maintained.histogram.length).toBeGreaterThan(50);
    await database.db.execute(sql`select rebuild_dashboard_rollups()`);
    expect(await rollupSnapshot(database.db)).toEqual(maintained);
  });

  it("is not rewritten by the status checks' bookkeeping, tokens, flags or settlement dates", async () => {
    const versions = async () => rowsOf<{ v: string }>(await database.db.execute(sql`select xmin::text || ':' || ctid::text as v from payment_daily_stats order by merchant_id, day, provider, method`)).map((r) => r.v);
    const before = await versions();
    await database.db.execute(sql`
      update payments set last_checked_at = now(), next_check_at = now() + interval '1 minute', check_attempts = check_attempts + 1,
        next_action = '{"type":"redirect"}'::jsonb, provider_token = 'tok', flag = flag, settlement_date = settlement_date, updated_at = now()`);
    expect(await versions()).toEqual(before);
    // A status move between undecided states changes no figure and writes no rollup row either.
    const [undecided] = rowsOf<{ id: string }>(await database.db.execute(sql`select id from payments where status = 'pending' limit 1`));
    await move(database.db, undecided!.id, "waiting_for_customer");
    expect(await versions()).toEqual(before);
  });

  it("counts orders exactly, whatever their number, and this merchant's only", async () => {
    const [demo, autre] = world.merchantIds;
    const total = await database.db.$count(s.orders);
    expect((await countOrders(database.db, demo!)) + (await countOrders(database.db, autre!))).toBe(total);
    expect(await countOrders(database.db, "mer_nobody")).toBe(0);
  });
});


const ROLLUP_TRIGGERS = [
  ["payments", "payments_dashboard_rollup_insert_delete"],
  ["payments", "payments_dashboard_rollup_update"],
  ["orders", "orders_dashboard_rollup_insert_delete"],
  ["orders", "orders_dashboard_rollup_update"],
] as const;

/**
 * Rows written before the rollups existed, then migration 0006's backfill: the triggers are off
 * while today's code writes them (an older schema cannot take today's rows), then the backfill
 * statement the migration ends with runs, and the triggers carry on from it.
 */
describe.each(TEST_DATABASES)("the rollup migration on a database with existing rows on $name", ({ open }) => {
  it("backfills the rollups the triggers then keep, equal to the raw rows' figures", async () => {
    const database = await open();
    const triggers = async (state: "enable" | "disable") => {
      for (const [table, trigger] of ROLLUP_TRIGGERS) await database.db.execute(sql.raw(`alter table ${table} ${state} trigger ${trigger}`));
    };
    try {
      await triggers("disable");
      await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY });
      const world = await driveMix(database, 7, { refunds: false });
      expect(await database.db.$count(s.paymentDailyStats)).toBe(0);

      await triggers("enable");
      const backfill = readFileSync(path.join(migrationsFolder, "0006_dashboard_rollup_triggers.sql"), "utf8").trim().split("--> statement-breakpoint").at(-1)!.trim();
      expect(backfill).toBe("SELECT rebuild_dashboard_rollups();");
      await database.db.execute(sql.raw(backfill));
      await expectEveryFigureMatches(database.db, world);

      // The backfill equals the triggers' own bookkeeping: replay every row's insert through the trigger's function.
      const backfilled = await rollupSnapshot(database.db);
      await database.db.execute(sql`delete from payment_daily_stats`);
      await database.db.execute(sql`delete from payment_time_to_pay`);
      await database.db.execute(sql`select dashboard_rollup_payment(null, p) from payments p`);
      const replayed = await rollupSnapshot(database.db);
      expect(replayed.stats).toEqual(backfilled.stats);
      expect(replayed.histogram).toEqual(backfilled.histogram);

      // And the triggers carry on from the backfill.
      const more = await driveMix(database, 8, { refunds: true });
      await expectEveryFigureMatches(database.db, more);
    } finally {
      await database.close();
    }
    // Two mixes and a backfill: ~30 s on PGlite alone on a busy machine.
  }, 120_000);
});
