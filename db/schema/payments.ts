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
import { notificationVerdict, paymentStatus, providerId, providerMode, refundKind, refundStatus } from "./enums";
import { merchants, providerAccounts } from "./merchants";
import { orders } from "./orders";
import { users } from "./auth";

/** Statuses in which a payment has collected the order's money (refunds included). */
export const COLLECTED_STATUSES = ["paid", "partially_refunded", "refunded"] as const;
/** Statuses in which a payment still waits for the provider's decision. */
export const UNDECIDED_STATUSES = ["created", "pending", "waiting_for_customer"] as const;

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
    /** The account's mode when the payment was made: every later call about it uses this mode's endpoints and keys. */
    mode: providerMode().notNull().default("sandbox"),
    /** Method or operator: orange_money, mtn, moov, wave, card, mpesa, airtel… */
    method: varchar({ length: 32 }).notNull(),
    /** What the provider receives as CinetPay transaction_id, Orange order_id, KKiaPay data, iPay oid. */
    reference: varchar({ length: 30 }).notNull(),
    /** Provider's own ids: CinetPay payment_token / operator_id, Orange txnid, KKiaPay transactionId, iPay txncd. */
    providerReference: text(),
    /**
     * How providerReference was bound to this payment, when it came from outside the init answer:
     * "reference" (the provider's status API shows our reference in the transaction) or
     * "unclaimed_match" (the answer carries no reference; performed after we were created, same
     * amount and currency, bound to no other payment). See lib/payments/binding.ts.
     */
    providerReferenceRule: varchar({ length: 32 }),
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
    /**
     * Why a person must look at this payment (an open exception until flagResolvedAt is set):
     * double_payment, paid_after_final, amount_mismatch, currency_mismatch, underpaid, overpaid.
     */
    flag: varchar({ length: 32 }),
    flagResolvedAt: timestamp({ withTimezone: true }),
    /** refunded, refund_recorded, accepted, resolved */
    flagResolution: varchar({ length: 32 }),
    flagResolvedBy: text().references(() => users.id, { onDelete: "set null" }),
    flagNote: text(),
    /**
     * A non-final outcome the provider reported for this attempt, shown to the shopper while the
     * payment stays open (iPay IPN "failed" / "used": a forged callback must not fail a payment).
     */
    attemptOutcome: varchar({ length: 32 }),
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
    // The rule that one order is paid at most once lives here, not in application code. Money a
    // shopper paid twice is still recorded as collected, flagged double_payment (an exception to
    // refund): it is the only collected payment this index lets stand beside the one that pays.
    uniqueIndex("payments_one_collected_per_order")
      .on(t.orderId)
      .where(sql`${t.status} in ('paid', 'partially_refunded', 'refunded') and ${t.flag} is distinct from 'double_payment'`),
    index("payments_order_idx").on(t.orderId),
    index("payments_merchant_status_created_idx").on(t.merchantId, t.status, t.createdAt, t.id),
    // The API's list: one mode's payments (a key sees its own mode's only), newest first.
    index("payments_merchant_mode_created_idx").on(t.merchantId, t.mode, t.createdAt, t.id),
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
    // One provider transaction collects at most one payment (a KKiaPay transaction id replayed
    // on another order's return URL must not pay it too).
    uniqueIndex("payments_one_collection_per_transaction")
      .on(t.provider, t.providerReference)
      .where(sql`${t.status} in ('paid', 'partially_refunded', 'refunded') and ${t.providerReference} is not null`),
    // The Exceptions queue: a merchant's open flags, newest first.
    index("payments_merchant_open_exceptions_idx")
      .on(t.merchantId, t.updatedAt, t.id)
      .where(sql`${t.flag} is not null and ${t.flagResolvedAt} is null`),
    index("payments_provider_token_idx").on(t.provider, t.providerToken),
    // The pending queue: a merchant's undecided payments, oldest first (a few among millions).
    index("payments_merchant_undecided_idx")
      .on(t.merchantId, t.createdAt, t.id)
      .where(sql`${t.status} in ('created', 'pending', 'waiting_for_customer')`),
    index("payments_due_check_idx")
      .on(t.nextCheckAt)
      .where(sql`${t.status} in ('created', 'pending', 'waiting_for_customer')`),
    // Closed attempts whose one late check is still to come (lib/payments/late-checks.ts).
    index("payments_due_late_check_idx")
      .on(t.nextCheckAt)
      .where(sql`${t.status} in ('failed', 'cancelled', 'expired') and ${t.nextCheckAt} is not null`),
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
    /**
     * The provider's transaction id as an authenticated delivery stated it (KKiaPay's webhook is
     * the only place it arrives signed): every later check of this delivery asks about it.
     */
    providerReference: text(),
    /** The whole request (method, url, headers, query, body), AES-256-GCM encrypted: replay re-verifies it. */
    requestEncrypted: text(),
    verdict: notificationVerdict().notNull().default("received"),
    method: varchar({ length: 8 }).notNull().default("POST"),
    headers: jsonb().$type<Record<string, string>>().notNull().default({}),
    body: text().notNull().default(""),
    attempts: integer().notNull().default(0),
    lastError: text(),
    receivedAt: createdAt(),
    processedAt: timestamp({ withTimezone: true }),
    /** When reconciliation may retry an unprocessed delivery (backs off like status checks). */
    nextAttemptAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex("notifications_provider_dedupe_key").on(t.provider, t.dedupeKey),
    // Ascending so that a backward scan serves ORDER BY received_at DESC, id DESC (see orders_merchant_created_idx).
    index("notifications_merchant_received_idx").on(t.merchantId, t.receivedAt, t.id),
    index("notifications_payment_idx").on(t.paymentId),
    index("notifications_due_retry_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.processedAt} is null and ${t.verdict} in ('authenticated', 'unverifiable')`),
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
    /** One refund per merchant intent: a second submit of the same form finds this row instead of calling the provider again. */
    idempotencyKey: text(),
    reason: text().notNull().default(""),
    instructions: text(),
    createdBy: text().references(() => users.id, { onDelete: "set null" }),
    failureCode: text(),
    /** A provider refund still pending is asked about again at this time (reconciliation). */
    nextCheckAt: timestamp({ withTimezone: true }),
    checkAttempts: integer().notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("refunds_payment_idx").on(t.paymentId),
    uniqueIndex("refunds_payment_idempotency_key").on(t.paymentId, t.idempotencyKey),
    index("refunds_due_check_idx").on(t.nextCheckAt).where(sql`${t.status} = 'pending'`),
    index("refunds_merchant_created_idx").on(t.merchantId, t.createdAt, t.id),
    check("refunds_amount_positive", sql`${t.amountMinor} > 0`),
  ],
);
