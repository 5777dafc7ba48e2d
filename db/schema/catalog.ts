import { sql } from "drizzle-orm";
import { boolean, check, index, pgTable, text, uniqueIndex, varchar } from "drizzle-orm/pg-core";
import { createdAt, currency, minor, updatedAt } from "./columns";
import { merchants } from "./merchants";
import { users } from "./auth";

export const products = pgTable(
  "products",
  {
    id: text().primaryKey(),
    merchantId: text()
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    sku: varchar({ length: 64 }).notNull(),
    name: text().notNull(),
    description: text().notNull().default(""),
    imageUrl: text(),
    priceMinor: minor().notNull(),
    currency: currency().notNull(),
    active: boolean().notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("products_merchant_sku_key").on(t.merchantId, t.sku),
    check("products_price_positive", sql`${t.priceMinor} > 0`),
  ],
);

/** A shareable link to pay a fixed amount, or an amount the shopper enters (amountMinor null). */
export const paymentLinks = pgTable(
  "payment_links",
  {
    id: text().primaryKey(),
    merchantId: text()
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    title: text().notNull(),
    description: text().notNull().default(""),
    amountMinor: minor(),
    /**
     * An open link's bounds, set by the merchant; null: the providers' own limits for the
     * currency (lib/payments/limits.ts). Unused on a fixed-amount link.
     */
    minAmountMinor: minor(),
    maxAmountMinor: minor(),
    currency: currency().notNull(),
    active: boolean().notNull().default(true),
    createdBy: text().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("payment_links_merchant_idx").on(t.merchantId, t.createdAt),
    check("payment_links_amount_positive", sql`${t.amountMinor} is null or ${t.amountMinor} > 0`),
    check("payment_links_bounds_positive", sql`coalesce(${t.minAmountMinor}, 1) > 0 and coalesce(${t.maxAmountMinor}, 1) > 0`),
    check("payment_links_bounds_ordered", sql`${t.minAmountMinor} is null or ${t.maxAmountMinor} is null or ${t.minAmountMinor} <= ${t.maxAmountMinor}`),
  ],
);
