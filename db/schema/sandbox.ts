import { bigserial, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, varchar } from "drizzle-orm/pg-core";
import { createdAt, currency, minor, updatedAt } from "./columns";
import { providerId } from "./enums";

/**
 * The provider side of the built-in simulators. Kept apart from our own payment tables on
 * purpose: the simulators must behave like a remote system that shares nothing with Caisse.
 */
export const sandboxTransactions = pgTable(
  "sandbox_transactions",
  {
    id: text().primaryKey(),
    provider: providerId().notNull(),
    /** The account's public identifier (site_id, merchant_key, public key, vid). */
    accountId: text().notNull(),
    /** The merchant's reference (transaction_id, order_id, oid after stripping). */
    merchantReference: text().notNull(),
    /** What the provider hands out: payment_token, pay_token, sid, KKiaPay transactionId. */
    token: text().notNull(),
    amountMinor: minor().notNull(),
    currency: currency().notNull(),
    status: varchar({ length: 32 }).notNull(),
    method: varchar({ length: 32 }),
    phone: varchar({ length: 20 }),
    providerTransactionId: text(),
    feeMinor: minor(),
    /** The request as received (URLs, customer, metadata) and provider-specific state. */
    request: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    state: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    faults: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    expiresAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("sandbox_transactions_reference_key").on(t.provider, t.accountId, t.merchantReference),
    uniqueIndex("sandbox_transactions_token_key").on(t.provider, t.token),
  ],
);

/** Notifications the simulators send (or drop, delay, duplicate), for tests and the UI. */
export const sandboxDeliveries = pgTable(
  "sandbox_deliveries",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    transactionId: text()
      .notNull()
      .references(() => sandboxTransactions.id, { onDelete: "cascade" }),
    url: text().notNull(),
    method: varchar({ length: 8 }).notNull(),
    headers: jsonb().$type<Record<string, string>>().notNull().default({}),
    body: text().notNull().default(""),
    attempt: integer().notNull().default(1),
    responseStatus: integer(),
    error: text(),
    scheduledAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("sandbox_deliveries_transaction_idx").on(t.transactionId, t.id)],
);

/**
 * Provider-side settings of one simulated account: the faults a tester switched on, and what a
 * merchant would configure in the provider's own dashboard (e.g. KKiaPay's webhook URL).
 */
export const sandboxAccounts = pgTable(
  "sandbox_accounts",
  {
    provider: providerId().notNull(),
    accountId: text().notNull(),
    faults: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    settings: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("sandbox_accounts_key").on(t.provider, t.accountId)],
);

/** Calls per account and minute, for simulated rate limiting across app instances. */
export const sandboxRateCounters = pgTable(
  "sandbox_rate_counters",
  {
    provider: providerId().notNull(),
    accountId: text().notNull(),
    windowStart: timestamp({ withTimezone: true }).notNull(),
    calls: integer().notNull().default(0),
  },
  (t) => [uniqueIndex("sandbox_rate_counters_key").on(t.provider, t.accountId, t.windowStart)],
);
