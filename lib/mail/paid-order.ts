import { asc, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { merchants, orderItems, orders } from "@/db/schema";
import type { PaidOrder } from "./templates";

/**
 * The messages an order's payment causes, as data-modifying CTEs for the paid transition's own
 * statement (lib/payments/transitions.ts): the receipt to a shopper who gave an e-mail, in the
 * store's language, and an alert to each member who asked for them, in theirs. Written with the
 * transition or not at all; the dedupe keys make it once per order whatever repeats.
 * `paidOrders` names a CTE returning the ids of the orders that have just become paid; `payment`
 * is the paying payment's id.
 *
 * A sandbox payment's receipt goes only to an address of the store's own members (as test-mode
 * mail does at Stripe): anyone may open a store and pay through the simulators, and receipts to
 * any address typed at checkout would let them send mail in our name to whoever they like.
 */
export function paidOrderMessagesSql(paidOrders: SQL, payment: SQL): SQL {
  return sql`
    receipt_mail as (
      insert into mail_messages (merchant_id, kind, dedupe_key, recipient, locale, order_id)
      select o.merchant_id, 'receipt', 'receipt:' || o.id, o.customer_email, m.default_locale, o.id
      from orders o join merchants m on m.id = o.merchant_id
      where o.id in (select id from ${paidOrders}) and coalesce(o.customer_email, '') <> ''
        and ((select mode from payments where id = ${payment}) = 'live'
          or exists (select 1 from members tm join users tu on tu.id = tm.user_id
                     where tm.merchant_id = o.merchant_id and lower(tu.email) = lower(o.customer_email)))
      on conflict (dedupe_key) do nothing
      returning id
    ), alert_mail as (
      insert into mail_messages (merchant_id, kind, dedupe_key, recipient, locale, order_id, user_id)
      select o.merchant_id, 'payment_received', 'payment_received:' || o.id || ':' || u.id, u.email, u.locale, o.id, u.id
      from orders o
      join members mb on mb.merchant_id = o.merchant_id and mb.payment_alerts
      join users u on u.id = mb.user_id
      where o.id in (select id from ${paidOrders})
      on conflict (dedupe_key) do nothing
      returning id
    )`;
}

export async function loadPaidOrder(db: Db, orderId: string, appUrl: string): Promise<PaidOrder | null> {
  const [order] = await db
    .select({
      storeName: merchants.name,
      timeZone: merchants.timeZone,
      reference: orders.reference,
      customerName: orders.customerName,
      currency: orders.currency,
      amountMinor: orders.amountMinor,
      paidAt: orders.paidAt,
      updatedAt: orders.updatedAt,
    })
    .from(orders)
    .innerJoin(merchants, eq(merchants.id, orders.merchantId))
    .where(eq(orders.id, orderId));
  if (!order) return null;
  const items = await db
    .select({ name: orderItems.name, quantity: orderItems.quantity, totalMinor: orderItems.totalMinor })
    .from(orderItems)
    .where(eq(orderItems.orderId, orderId))
    .orderBy(asc(orderItems.id));
  const base = appUrl.replace(/\/$/, "");
  return {
    ...order,
    paidAt: order.paidAt ?? order.updatedAt,
    items,
    orderUrl: `${base}/orders/${orderId}`,
    dashboardUrl: `${base}/dashboard/orders/${orderId}`,
  };
}
