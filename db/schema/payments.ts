import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from "drizzle-orm/pg-core";
import { createdAt, currency, minor, updatedAt } from "./columns";
import { notificationVerdict, paymentStatus, providerId, refundKind, refundStatus } from "./enums";
import { merchants, providerAccounts } from "./merchants";
import { orders } from "./orders";
import { users } from "./auth";

/** Statuses in which a payment has collected the order's money (refunds included). */
export const COLLECTED_STATUSES = ["paid", "partially_refunded", "refunded"] as const;

/** One attempt to pay an order; an order may have several (retry with another method). */
export const payments = pgTable(
  "payments",
  {
    id: text().primaryKey(),
    orderId: text()
      .notNull()
      .references(() => orders.id, { onDelete: "restrict" }),
    merchantId: text()
      .notNull()
      .references(() => merchants.id, { onDelete: "restrict" }),
    providerAccountId: text().references(() => providerAccounts.id, { onDelete: "set null" }),
    provider: providerId().notNull(),
    /** Method or operator: orange_money, mtn, moov, wave, card, mpesa, airtel… */
    method: varchar({ length: 32 }).notNull(),
    /** What the provider receives as CinetPay transaction_id, Orange order_id, KKiaPay data, iPay oid. */
    reference: varchar({ length: 30 }).notNull(),
    /** Provider's own ids: CinetPay payment_token / operator_id, Orange txnid, KKiaPay transactionId, iPay txncd. */
    providerReference: text(),
    providerToken: text(),
    /** Opaque, non-secret provider data (e.g. iPay sid). */
    stored: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /** What the shopper's browser must do next (redirect, auto-posted form, widget, phone), until decided. */
    nextAction: jsonb().$type<Record<string, unknown>>(),
    /** Per-payment secrets (e.g. Orange notif_token), AES-256-GCM encrypted. */
    storedSecretEncrypted: text(),
    amountMinor: minor().notNull(),
    currency: currency().notNull(),
    /** What the provider said was paid, when it differs from ours (iPay "less"/"more"). */
    paidAmountMinor: minor(),
    status: paymentStatus().notNull().default("created"),
    /** amount_mismatch, currency_mismatch, underpaid, overpaid: never paid automatically. */
    flag: varchar({ length: 32 }),
    failureCode: text(),
    failureMessage: text(),
    feeReportedMinor: minor(),
    feeEstimatedMinor: minor(),
    netMinor: minor(),
    settlementDate: date({ mode: "string" }),
    settlementReported: boolean().notNull().default(false),
    customerPhone: varchar({ length: 16 }),
    expiresAt: timestamp({ withTimezone: true }),
    paidAt: timestamp({ withTimezone: true }),
    lastCheckedAt: timestamp({ withTimezone: true }),
    nextCheckAt: timestamp({ withTimezone: true }),
    checkAttempts: integer().notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("payments_reference_key").on(t.reference),
    // The rule that one order is paid at most once lives here, not in application code.
    uniqueIndex("payments_one_collected_per_order")
      .on(t.orderId)
      .where(sql`${t.status} in ('paid', 'partially_refunded', 'refunded')`),
    index("payments_order_idx").on(t.orderId),
    index("payments_merchant_status_created_idx").on(t.merchantId, t.status, t.createdAt, t.id),
    index("payments_merchant_provider_created_idx").on(t.merchantId, t.provider, t.createdAt, t.id),
    // Expected payouts per date and provider (settlements page, overview): collected payments
    // only, with what the sums need, in the GROUP BY's order.
    index("payments_merchant_settlement_collected_idx")
      .on(t.merchantId, t.settlementDate, t.provider, t.currency, t.settlementReported, t.netMinor)
      .where(sql`${t.status} in ('paid', 'partially_refunded', 'refunded')`),
    index("payments_merchant_phone_idx").on(t.merchantId, t.customerPhone),
    // The orders filter's list of methods a merchant has seen: one probe per method (skip scan).
    index("payments_merchant_method_idx").on(t.merchantId, t.method),
    index("payments_provider_reference_idx").on(t.provider, t.providerReference),
    index("payments_provider_token_idx").on(t.provider, t.providerToken),
    // The pending queue: a merchant's undecided payments, oldest first (a few among millions).
    index("payments_merchant_undecided_idx")
      .on(t.merchantId, t.createdAt, t.id)
      .where(sql`${t.status} in ('created', 'pending', 'waiting_for_customer')`),
    index("payments_due_check_idx")
      .on(t.nextCheckAt)
      .where(sql`${t.status} in ('created', 'pending', 'waiting_for_customer')`),
    check("payments_reference_format", sql`${t.reference} ~ '^[A-Za-z0-9]{1,30}$'`),
    check("payments_amount_positive", sql`${t.amountMinor} > 0`),
    check("payments_fees_non_negative", sql`coalesce(${t.feeReportedMinor}, 0) >= 0 and coalesce(${t.feeEstimatedMinor}, 0) >= 0`),
  ],
);

/** Append-only ledger of everything that happened to a payment. */
export const paymentEvents = pgTable(
  "payment_events",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    paymentId: text()
      .notNull()
      .references(() => payments.id, { onDelete: "cascade" }),
    merchantId: text()
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    /** init_request, init_response, notification, status_check, transition, refund, flag, note */
    type: varchar({ length: 32 }).notNull(),
    fromStatus: paymentStatus(),
    toStatus: paymentStatus(),
    actor: text(),
    data: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index("payment_events_payment_idx").on(t.paymentId, t.id)],
);

/** Each inbound provider delivery, recorded before anything else happens. */
export const notifications = pgTable(
  "notifications",
  {
    id: text().primaryKey(),
    provider: providerId().notNull(),
    merchantId: text().references(() => merchants.id, { onDelete: "cascade" }),
    paymentId: text().references(() => payments.id, { onDelete: "set null" }),
    dedupeKey: text().notNull(),
    verdict: notificationVerdict().notNull().default("received"),
    method: varchar({ length: 8 }).notNull().default("POST"),
    headers: jsonb().$type<Record<string, string>>().notNull().default({}),
    body: text().notNull().default(""),
    attempts: integer().notNull().default(0),
    lastError: text(),
    receivedAt: createdAt(),
    processedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex("notifications_provider_dedupe_key").on(t.provider, t.dedupeKey),
    // Ascending so that a backward scan serves ORDER BY received_at DESC, id DESC (see orders_merchant_created_idx).
    index("notifications_merchant_received_idx").on(t.merchantId, t.receivedAt, t.id),
    index("notifications_payment_idx").on(t.paymentId),
  ],
);

export const refunds = pgTable(
  "refunds",
  {
    id: text().primaryKey(),
    paymentId: text()
      .notNull()
      .references(() => payments.id, { onDelete: "restrict" }),
    merchantId: text()
      .notNull()
      .references(() => merchants.id, { onDelete: "restrict" }),
    kind: refundKind().notNull(),
    status: refundStatus().notNull().default("pending"),
    amountMinor: minor().notNull(),
    currency: currency().notNull(),
    providerReference: text(),
    reason: text().notNull().default(""),
    instructions: text(),
    createdBy: text().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("refunds_payment_idx").on(t.paymentId),
    index("refunds_merchant_created_idx").on(t.merchantId, t.createdAt, t.id),
    check("refunds_amount_positive", sql`${t.amountMinor} > 0`),
  ],
);
