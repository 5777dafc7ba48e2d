import { sql } from "drizzle-orm";
import { expect } from "vitest";
import type { Db } from "@/db/client";
import { dailyVolume, overviewStats, PERIODS, successByRoute, type Period } from "@/lib/dashboard/overview";
import { bucketBounds, bucketOf } from "@/lib/dashboard/time-to-pay";
import { rowsOf } from "@/db/rows";

/**
 * The dashboard overview's figures computed straight from the raw payment and order rows, with
 * the SQL the overview ran before the daily rollups (an oracle for the rollup-based functions),
 * and the check that an approximate median is what the histogram may give.
 *
 * Days are the store's own (merchants.time_zone), computed here by the database from the raw
 * timestamps (`at time zone`), independently of the app's day arithmetic (lib/time/local-day.ts).
 */

const COLLECTED = sql.raw(`('paid', 'partially_refunded', 'refunded')`);

export async function rawOverview(db: Db, merchantId: string, period: Period, now: Date) {
  const [store] = rowsOf<{ zone: string; first: string; today: string; since: string }>(
    await db.execute(sql`
      select time_zone as zone,
        to_char((((${now.toISOString()}::timestamptz at time zone time_zone)::date - ${PERIODS[period] - 1}::int)::timestamp at time zone time_zone) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as since, to_char((${now.toISOString()}::timestamptz at time zone time_zone)::date - ${PERIODS[period] - 1}::int, 'YYYY-MM-DD') as first,
        to_char(${now.toISOString()}::timestamptz at time zone time_zone, 'YYYY-MM-DD') as today
      from merchants where id = ${merchantId}`),
  );
  const { zone, first } = store!;
  // On or after the period's first local day.
  const inPeriod = (column: string) => sql`(${sql.raw(column)} at time zone ${zone})::date >= ${first}::date`;
  const [figures] = rowsOf<Record<string, string | number>>(
    await db.execute(sql`
      select coalesce(sum(amount_minor) filter (where status in ${COLLECTED}), 0)::text as volume,
        coalesce(sum(coalesce(fee_reported_minor, fee_estimated_minor, 0)) filter (where status in ${COLLECTED}), 0)::text as fees,
        coalesce(sum(net_minor) filter (where status in ${COLLECTED}), 0)::text as net,
        count(*) filter (where status in ${COLLECTED})::int as collected,
        count(*) filter (where status in ('failed', 'cancelled', 'expired'))::int as failed
      from payments where merchant_id = ${merchantId} and ${inPeriod("created_at")}`),
  );
  const [orders] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from orders where merchant_id = ${merchantId} and ${inPeriod("created_at")}`));
  const daily = rowsOf<{ day: string; volume: string }>(
    await db.execute(sql`
      select to_char(paid_at at time zone ${zone}, 'YYYY-MM-DD') as day, sum(amount_minor)::text as volume
      from payments where merchant_id = ${merchantId} and status in ${COLLECTED} and ${inPeriod("paid_at")}
      group by 1`),
  );
  const routes = rowsOf<{ provider: string; method: string; collected: number; decided: number; seconds: number[] | null }>(
    await db.execute(sql`
      select provider::text as provider, method,
        count(*) filter (where status in ${COLLECTED})::int as collected,
        count(*) filter (where status not in ('created', 'pending', 'waiting_for_customer'))::int as decided,
        array_agg(extract(epoch from paid_at - created_at)::float8 order by paid_at - created_at) filter (where status in ${COLLECTED}) as seconds
      from payments where merchant_id = ${merchantId} and ${inPeriod("created_at")}
      group by payments.provider, method order by payments.provider, method`),
  );
  const f = figures!;
  const collected = Number(f.collected);
  const failed = Number(f.failed);
  return {
    zone,
    today: store!.today,
    since: store!.since,
    stats: {
      volumeMinor: Number(f.volume),
      feesMinor: Number(f.fees),
      netMinor: Number(f.net),
      collected,
      failed,
      orderCount: orders!.n,
      successRate: collected + failed ? collected / (collected + failed) : null,
    },
    daily: new Map(daily.map((d) => [d.day, Number(d.volume)])),
    routes: routes.map((r) => ({ ...r, seconds: (r.seconds ?? []).map(Number) })),
  };
}

/**
 * Where an approximate median may lie: from the lower bound of the bucket holding the lower
 * middle time to the upper bound of the one holding the upper middle time (the same bucket
 * for an odd count), half a second either side for the rounding to whole seconds.
 */
export function medianRange(sortedSeconds: number[]): [number, number] {
  const n = sortedSeconds.length;
  const lower = sortedSeconds[Math.ceil(n / 2) - 1]!;
  const upper = sortedSeconds[n % 2 ? Math.ceil(n / 2) - 1 : n / 2]!;
  return [bucketBounds(bucketOf(lower))[0] - 0.5, bucketBounds(bucketOf(upper))[1] + 0.5];
}

export function expectApproximateMedian(actual: number | null, sortedSeconds: number[]) {
  if (sortedSeconds.length === 0) return expect(actual).toBeNull();
  const [lo, hi] = medianRange(sortedSeconds);
  expect(actual).not.toBeNull();
  expect(actual!).toBeGreaterThanOrEqual(lo);
  expect(actual!).toBeLessThanOrEqual(hi);
}

/** The rollup-based overview equals the raw rows' figures for this merchant, period and instant. */
export async function expectOverviewMatchesRaw(db: Db, merchantId: string, period: Period, now: Date) {
  const raw = await rawOverview(db, merchantId, period, now);
  const store = { id: merchantId, timeZone: raw.zone };
  const stats = await overviewStats(db, store, period, now);
  expect({ ...stats, since: undefined }, `${period} figures`).toEqual({ ...raw.stats, since: undefined });
  expect(stats.since.toISOString(), `${period} starts at the store's midnight`).toBe(raw.since);

  const daily = await dailyVolume(db, store, period, now);
  const shownDays = new Set(daily.map((d) => d.day));
  expect(daily.map((d) => [d.day, d.volumeMinor]), `${period} daily volume`).toEqual(daily.map((d) => [d.day, raw.daily.get(d.day) ?? 0]));
  // Nothing paid in the period up to `now` is left out of the chart.
  expect([...raw.daily.keys()].filter((d) => d <= raw.today && !shownDays.has(d))).toEqual([]);

  const routes = await successByRoute(db, store, period, now);
  expect(
    routes.map((r) => [r.provider, r.method, r.collected, r.decided, r.successRate]),
    `${period} routes`,
  ).toEqual(raw.routes.map((r) => [r.provider, r.method, r.collected, r.decided, r.decided ? r.collected / r.decided : null]));
  for (const [i, r] of routes.entries()) expectApproximateMedian(r.medianSeconds, raw.routes[i]!.seconds);
  return { raw, stats, routes };
}
