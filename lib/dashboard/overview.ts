import { and, asc, eq, gte, inArray, lte, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { COLLECTED_STATUSES, orders, payments } from "@/db/schema";

export const PERIODS = { "7d": 7, "30d": 30, "90d": 90 } as const;
export type Period = keyof typeof PERIODS;

export function parsePeriod(value: unknown): Period {
  return typeof value === "string" && Object.hasOwn(PERIODS, value) ? (value as Period) : "30d";
}

const FAILED = ["failed", "cancelled", "expired"] as const;
const total = (expr: ReturnType<typeof sql>) => sql<number>`coalesce(sum(${expr}), 0)`.mapWith(Number);

/** UTC midnight `days - 1` days before `now`: a 7-day period is today and the six days before. */
export function periodStart(period: Period, now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (PERIODS[period] - 1)));
}

/**
 * The period's figures, all computed in SQL on the merchant's rows: volume, fees and net count
 * collected payments (refunded ones included: the money was collected, refunds are separate),
 * and the success rate is collected over decided attempts (undecided ones are not counted yet).
 */
export async function overviewStats(db: Db, merchantId: string, period: Period, now = new Date()) {
  const since = periodStart(period, now);
  const collected = sql`${payments.status} in ('paid', 'partially_refunded', 'refunded')`;
  const [row] = await db
    .select({
      volumeMinor: total(sql`case when ${collected} then ${payments.amountMinor} end`),
      feesMinor: total(sql`case when ${collected} then coalesce(${payments.feeReportedMinor}, ${payments.feeEstimatedMinor}, 0) end`),
      netMinor: total(sql`case when ${collected} then ${payments.netMinor} end`),
      collected: sql<number>`count(*) filter (where ${collected})`.mapWith(Number),
      failed: sql<number>`count(*) filter (where ${inArray(payments.status, [...FAILED])})`.mapWith(Number),
    })
    .from(payments)
    .where(and(eq(payments.merchantId, merchantId), gte(payments.createdAt, since)));
  const orderCount = await db.$count(orders, and(eq(orders.merchantId, merchantId), gte(orders.createdAt, since)));
  const decided = row!.collected + row!.failed;
  return { ...row!, orderCount, successRate: decided ? row!.collected / decided : null, since };
}

/** Collected volume per UTC day of the period, every day present (zero when nothing came in). */
export async function dailyVolume(db: Db, merchantId: string, period: Period, now = new Date()) {
  const since = periodStart(period, now);
  const day = sql<string>`to_char(${payments.paidAt} at time zone 'UTC', 'YYYY-MM-DD')`;
  const rows = await db
    .select({ day, volumeMinor: total(sql`${payments.amountMinor}`) })
    .from(payments)
    .where(and(eq(payments.merchantId, merchantId), inArray(payments.status, [...COLLECTED_STATUSES]), gte(payments.paidAt, since)))
    .groupBy(day);
  const byDay = new Map(rows.map((r) => [r.day, r.volumeMinor]));
  return Array.from({ length: PERIODS[period] }, (_, i) => {
    const d = new Date(since.getTime() + i * 86_400_000).toISOString().slice(0, 10);
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
 * median seconds from attempt to confirmation for the collected ones.
 */
export async function successByRoute(db: Db, merchantId: string, period: Period, now = new Date()) {
  const since = periodStart(period, now);
  const collected = sql`${payments.status} in ('paid', 'partially_refunded', 'refunded')`;
  const rows = await db
    .select({
      provider: payments.provider,
      method: payments.method,
      collected: sql<number>`count(*) filter (where ${collected})`.mapWith(Number),
      decided: sql<number>`count(*) filter (where ${payments.status} not in ('created', 'pending', 'waiting_for_customer'))`.mapWith(Number),
      medianSeconds: sql<number | null>`percentile_cont(0.5) within group (order by extract(epoch from ${payments.paidAt} - ${payments.createdAt})) filter (where ${collected})`.mapWith(
        (v: unknown) => (v === null ? null : Math.round(Number(v))),
      ),
    })
    .from(payments)
    .where(and(eq(payments.merchantId, merchantId), gte(payments.createdAt, since)))
    .groupBy(payments.provider, payments.method)
    .orderBy(asc(payments.provider), asc(payments.method));
  return rows.map((r) => ({ ...r, successRate: r.decided ? r.collected / r.decided : null }));
}
