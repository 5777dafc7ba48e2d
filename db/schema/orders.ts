import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, varchar } from "drizzle-orm/pg-core";
import { createdAt, currency, minor, updatedAt } from "./columns";
import { orderStatus, providerMode } from "./enums";
import { merchants } from "./merchants";
import { paymentLinks, products } from "./catalog";

/** As the shopper typed it; `zip` is empty where addresses have no postcode. */
export type BillingAddress = { address: string; city: string; state: string; zip: string };

export const orders = pgTable(
  "orders",
  {
    /** Unguessable: it is the shopper's only key to the order page. */
    id: text().primaryKey(),
    merchantId: text()
      .notNull()
      .references(() => merchants.id, { onDelete: "restrict" }),
    reference: varchar({ length: 30 }).notNull(),
    amountMinor: minor().notNull(),
    currency: currency().notNull(),
    status: orderStatus().notNull().default("open"),
    customerName: text().notNull(),
    customerEmail: varchar({ length: 254 }),
    /** E.164, e.g. +2250707070707 */
    customerPhone: varchar({ length: 16 }),
    customerCountry: varchar({ length: 2 }).notNull(),
    /**
     * The billing address a card channel requires (CinetPay's CREDIT_CARD: customer_address, city,
     * state, zip), asked only when the shopper pays that way; null otherwise.
     */
    customerBilling: jsonb().$type<BillingAddress>(),
    locale: varchar({ length: 2 }).notNull().default("fr"),
    paymentLinkId: text().references(() => paymentLinks.id, { onDelete: "set null" }),
    /** The mode its payments are made in when something other than the account decides (an API key's link); null: the account's mode. */
    mode: providerMode(),
    paidAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("orders_merchant_reference_key").on(t.merchantId, t.reference),
    // Keyset pages, newest first: ascending columns on purpose. Scanned backwards, the index
    // yields ORDER BY created_at DESC, id DESC (NULLS FIRST, the default); a `.desc()` index is
    // DESC NULLS LAST, which that ORDER BY cannot use, so every page sorted all the merchant's orders.
    index("orders_merchant_created_idx").on(t.merchantId, t.createdAt, t.id),
    index("orders_merchant_amount_idx").on(t.merchantId, t.amountMinor, t.id),
    index("orders_merchant_status_created_idx").on(t.merchantId, t.status, t.createdAt, t.id),
    // Dashboard search (lib/dashboard/search.ts): "ends with" and prefix lookups, so pattern
    // operator classes (LIKE 'x%' cannot use a default-opclass index outside the C collation);
    // any part of a reference or a name: trigram indexes (pg_trgm, migration 0015), which answer
    // LIKE '%x%'. They hold every store's rows (a GIN index cannot lead with merchant_id without
    // btree_gin): a fragment of at least one trigram finds few rows, then merchant_id filters them.
    index("orders_merchant_phone_suffix_idx").on(t.merchantId, sql`reverse(${t.customerPhone}) text_pattern_ops`),
    index("orders_merchant_email_prefix_idx").on(t.merchantId, sql`lower(${t.customerEmail}) text_pattern_ops`),
    index("orders_reference_trgm_idx").using("gin", t.reference.op("gin_trgm_ops")),
    index("orders_customer_name_trgm_idx").using("gin", t.customerName.op("gin_trgm_ops")),
    check("orders_amount_positive", sql`${t.amountMinor} > 0`),
  ],
);

export const orderItems = pgTable(
  "order_items",
  {
    id: text().primaryKey(),
    orderId: text()
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    productId: text().references(() => products.id, { onDelete: "set null" }),
    name: text().notNull(),
    unitPriceMinor: minor().notNull(),
    quantity: integer().notNull(),
    totalMinor: minor().notNull(),
  },
  (t) => [
    index("order_items_order_idx").on(t.orderId),
    check("order_items_quantity_positive", sql`${t.quantity} > 0`),
    check("order_items_total", sql`${t.totalMinor} = ${t.unitPriceMinor} * ${t.quantity}`),
  ],
);
