import { sql } from "drizzle-orm";
import { boolean, check, customType, index, integer, pgTable, text, uniqueIndex, varchar } from "drizzle-orm/pg-core";
import { createdAt, currency, minor, updatedAt } from "./columns";
import { providerMode } from "./enums";
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
    /** The merchant's order on the storefront, smallest first. */
    position: integer().notNull().default(0),
    /** Units left; null: unlimited. */
    stock: integer(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("products_merchant_sku_key").on(t.merchantId, t.sku),
    index("products_merchant_position_idx").on(t.merchantId, t.position),
    check("products_price_positive", sql`${t.priceMinor} > 0`),
    check("products_stock_not_negative", sql`${t.stock} is null or ${t.stock} >= 0`),
  ],
);

/** PGlite hands bytea back as a Uint8Array, postgres.js as a Buffer (itself a Uint8Array). */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => "bytea" });

/**
 * A product's uploaded image, in PostgreSQL so that every instance serves it. Its URL
 * (products.image_url) names the SHA-256 of the bytes, so it can be cached forever.
 */
export const productImages = pgTable(
  "product_images",
  {
    productId: text()
      .primaryKey()
      .references(() => products.id, { onDelete: "cascade" }),
    sha256: varchar({ length: 64 }).notNull(),
    contentType: varchar({ length: 32 }).notNull(),
    bytes: bytea().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("product_images_sha256_idx").on(t.sha256)],
);

/**
 * A store's logo: stored and served like a product image (same checks, same content-addressed
 * URL under /products/images, lib/products/image-route.ts), one per store.
 */
export const storeLogos = pgTable(
  "store_logos",
  {
    merchantId: text()
      .primaryKey()
      .references(() => merchants.id, { onDelete: "cascade" }),
    sha256: varchar({ length: 64 }).notNull(),
    contentType: varchar({ length: 32 }).notNull(),
    bytes: bytea().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("store_logos_sha256_idx").on(t.sha256)],
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
    /** Made with an API key: its payments go where the key's mode says. Null (the dashboard's): the provider account's mode. */
    mode: providerMode(),
    createdBy: text().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // Keyset pages (the dashboard's list, the API's), newest first: see orders_merchant_created_idx.
    index("payment_links_merchant_created_idx").on(t.merchantId, t.createdAt, t.id),
    check("payment_links_amount_positive", sql`${t.amountMinor} is null or ${t.amountMinor} > 0`),
    check("payment_links_bounds_positive", sql`coalesce(${t.minAmountMinor}, 1) > 0 and coalesce(${t.maxAmountMinor}, 1) > 0`),
    check("payment_links_bounds_ordered", sql`${t.minAmountMinor} is null or ${t.maxAmountMinor} is null or ${t.minAmountMinor} <= ${t.maxAmountMinor}`),
  ],
);
