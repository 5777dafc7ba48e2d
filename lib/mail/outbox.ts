import { and, desc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { mailMessages } from "@/db/schema";
import { decryptJson } from "@/lib/crypto";
import type { MailContent } from "./templates";

export type OutboxMessage = MailContent & { id: string; to: string; kind: string; createdAt: Date };

/**
 * What the development outbox kept: only messages that left through it (never what an SMTP
 * server got), and only those this environment's key opens: a database shared with another
 * environment shows none of that environment's mail.
 */
export async function keptMessages(db: Db, encryptionKey: string, limit = 100): Promise<OutboxMessage[]> {
  const rows = await db
    .select({ id: mailMessages.id, to: mailMessages.recipient, kind: mailMessages.kind, createdAt: mailMessages.createdAt, content: mailMessages.content })
    .from(mailMessages)
    .where(eq(mailMessages.via, "outbox"))
    .orderBy(desc(mailMessages.createdAt))
    .limit(limit);
  return rows.flatMap((row) => {
    const content = row.content ? opened(row.content, encryptionKey) : null;
    return content ? [{ id: row.id, to: row.to, kind: row.kind, createdAt: row.createdAt, ...content }] : [];
  });
}

export async function keptMessage(db: Db, encryptionKey: string, id: string): Promise<OutboxMessage | null> {
  const [row] = await db
    .select({ id: mailMessages.id, to: mailMessages.recipient, kind: mailMessages.kind, createdAt: mailMessages.createdAt, content: mailMessages.content })
    .from(mailMessages)
    .where(and(eq(mailMessages.id, id), eq(mailMessages.via, "outbox")));
  const content = row?.content ? opened(row.content, encryptionKey) : null;
  return row && content ? { id: row.id, to: row.to, kind: row.kind, createdAt: row.createdAt, ...content } : null;
}

function opened(payload: string, key: string): MailContent | null {
  try {
    return decryptJson<MailContent>(payload, key);
  } catch {
    return null;
  }
}
