import { and, eq, isNotNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { checkoutSessions, orders, payments } from "@/db/schema";
import { SESSION_ID_PLACEHOLDER } from "./input";
import type { SessionRow } from "./create";

export type SessionStatus = "open" | "complete" | "expired";
export type LoadedSession = SessionRow & { completedAt: Date | null; paymentId: string | null; orderStatus: string | null };

/**
 * A session with what its status is derived from, in one read: its order's paid_at (written by
 * the paid transition, so "complete" follows the payment with no writer of its own) and the paid
 * payment. `merchantId`: the caller's store; another store's session is not found.
 */
export async function loadSession(db: Db, where: { id: string; merchantId?: string } | { orderId: string }): Promise<LoadedSession | null> {
  const condition =
    "orderId" in where
      ? eq(checkoutSessions.orderId, where.orderId)
      : where.merchantId !== undefined
        ? and(eq(checkoutSessions.id, where.id), eq(checkoutSessions.merchantId, where.merchantId))
        : eq(checkoutSessions.id, where.id);
  const [row] = await db
    .select({ session: checkoutSessions, completedAt: orders.paidAt, orderStatus: orders.status, paymentId: payments.id })
    .from(checkoutSessions)
    .leftJoin(orders, eq(orders.id, checkoutSessions.orderId))
    .leftJoin(payments, and(eq(payments.orderId, orders.id), isNotNull(payments.paidAt)))
    .where(condition)
    .orderBy(payments.paidAt)
    .limit(1);
  return row ? { ...row.session, completedAt: row.completedAt, orderStatus: row.orderStatus, paymentId: row.completedAt ? row.paymentId : null } : null;
}

/** Paid is complete whenever it happened (a late confirmation lands on the order all the same); unpaid past its expiry is expired. */
export function sessionStatus(session: Pick<LoadedSession, "completedAt" | "expiresAt">, now: Date): SessionStatus {
  if (session.completedAt) return "complete";
  return now.getTime() >= session.expiresAt.getTime() ? "expired" : "open";
}

/** Whether the page may start a payment for it: open, and its order (if any) still open. */
export const mayPay = (session: LoadedSession, now: Date) => sessionStatus(session, now) === "open" && (session.orderStatus === null || session.orderStatus === "open");

export const sessionPageUrl = (appUrl: string, id: string) => `${appUrl}/checkout/${id}`;

/** Where a paid shopper goes: the merchant's success_url with the session's id, as Stripe does. */
export function successUrlFor(session: Pick<SessionRow, "id" | "successUrl">): string {
  const url = session.successUrl;
  for (const placeholder of [SESSION_ID_PLACEHOLDER, encodeURIComponent(SESSION_ID_PLACEHOLDER)]) {
    if (url.includes(placeholder)) return url.replaceAll(placeholder, session.id);
  }
  const parsed = new URL(url);
  parsed.searchParams.append("session_id", session.id);
  return parsed.toString();
}
