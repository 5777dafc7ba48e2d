import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { notifications, orders, payments } from "@/db/schema";
import type { MerchantContext } from "@/lib/auth/membership";
import { can } from "@/lib/auth/permissions";
import type { PaymentDeps } from "@/lib/payments/accounts";
import { replayDelivery } from "@/lib/payments/notifications";
import type { TimeCursor } from "./keyset";
import { FORBIDDEN, type ActionResult } from "./payment-actions";
import { recordId } from "@/lib/validation";

const UNDECIDED = ["created", "pending", "waiting_for_customer"] as const;

/**
 * Payments still waiting for a verdict, oldest first (the ones a merchant should look at),
 * keyset-paged on (created_at, id) so a backlog is browsable to its end, a page at a time.
 */
export async function listPending(db: Db, merchantId: string, cursor?: TimeCursor, limit = 50) {
  const rows = await db
    .select({
      id: payments.id,
      orderId: payments.orderId,
      orderReference: orders.reference,
      // Who to call or write to about it (the pending list's tap-to-call and WhatsApp buttons).
      customerName: orders.customerName,
      customerPhone: orders.customerPhone,
      reference: payments.reference,
      provider: payments.provider,
      method: payments.method,
      status: payments.status,
      amountMinor: payments.amountMinor,
      currency: payments.currency,
      createdAt: payments.createdAt,
      lastCheckedAt: payments.lastCheckedAt,
      nextCheckAt: payments.nextCheckAt,
      checkAttempts: payments.checkAttempts,
      expiresAt: payments.expiresAt,
      cursorAt: sql<string>`${payments.createdAt}::text`,
    })
    .from(payments)
    .innerJoin(orders, eq(orders.id, payments.orderId))
    .where(
      and(
        eq(payments.merchantId, merchantId),
        inArray(payments.status, [...UNDECIDED]),
        cursor ? sql`(${payments.createdAt}, ${payments.id}) > (${cursor.at}::timestamptz, ${cursor.id})` : undefined,
      ),
    )
    .orderBy(asc(payments.createdAt), asc(payments.id))
    .limit(limit + 1);
  return pageOf(rows, limit);
}

function pageOf<T extends { cursorAt: string; id: string }>(rows: T[], limit: number): { rows: T[]; next?: TimeCursor } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, next: rows.length > limit && last ? { at: last.cursorAt, id: last.id } : undefined };
}

/** Inbound deliveries, newest first, keyset-paged on (received_at, id). Bodies stay server-side. */
export async function listNotifications(db: Db, merchantId: string, cursor?: TimeCursor, limit = 50) {
  const rows = await db
    .select({
      id: notifications.id,
      provider: notifications.provider,
      verdict: notifications.verdict,
      method: notifications.method,
      attempts: notifications.attempts,
      lastError: notifications.lastError,
      receivedAt: notifications.receivedAt,
      processedAt: notifications.processedAt,
      paymentId: notifications.paymentId,
      paymentReference: payments.reference,
      orderId: payments.orderId,
      // Postgres keeps microseconds, a JS Date only milliseconds: the cursor keeps the exact text.
      cursorAt: sql<string>`${notifications.receivedAt}::text`,
    })
    .from(notifications)
    .leftJoin(payments, and(eq(payments.id, notifications.paymentId), eq(payments.merchantId, merchantId)))
    .where(
      and(
        eq(notifications.merchantId, merchantId),
        cursor ? sql`(${notifications.receivedAt}, ${notifications.id}) < (${cursor.at}::timestamptz, ${cursor.id})` : undefined,
      ),
    )
    .orderBy(desc(notifications.receivedAt), desc(notifications.id))
    .limit(limit + 1);
  return pageOf(rows, limit);
}

/**
 * Replay: the stored delivery goes through parse → verify → status check again. A forgery stays
 * rejected (its verdict now is "forged" and nothing is checked); every replay is an event.
 */
export async function replayNotification(deps: PaymentDeps, ctx: MerchantContext, input: unknown): Promise<ActionResult<{ verdict: string }>> {
  if (!can(ctx, "replay")) return FORBIDDEN;
  const parsed = z.object({ notificationId: recordId }).safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid_input" };
  const [delivery] = await deps.db
    .select({ id: notifications.id, paymentId: notifications.paymentId })
    .from(notifications)
    .where(and(eq(notifications.id, parsed.data.notificationId), eq(notifications.merchantId, ctx.merchant.id)));
  if (!delivery) return { ok: false, error: "not_found" };
  if (!delivery.paymentId) return { ok: false, error: "not_replayable" };
  const outcome = await replayDelivery(deps, ctx.merchant.id, delivery.id, `user:${ctx.user.id}`);
  if (!outcome) return { ok: false, error: "not_replayable" };
  if (outcome.verdict === "forged") return { ok: false, error: "replay_forged" };
  return { ok: true, verdict: outcome.verdict };
}
