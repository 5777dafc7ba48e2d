import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { orderItems, orders, payments } from "@/db/schema";

/** Every dashboard read takes the merchant id from the session and filters on it in SQL. */
/**
 * The merchant's order count, exact up to `cap`: past it the overview says "more than", since an
 * exact count reads the merchant's whole history (a million index entries) on every visit.
 */
export async function countOrders(db: Db, merchantId: string, cap = 10_000): Promise<{ count: number; capped: boolean }> {
  const limited = db.select({ one: sql`1` }).from(orders).where(eq(orders.merchantId, merchantId)).limit(cap + 1).as("limited");
  const [row] = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(limited);
  const n = row?.n ?? 0;
  return n > cap ? { count: cap, capped: true } : { count: n, capped: false };
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
