import { and, asc, eq, gte, inArray, lte, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { COLLECTED_STATUSES, orderDailyCounts, paymentDailyStats, payments, paymentTimeToPay } from "@/db/schema";
import { addDays, localDay, startOfLocalDay } from "@/lib/time/local-day";
import { approximateMedian } from "./time-to-pay";

export const PERIODS = { "7d": 7, "30d": 30, "90d": 90 } as const;
export type Period = keyof typeof PERIODS;

export function parsePeriod(value: unknown): Period {
  return typeof value === "string" && Object.hasOwn(PERIODS, value) ? (value as Period) : "30d";
}

const total = (expr: ReturnType<typeof sql>) => sql<number>`coalesce(sum(${expr}), 0)`.mapWith(Number);

/** The store whose figures are read: its id (from the session) and its zone, whose days the figures follow. */
export type StoreDays = { id: string; timeZone: string };

/** The period's first store-local day, as the rollups key it: a 7-day period is today and the six days before. */
export function periodFirstDay(period: Period, now: Date, timeZone: string): string {
  return addDays(localDay(now, timeZone), -(PERIODS[period] - 1));
}

/** The instant the period starts: the store's midnight on its first day. */
export function periodStart(period: Period, now: Date, timeZone: string): Date {
  return startOfLocalDay(periodFirstDay(period, now, timeZone), timeZone);
}

/**
 * The period's figures, read from the daily rollups (db/schema/dashboard.ts) that the database
 * keeps from the merchant's payment and order rows: volume, fees and net count collected
 * payments (refunded ones included: the money was collected, refunds are separate), and the
 * success rate is collected over decided attempts (undecided ones are not counted yet).
 * At most one row per day and route is read, whatever the number of payments.
 */
export async function overviewStats(db: Db, store: StoreDays, period: Period, now = new Date()) {
  const merchantId = store.id;
  const since = periodStart(period, now, store.timeZone);
  const day = periodFirstDay(period, now, store.timeZone);
  const [row] = await db
    .select({
      volumeMinor: total(sql`${paymentDailyStats.collectedAmountMinor}`),
      feesMinor: total(sql`${paymentDailyStats.collectedFeeMinor}`),
      netMinor: total(sql`${paymentDailyStats.collectedNetMinor}`),
      collected: total(sql`${paymentDailyStats.collectedCount}`),
      failed: total(sql`${paymentDailyStats.failedCount}`),
    })
    .from(paymentDailyStats)
    .where(and(eq(paymentDailyStats.merchantId, merchantId), gte(paymentDailyStats.day, day)));
  const [orderRow] = await db
    .select({ n: total(sql`${orderDailyCounts.ordersCount}`) })
    .from(orderDailyCounts)
    .where(and(eq(orderDailyCounts.merchantId, merchantId), gte(orderDailyCounts.day, day)));
  const orderCount = orderRow?.n ?? 0;
  const decided = row!.collected + row!.failed;
  return { ...row!, orderCount, successRate: decided ? row!.collected / decided : null, since };
}

/** Collected volume per store-local day of payment (paid_at) in the period, every day present (zero when nothing came in). */
export async function dailyVolume(db: Db, store: StoreDays, period: Period, now = new Date()) {
  const merchantId = store.id;
  const first = periodFirstDay(period, now, store.timeZone);
  const rows = await db
    .select({ day: paymentDailyStats.day, volumeMinor: total(sql`${paymentDailyStats.paidAmountMinor}`) })
    .from(paymentDailyStats)
    .where(and(eq(paymentDailyStats.merchantId, merchantId), gte(paymentDailyStats.day, first)))
    .groupBy(paymentDailyStats.day);
  const byDay = new Map(rows.map((r) => [r.day, r.volumeMinor]));
  return Array.from({ length: PERIODS[period] }, (_, i) => {
    const d = addDays(first, i);
    return { day: d, volumeMinor: byDay.get(d) ?? 0 };
  });
}

/**
 * Expected payouts: the sum of net per settlement date and provider. A group counts as
 * reported only when every payment in it carries the provider's own date.
 */
export async function settlementsByDate(db: Db, merchantId: string, range: { from?: string; to?: string }, limit = 200) {
  return db
    .select({
      date: payments.settlementDate,
      provider: payments.provider,
      currency: payments.currency,
      netMinor: total(sql`${payments.netMinor}`),
      count: sql<number>`count(*)`.mapWith(Number),
      reported: sql<boolean>`bool_and(${payments.settlementReported})`,
    })
    .from(payments)
    .where(
      and(
        eq(payments.merchantId, merchantId),
        inArray(payments.status, [...COLLECTED_STATUSES]),
        sql`${payments.settlementDate} is not null`,
        range.from ? gte(payments.settlementDate, range.from) : undefined,
        range.to ? lte(payments.settlementDate, range.to) : undefined,
      ),
    )
    .groupBy(payments.settlementDate, payments.provider, payments.currency)
    .orderBy(asc(payments.settlementDate), asc(payments.provider))
    .limit(limit);
}

/**
 * Success rate per provider and method (operator) over the period's decided attempts, and the
 * median seconds from attempt to confirmation of the collected ones. The median is
 * approximate: it is interpolated from the time-to-pay histogram (lib/dashboard/time-to-pay.ts:
 * buckets four per doubling, so within 19 % of the exact median's bucket), not from the raw times.
 */
export async function successByRoute(db: Db, store: StoreDays, period: Period, now = new Date()) {
  const merchantId = store.id;
  const day = periodFirstDay(period, now, store.timeZone);
  const [rows, histogram] = await Promise.all([
    db
      .select({
        provider: paymentDailyStats.provider,
        method: paymentDailyStats.method,
        collected: total(sql`${paymentDailyStats.collectedCount}`),
        decided: total(sql`${paymentDailyStats.collectedCount} + ${paymentDailyStats.failedCount}`),
      })
      .from(paymentDailyStats)
      .where(and(eq(paymentDailyStats.merchantId, merchantId), gte(paymentDailyStats.day, day)))
      .groupBy(paymentDailyStats.provider, paymentDailyStats.method)
      // Routes whose only attempts moved to another day or route since leave zero rows behind.
      .having(sql`sum(${paymentDailyStats.attempts}) > 0`)
      .orderBy(asc(paymentDailyStats.provider), asc(paymentDailyStats.method)),
    db
      .select({
        provider: paymentTimeToPay.provider,
        method: paymentTimeToPay.method,
        bucket: paymentTimeToPay.bucket,
        count: total(sql`${paymentTimeToPay.paymentsCount}`),
      })
      .from(paymentTimeToPay)
      .where(and(eq(paymentTimeToPay.merchantId, merchantId), gte(paymentTimeToPay.day, day)))
      .groupBy(paymentTimeToPay.provider, paymentTimeToPay.method, paymentTimeToPay.bucket),
  ]);
  const byRoute = new Map<string, Map<number, number>>();
  for (const h of histogram) {
    const key = `${h.provider}|${h.method}`;
    if (!byRoute.has(key)) byRoute.set(key, new Map());
    byRoute.get(key)!.set(h.bucket, h.count);
  }
  return rows.map((r) => {
    const median = r.collected > 0 ? approximateMedian(byRoute.get(`${r.provider}|${r.method}`) ?? new Map()) : null;
    return { ...r, medianSeconds: median === null ? null : Math.round(median), successRate: r.decided ? r.collected / r.decided : null };
  });
}
