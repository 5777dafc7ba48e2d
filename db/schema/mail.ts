import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { createdAt } from "./columns";
import { merchants } from "./merchants";
import { orders } from "./orders";

/**
 * Every e-mail Caisse sends, from the moment it is decided until the SMTP server took it. A
 * message caused by a database change (an order paid) is written by the statement that makes the
 * change, so a paid order cannot miss its receipt and a rolled-back one never sends one; the
 * pg-boss job that delivers it carries only this row's id (the job id is the row id, so a
 * message is never queued twice). `content` (subject, text, HTML) is encrypted at rest: a reset
 * link is a key to an account. It is filled when the message is written, or rendered from the
 * order at the first delivery attempt for the paid-order messages, and emptied once the SMTP
 * server took it (the dev outbox keeps what it shows).
 */
export const mailMessages = pgTable(
  "mail_messages",
  {
    id: uuid().primaryKey().defaultRandom(),
    /** The store the message is about; null for messages to a person, not a store (password reset). */
    merchantId: text().references(() => merchants.id, { onDelete: "cascade" }),
    kind: text().notNull(),
    /** One message per key at most (a receipt per order, an alert per order and member). */
    dedupeKey: text(),
    recipient: varchar({ length: 254 }).notNull(),
    locale: varchar({ length: 2 }).notNull(),
    orderId: text().references(() => orders.id, { onDelete: "cascade" }),
    userId: text().references(() => users.id, { onDelete: "cascade" }),
    content: text(),
    status: text().notNull().default("queued"),
    /** How it left: "smtp", or "outbox" (kept for /dev/outbox, development without SMTP_URL). */
    via: text(),
    attempts: integer().notNull().default(0),
    lastError: text(),
    createdAt: createdAt(),
    /** When a job was last asked for it; null: none yet (the pump hands it to pg-boss). */
    enqueuedAt: timestamp({ withTimezone: true }),
    sentAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex("mail_messages_dedupe_key").on(t.dedupeKey),
    index("mail_messages_queued_idx").on(t.createdAt).where(sql`${t.status} = 'queued'`),
    index("mail_messages_merchant_idx").on(t.merchantId, t.createdAt),
    check("mail_messages_status", sql`${t.status} in ('queued', 'sent')`),
  ],
);

/** A password reset link: only the SHA-256 of its token is kept; it works once, for an hour. */
export const passwordResetTokens = pgTable(
  "password_reset_tokens",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text().notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex("password_reset_tokens_hash_key").on(t.tokenHash), index("password_reset_tokens_user_idx").on(t.userId)],
);
