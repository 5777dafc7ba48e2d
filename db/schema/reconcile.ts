import { integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { providerMode } from "./enums";
import { providerAccounts } from "./merchants";

/**
 * Each provider account's status-API budget, shared by every app instance: calls spent in the
 * current one-minute window, and a pause after the provider answered 429 (Retry-After).
 */
export const providerRateBudgets = pgTable(
  "provider_rate_budgets",
  {
    accountId: text()
      .notNull()
      .references(() => providerAccounts.id, { onDelete: "cascade" }),
    mode: providerMode().notNull(),
    windowStartedAt: timestamp({ withTimezone: true }).notNull(),
    used: integer().notNull().default(0),
    pausedUntil: timestamp({ withTimezone: true }),
    /** When reconciliation's calls on the account began failing for want of an answer (lib/payments/recovery.ts). */
    failingSince: timestamp({ withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.mode] })],
);
