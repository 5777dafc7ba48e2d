import { sql } from "drizzle-orm";
import { check, index, pgTable, text, timestamp, uniqueIndex, varchar } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { createdAt } from "./columns";
import { memberRole } from "./enums";
import { merchants } from "./merchants";

/**
 * An owner's invitation to join their store. Only the SHA-256 of the link's token is kept: the
 * token itself is shown once to the owner and never stored, so a database leak opens no door.
 */
export const invitations = pgTable(
  "invitations",
  {
    id: text().primaryKey(),
    merchantId: text()
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    email: varchar({ length: 254 }).notNull(),
    role: memberRole().notNull(),
    tokenHash: text().notNull(),
    invitedBy: text().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    acceptedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex("invitations_token_hash_key").on(t.tokenHash),
    // One live invitation per person and store; accepted and revoked ones stay as history.
    uniqueIndex("invitations_pending_email_key")
      .on(t.merchantId, sql`lower(${t.email})`)
      .where(sql`${t.acceptedAt} is null and ${t.revokedAt} is null`),
    index("invitations_merchant_idx").on(t.merchantId, t.createdAt),
    check("invitations_email_lower", sql`${t.email} = lower(${t.email})`),
  ],
);
