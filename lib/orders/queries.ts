import { and, asc, desc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { orderItems, orders, payments } from "@/db/schema";

/** Every dashboard read takes the merchant id from the session and filters on it in SQL. */
export async function countOrders(db: Db, merchantId: string): Promise<number> {
  return db.$count(orders, eq(orders.merchantId, merchantId));
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
