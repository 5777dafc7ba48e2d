import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { notifications, orderItems, orders, paymentEvents, payments, refunds } from "@/db/schema";
import { getProvider } from "@/lib/payments/registry";
import type { ProviderId } from "@/lib/payments/types";
import { hasControlChars } from "@/lib/validation";

export type RefundMode = "api_any" | "api_full_only" | "manual";

/**
 * What a refund of this payment will be, told to the merchant before they confirm. Mirrors the
 * decision in refundPayment (which stays the authority): an API refund when the provider can do
 * it for that amount, a manual one with instructions otherwise.
 */
export function refundMode(provider: ProviderId, priorRefunds: number): RefundMode {
  const { refunds: capability } = getProvider(provider).capabilities;
  if (!getProvider(provider).refund || capability === "none") return "manual";
  if (capability === "partial") return "api_any";
  return priorRefunds === 0 ? "api_full_only" : "manual";
}

/** Everything the order page shows, or null when the order is not this merchant's. */
export async function getOrderDetail(db: Db, merchantId: string, orderId: string) {
  if (hasControlChars(orderId)) return null;
  const [order] = await db
    .select()
    .from(orders)
    .where(and(eq(orders.id, orderId), eq(orders.merchantId, merchantId)));
  if (!order) return null;
  const attempts = await db
    .select()
    .from(payments)
    .where(and(eq(payments.orderId, order.id), eq(payments.merchantId, merchantId)))
    .orderBy(asc(payments.createdAt), asc(payments.id));
  const ids = attempts.map((p) => p.id);
  const [items, events, refundRows, deliveries] = await Promise.all([
    db.select().from(orderItems).where(eq(orderItems.orderId, order.id)).orderBy(asc(orderItems.id)),
    ids.length
      ? db.select().from(paymentEvents).where(and(inArray(paymentEvents.paymentId, ids), eq(paymentEvents.merchantId, merchantId))).orderBy(asc(paymentEvents.createdAt), asc(paymentEvents.id))
      : [],
    ids.length ? db.select().from(refunds).where(and(inArray(refunds.paymentId, ids), eq(refunds.merchantId, merchantId))).orderBy(asc(refunds.createdAt)) : [],
    ids.length
      ? db
          .select({ id: notifications.id, paymentId: notifications.paymentId, verdict: notifications.verdict, receivedAt: notifications.receivedAt, lastError: notifications.lastError })
          .from(notifications)
          .where(and(inArray(notifications.paymentId, ids), eq(notifications.merchantId, merchantId)))
      : [],
  ]);
  const payload = attempts.map((p) => {
    const own = refundRows.filter((r) => r.paymentId === p.id && r.status !== "failed");
    const refunded = own.reduce((sum, r) => sum + r.amountMinor, 0);
    const fee = p.feeReportedMinor ?? p.feeEstimatedMinor;
    return {
      ...p,
      // Per-payment secrets never leave this module.
      storedSecretEncrypted: undefined,
      providerToken: undefined,
      feeMinor: fee,
      feeReported: p.feeReportedMinor !== null,
      refundedMinor: refunded,
      remainingMinor: (p.paidAmountMinor ?? p.amountMinor) - refunded,
      refundMode: refundMode(p.provider, own.length),
    };
  });
  return { order, items, payments: payload, events, refunds: refundRows, notifications: deliveries };
}
