import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { mailMessages } from "@/db/schema";
import { decryptJson, encryptJson } from "@/lib/crypto";
import { errorMessage } from "@/lib/log";
import { loadPaidOrder } from "./paid-order";
import { paymentReceivedMail, receiptMail, type MailContent } from "./templates";
import type { MailTransport } from "./transport";
import { rowsOf } from "@/db/rows";

export type MailKind = "password_reset" | "invitation" | "receipt" | "payment_received";

export type MailDeps = { db: Db; encryptionKey: string; appUrl: string; transport: MailTransport };

export type NewMail = {
  kind: MailKind;
  recipient: string;
  locale: string;
  content: MailContent;
  merchantId?: string | null;
  userId?: string | null;
  dedupeKey?: string | null;
};

/**
 * Writes a message to send (with `db` a transaction's handle, it is sent only if that
 * transaction commits). The worker's pump hands it to pg-boss within seconds. Null when a message
 * with the same dedupe key exists.
 */
export async function queueMail(db: Db, encryptionKey: string, mail: NewMail): Promise<string | null> {
  const [row] = await db
    .insert(mailMessages)
    .values({
      kind: mail.kind,
      recipient: mail.recipient,
      locale: mail.locale,
      merchantId: mail.merchantId ?? null,
      userId: mail.userId ?? null,
      dedupeKey: mail.dedupeKey ?? null,
      content: encryptJson(mail.content, encryptionKey),
    })
    .onConflictDoNothing()
    .returning({ id: mailMessages.id });
  return row?.id ?? null;
}

/** The paid-order messages are written by the paid transition's statement, without content: it is drawn from the order here. */
async function contentOf(deps: MailDeps, row: typeof mailMessages.$inferSelect): Promise<MailContent | null> {
  if (row.content) return decryptJson<MailContent>(row.content, deps.encryptionKey);
  if (!row.orderId || (row.kind !== "receipt" && row.kind !== "payment_received")) return null;
  const order = await loadPaidOrder(deps.db, row.orderId, deps.appUrl);
  if (!order) return null;
  const locale = row.locale === "en" ? "en" : "fr";
  const content = row.kind === "receipt" ? receiptMail(locale, order) : paymentReceivedMail(locale, order);
  // Kept, so a retry sends the same words and the outbox can show them.
  await deps.db.update(mailMessages).set({ content: encryptJson(content, deps.encryptionKey) }).where(eq(mailMessages.id, row.id));
  return content;
}

export type Delivery = "sent" | "already_sent" | "gone";

/**
 * One delivery attempt. A failure is recorded on the row and thrown, so pg-boss retries the job
 * with its backoff; the message stays queued whatever happens until the SMTP server took it.
 */
export async function deliverMail(deps: MailDeps, messageId: string, now = new Date()): Promise<Delivery> {
  const [row] = await deps.db.select().from(mailMessages).where(eq(mailMessages.id, messageId));
  if (!row) return "gone";
  if (row.status === "sent") return "already_sent";
  try {
    const content = await contentOf(deps, row);
    if (!content) return "gone";
    await deps.transport.send({ ...content, to: row.recipient });
  } catch (error) {
    await deps.db
      .update(mailMessages)
      .set({ attempts: sql`${mailMessages.attempts} + 1`, lastError: errorMessage(error).slice(0, 500) })
      .where(eq(mailMessages.id, row.id));
    throw error;
  }
  // What left by SMTP is not kept readable here (a reset link is a key); the outbox keeps its copy.
  await deps.db
    .update(mailMessages)
    .set({
      status: "sent",
      via: deps.transport.via,
      sentAt: now,
      attempts: sql`${mailMessages.attempts} + 1`,
      lastError: null,
      ...(deps.transport.via === "smtp" ? { content: null } : {}),
    })
    .where(and(eq(mailMessages.id, row.id), eq(mailMessages.status, "queued")));
  return "sent";
}

/** A job asked for this long ago and still queued is asked for again (a job lost with its process). */
const REQUEUE_AFTER = "15 minutes";

/**
 * Claims queued messages no job was asked for (or whose job is long overdue): the queue's
 * entries come from here, so a message written in any transaction anywhere reaches pg-boss.
 */
export async function claimUnqueued(db: Db, limit = 50): Promise<string[]> {
  const result = await db.execute(sql`
    update mail_messages set enqueued_at = now()
    where id in (
      select id from mail_messages
      where status = 'queued' and (enqueued_at is null or enqueued_at < now() - ${REQUEUE_AFTER}::interval)
      order by created_at limit ${limit} for update skip locked
    )
    returning id`);
  const rows = rowsOf<{ id: string }>(result);
  return rows.map((r) => r.id);
}

/** A claim whose job could not be asked for: free again for the next pump. */
export async function unclaim(db: Db, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(sql`update mail_messages set enqueued_at = null where id in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})`);
}
