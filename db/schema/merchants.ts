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
    /** IANA zone the store's day starts in (settlement dates, reports); chosen from the country at creation. */
    timeZone: text().notNull().default("UTC"),
    /** The store's logo (store_logos), by the SHA-256 of its bytes like a product image's URL; null: none. */
    logoUrl: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("merchants_slug_key").on(t.slug),
    check("merchants_slug_format", sql`${t.slug} ~ '^[a-z0-9][a-z0-9-]*$'`),
  ],
);

/**
 * One account per merchant and provider, with up to two credential sets side by side, as the
 * providers issue them: sandbox and live. `mode` chooses the set new payments use; a payment is
 * always asked about with the set of the mode it was made in (payments.mode), so switching to
 * live leaves the sandbox set for the payments made before. Each set is a `…PublicId`, the
 * non-secret identifier the provider puts on the wire (CinetPay site_id, Orange merchant_key,
 * KKiaPay public key, iPay vid) by which the sandbox finds the account, and `…CredentialsEncrypted`,
 * where everything secret lives. A set is whole or absent, and the active mode's is present.
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
    sandboxPublicId: text(),
    sandboxCredentialsEncrypted: text(),
    livePublicId: text(),
    liveCredentialsEncrypted: text(),
    /** Fee contract: a rate in basis points of the amount plus a fixed part, in minor units. */
    feeRateBps: integer().notNull().default(0),
    feeFixedMinor: minor().notNull().default(0),
    settlementDelayDays: integer().notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("provider_accounts_merchant_provider_key").on(t.merchantId, t.provider),
    // A provider account belongs to one store (null ids are distinct: accounts without that set).
    uniqueIndex("provider_accounts_sandbox_public_id_key").on(t.provider, t.sandboxPublicId),
    uniqueIndex("provider_accounts_live_public_id_key").on(t.provider, t.livePublicId),
    check("provider_accounts_sandbox_set_whole", sql`(${t.sandboxPublicId} is null) = (${t.sandboxCredentialsEncrypted} is null)`),
    check("provider_accounts_live_set_whole", sql`(${t.livePublicId} is null) = (${t.liveCredentialsEncrypted} is null)`),
    check(
      "provider_accounts_active_set",
      sql`case ${t.mode} when 'sandbox' then ${t.sandboxCredentialsEncrypted} is not null else ${t.liveCredentialsEncrypted} is not null end`,
    ),
    check("provider_accounts_fee_rate", sql`${t.feeRateBps} between 0 and 10000`),
    check("provider_accounts_fee_fixed", sql`${t.feeFixedMinor} >= 0`),
    check("provider_accounts_settlement_delay", sql`${t.settlementDelayDays} between 0 and 60`),
  ],
);
