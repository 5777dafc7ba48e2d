import { date, integer, pgTable, primaryKey, smallint, text, varchar } from "drizzle-orm/pg-core";
import { minor } from "./columns";
import { providerId } from "./enums";
import { merchants } from "./merchants";

/**
 * Daily rollups the dashboard overview reads instead of the period's payment and order rows
 * (lib/dashboard/overview.ts). They are kept by the database itself: row triggers on payments
 * and orders subtract the old row's contribution and add the new one's, and
 * `rebuild_dashboard_rollups()` recomputes them from the raw tables (the migration's backfill,
 * bench/lib/seed-scale.ts). Both live in db/migrations/0006_dashboard_rollup_triggers.sql.
 *
 * Days are UTC days, as the overview's periods are UTC-midnight aligned. Rows whose figures all
 * fell back to zero (a payment moved to another day or route) are left in place: they add nothing.
 */

/** A merchant, a UTC day and a route (provider and method): the key both payment rollups start with. */
const merchantDayRoute = () => ({
  merchantId: text()
    .notNull()
    .references(() => merchants.id, { onDelete: "cascade" }),
  day: date({ mode: "string" }).notNull(),
  provider: providerId().notNull(),
  method: varchar({ length: 32 }).notNull(),
});

/**
 * Per merchant, UTC day, provider and method. Two kinds of figures share the row:
 * - attempts … collected_net_minor: payments *created* that day (the overview's period filter);
 * - paid_count, paid_amount_minor: collected payments whose `paid_at` falls on that day (the
 *   daily volume chart).
 * "Collected" is paid, partially_refunded or refunded; "failed" is failed, cancelled or expired;
 * the fee is `coalesce(fee_reported_minor, fee_estimated_minor, 0)`.
 */
export const paymentDailyStats = pgTable(
  "payment_daily_stats",
  {
    ...merchantDayRoute(),
    /** Every payment attempt created that day, whatever its status. */
    attempts: integer().notNull().default(0),
    collectedCount: integer().notNull().default(0),
    failedCount: integer().notNull().default(0),
    collectedAmountMinor: minor().notNull().default(0),
    collectedFeeMinor: minor().notNull().default(0),
    collectedNetMinor: minor().notNull().default(0),
    paidCount: integer().notNull().default(0),
    paidAmountMinor: minor().notNull().default(0),
  },
  (t) => [primaryKey({ name: "payment_daily_stats_pkey", columns: [t.merchantId, t.day, t.provider, t.method] })],
);

/**
 * Histogram of the time to pay (`paid_at − created_at`) of collected payments, by the day they
 * were created: `bucket` is `dashboard_time_to_pay_bucket(seconds)`, i.e. 0 for [0, 1 s), k for
 * [2^((k−1)/4), 2^(k/4)) s up to k = 68, and 69 for 2^17 s (≈ 36 h) and more (see
 * lib/dashboard/time-to-pay.ts, which interpolates the median from it).
 */
export const paymentTimeToPay = pgTable(
  "payment_time_to_pay",
  {
    ...merchantDayRoute(),
    bucket: smallint().notNull(),
    paymentsCount: integer().notNull().default(0),
  },
  (t) => [primaryKey({ name: "payment_time_to_pay_pkey", columns: [t.merchantId, t.day, t.provider, t.method, t.bucket] })],
);

/** Orders per merchant and UTC day of creation. */
export const orderDailyCounts = pgTable(
  "order_daily_counts",
  {
    merchantId: text()
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    day: date({ mode: "string" }).notNull(),
    ordersCount: integer().notNull().default(0),
  },
  (t) => [primaryKey({ name: "order_daily_counts_pkey", columns: [t.merchantId, t.day] })],
);
