import { sql } from "drizzle-orm";
import { check, index, jsonb, pgTable, text, timestamp, uniqueIndex, varchar } from "drizzle-orm/pg-core";
import { apiKeys } from "./api";
import { createdAt, currency, minor } from "./columns";
import { providerMode } from "./enums";
import { merchants } from "./merchants";
import { orders } from "./orders";

/** A line as the merchant sent it; the order gets the same lines. */
export type SessionLineItem = { name: string; unitAmountMinor: number; quantity: number };
/** The customer as the merchant knows them: prefilled on the page, where the shopper may correct it. */
export type SessionCustomer = { name: string | null; email: string | null; phone: string | null; country: string | null };

/**
 * A checkout session made with an API key (lib/checkout-sessions): an amount, where to send the
 * shopper afterwards, and the order its page creates (once: order_id is written only while null).
 * Its status is never stored: "complete" is its order being paid (orders.paid_at, written by the
 * paid transition itself), "expired" is expires_at passed without that; so no second writer can
 * race the payment. The amount is the session's own: the page never reads one from the shopper.
 */
export const checkoutSessions = pgTable(
  "checkout_sessions",
  {
    id: text().primaryKey(),
    merchantId: text()
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    apiKeyId: text().references(() => apiKeys.id, { onDelete: "set null" }),
    /** The key's mode: its payments go to the simulators (sandbox) or the providers (live), whatever the account's. */
    mode: providerMode().notNull(),
    amountMinor: minor().notNull(),
    currency: currency().notNull(),
    /** Null when the merchant sent an amount alone (the order then has one line). */
    lineItems: jsonb().$type<SessionLineItem[]>(),
    clientReference: varchar({ length: 200 }),
    customer: jsonb().$type<SessionCustomer>().notNull(),
    metadata: jsonb().$type<Record<string, string>>().notNull().default({}),
    successUrl: varchar({ length: 2048 }).notNull(),
    cancelUrl: varchar({ length: 2048 }).notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    /** Written once, by the page's first valid submit, in the transaction that creates the order. */
    orderId: text().references(() => orders.id, { onDelete: "restrict" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("checkout_sessions_order_key").on(t.orderId),
    index("checkout_sessions_merchant_created_idx").on(t.merchantId, t.createdAt, t.id),
    check("checkout_sessions_amount_positive", sql`${t.amountMinor} > 0`),
    check("checkout_sessions_expiry_after_creation", sql`${t.expiresAt} > ${t.createdAt}`),
  ],
);
