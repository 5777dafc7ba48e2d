/**
 * The time-to-pay histogram's buckets (table payment_time_to_pay, SQL function
 * dashboard_time_to_pay_bucket in db/migrations/0006_dashboard_rollup_triggers.sql), and the
 * median read back from it.
 *
 * Bucket 0 is [0, 1 s); bucket k (1 ≤ k ≤ 68) is [2^((k−1)/4), 2^(k/4)) seconds, four buckets
 * per doubling, each 19 % wider than the one before; bucket 69 is 2^17 s (≈ 36 h 24 min) and
 * more. The thresholds below are the very doubles the migration lists (2 ** (i / 4), printed by
 * JavaScript), so a time on a bound falls in the same bucket on both sides.
 */
export const TIME_TO_PAY_THRESHOLDS: readonly number[] = Array.from({ length: 69 }, (_, i) => 2 ** (i / 4));
export const TIME_TO_PAY_BUCKETS = TIME_TO_PAY_THRESHOLDS.length + 1;

/** [lower, upper) seconds of a bucket; the last one has no upper bound. */
export function bucketBounds(bucket: number): [number, number] {
  if (!Number.isInteger(bucket) || bucket < 0 || bucket >= TIME_TO_PAY_BUCKETS) throw new RangeError(`no time-to-pay bucket ${bucket}`);
  return [bucket === 0 ? 0 : TIME_TO_PAY_THRESHOLDS[bucket - 1]!, bucket < TIME_TO_PAY_THRESHOLDS.length ? TIME_TO_PAY_THRESHOLDS[bucket]! : Infinity];
}

/** The bucket of a time in seconds, as the SQL function computes it (tests, and the doc's example). */
export function bucketOf(seconds: number): number {
  let k = 0;
  while (k < TIME_TO_PAY_THRESHOLDS.length && seconds >= TIME_TO_PAY_THRESHOLDS[k]!) k++;
  return k;
}

/**
 * The median of a histogram ({bucket → count}), interpolated linearly inside the bucket that
 * holds the middle rank, as percentile_cont(0.5) would on the raw times if they were spread
 * evenly within each bucket. The result always lies within that bucket's bounds, so it is off by
 * less than the bucket's width (19 % of its lower bound); in the open last bucket it is its lower
 * bound. Null when the histogram is empty.
 */
export function approximateMedian(counts: ReadonlyMap<number, number>): number | null {
  const buckets = [...counts.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  const half = total / 2;
  let below = 0;
  for (const [bucket, n] of buckets) {
    if (below + n >= half) {
      const [lo, hi] = bucketBounds(bucket);
      if (hi === Infinity) return lo;
      return lo + ((hi - lo) * (half - below)) / n;
    }
    below += n;
  }
  /* c8 ignore next */
  return null;
}

/**
 * A time shown as an approximation: two significant figures (157 s → 160 s), whole seconds
 * below a minute, so "≈ 2 min 40 s" claims no more precision than the histogram has.
 */
export function roundApproximate(seconds: number): number {
  if (seconds < 60) return Math.round(seconds);
  const step = 10 ** (Math.floor(Math.log10(seconds)) - 1);
  return Math.round(seconds / step) * step;
}
