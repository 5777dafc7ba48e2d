import { sql } from "drizzle-orm";
import { boolean, check, integer, pgTable, text, uniqueIndex, varchar } from "drizzle-orm/pg-core";
import { createdAt, currency, minor, updatedAt } from "./columns";
import { providerId, providerMode } from "./enums";

export const merchants = pgTable(
  "merchants",
  {
    id: text().primaryKey(),
    slug: varchar({ length: 40 }).notNull(),
    name: text().notNull(),
    country: varchar({ length: 2 }).notNull(),
    currency: currency().notNull(),
    defaultLocale: varchar({ length: 2 }).notNull().default("fr"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("merchants_slug_key").on(t.slug),
    check("merchants_slug_format", sql`${t.slug} ~ '^[a-z0-9][a-z0-9-]*$'`),
  ],
);

/**
 * One account per merchant and provider. `publicId` is the non-secret identifier the provider
 * puts on the wire (CinetPay site_id, Orange merchant_key, KKiaPay public key, iPay vid) so the
 * sandbox can find the account; everything secret lives only in `credentialsEncrypted`.
 */
export const providerAccounts = pgTable(
  "provider_accounts",
  {
    id: text().primaryKey(),
    merchantId: text()
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    provider: providerId().notNull(),
    mode: providerMode().notNull().default("sandbox"),
    enabled: boolean().notNull().default(true),
    publicId: text().notNull(),
    credentialsEncrypted: text().notNull(),
    /** Fee contract: a rate in basis points of the amount plus a fixed part, in minor units. */
    feeRateBps: integer().notNull().default(0),
    feeFixedMinor: minor().notNull().default(0),
    settlementDelayDays: integer().notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("provider_accounts_merchant_provider_key").on(t.merchantId, t.provider),
    uniqueIndex("provider_accounts_public_id_key").on(t.provider, t.mode, t.publicId),
    check("provider_accounts_fee_rate", sql`${t.feeRateBps} between 0 and 10000`),
    check("provider_accounts_fee_fixed", sql`${t.feeFixedMinor} >= 0`),
    check("provider_accounts_settlement_delay", sql`${t.settlementDelayDays} between 0 and 60`),
  ],
);
