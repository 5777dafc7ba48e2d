import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { orderDailyCounts, orderItems, orders, payments } from "@/db/schema";

/** Every dashboard read takes the merchant id from the session and filters on it in SQL. */
/**
 * The merchant's exact order count, summed from the per-day counts the database keeps
 * (order_daily_counts, db/schema/dashboard.ts): one row per day of history, not one per order.
 */
export async function countOrders(db: Db, merchantId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`coalesce(sum(${orderDailyCounts.ordersCount}), 0)`.mapWith(Number) })
    .from(orderDailyCounts)
    .where(eq(orderDailyCounts.merchantId, merchantId));
  return row?.n ?? 0;
}

export async function recentOrders(db: Db, merchantId: string, limit = 10) {
  return db
    .select({
      id: orders.id,
      reference: orders.reference,
      customerName: orders.customerName,
      amountMinor: orders.amountMinor,
      currency: orders.currency,
      status: orders.status,
      createdAt: orders.createdAt,
    })
    .from(orders)
    .where(eq(orders.merchantId, merchantId))
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(limit);
}

export async function getOrderForMerchant(db: Db, merchantId: string, orderId: string) {
  const [order] = await db
    .select()
    .from(orders)
    .where(and(eq(orders.id, orderId), eq(orders.merchantId, merchantId)));
  if (!order) return null;
  const [items, attempts] = await Promise.all([
    db.select().from(orderItems).where(eq(orderItems.orderId, order.id)).orderBy(asc(orderItems.id)),
    db.select().from(payments).where(eq(payments.orderId, order.id)).orderBy(asc(payments.createdAt)),
  ]);
  return { ...order, items, payments: attempts };
}
