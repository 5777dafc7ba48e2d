import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, varchar } from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "./columns";
import { memberRole } from "./enums";
import { merchants } from "./merchants";

export const users = pgTable(
  "users",
  {
    id: text().primaryKey(),
    email: varchar({ length: 254 }).notNull(),
    name: text().notNull(),
    passwordHash: text().notNull(),
    /** The language this person last chose (fr | en): e-mails to them are written in it. */
    locale: varchar({ length: 2 }).notNull().default("fr"),
    /** When a reset last set the password: sessions signed in before it are over (lib/auth/session.ts). */
    passwordChangedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("users_email_key").on(sql`lower(${t.email})`)],
);

export const members = pgTable(
  "members",
  {
    id: text().primaryKey(),
    merchantId: text()
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: memberRole().notNull(),
    /** Opt-in: an e-mail to this member each time one of the store's orders is paid. */
    paymentAlerts: boolean().notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("members_merchant_user_key").on(t.merchantId, t.userId), index("members_user_idx").on(t.userId)],
);

/** Failed sign-ins per key (an e-mail or an IP) and window, shared by every app instance. */
export const signInAttempts = pgTable(
  "sign_in_attempts",
  {
    key: text().notNull(),
    windowStart: timestamp({ withTimezone: true }).notNull(),
    failures: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);
