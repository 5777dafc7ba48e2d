import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, varchar } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { createdAt } from "./columns";
import { providerMode } from "./enums";
import { merchants } from "./merchants";

/**
 * A store's keys to the merchant API (lib/api). The key itself is shown once and never stored:
 * only its SHA-256, looked up by index. Its mode decides which data it sees and where the
 * payments it starts go (sandbox: the simulators; live: the providers).
 */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: text().primaryKey(),
    merchantId: text()
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    mode: providerMode().notNull(),
    name: varchar({ length: 60 }).notNull(),
    keyHash: text().notNull(),
    /** The key's last four characters, so an owner can tell keys apart. */
    lastFour: varchar({ length: 4 }).notNull(),
    createdBy: text().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    /** Written at most once a minute per key: a request costs no write for it. */
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    revokedBy: text().references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [uniqueIndex("api_keys_key_hash_key").on(t.keyHash), index("api_keys_merchant_created_idx").on(t.merchantId, t.createdAt, t.id)],
);

/**
 * One row per Idempotency-Key of a key: the request's hash, then the answer to replay for 24 h.
 * The row is inserted before the request runs, so a concurrent twin finds it and never runs.
 */
export const apiIdempotencyKeys = pgTable(
  "api_idempotency_keys",
  {
    apiKeyId: text()
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    key: varchar({ length: 255 }).notNull(),
    requestHash: text().notNull(),
    /** Null while the first request runs. */
    responseStatus: integer(),
    /** The answer's JSON as sent, byte for byte (jsonb would reorder its keys). */
    responseBody: text(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.apiKeyId, t.key] }),
    index("api_idempotency_keys_created_idx").on(t.createdAt),
    check("api_idempotency_keys_status", sql`${t.responseStatus} is null or ${t.responseStatus} between 200 and 499`),
  ],
);

/** Requests per key and fixed window, counted in the database so every instance shares the limit. */
export const apiRequestCounts = pgTable(
  "api_request_counts",
  {
    apiKeyId: text()
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    windowStart: timestamp({ withTimezone: true }).notNull(),
    requests: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.windowStart] })],
);
