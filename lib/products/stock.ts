import { sql } from "drizzle-orm";

/**
 * Stock is taken when an order is paid, not when it is placed: a placed order may never be
 * paid, and holding units for it would show a product sold out that nobody bought. The paid
 * transition (lib/payments/transitions.ts) takes it in its own statement, so it happens exactly
 * once per order, the moment the order moves to paid, and never on a repeated notification, a
 * status check, a reconciliation sweep or a retry: those find the payment paid already and move
 * nothing.
 *
 * A refund leaves stock as it is, on purpose: money going back does not bring the goods back
 * (they may be delivered, used or lost), and a shop that restocks on every refund would sell
 * units it does not have. A merchant who gets goods back raises the stock on the product page.
 */

/** The exception raised on a payment whose order was paid with fewer units left than it bought. */
export const SOLD_OUT_FLAG = "paid_after_sold_out";

/**
 * Common table expressions for the paid transition's statement. They expect `before`
 * (the payment row, with `merchant_id`) and `order_moves` (the `order_id` the statement moves to
 * paid, no row when it moves none), and define:
 * - `held`: the order's products that count stock, locked in id order (two orders sharing two
 *   products lock them in the same order, so they wait for each other instead of deadlocking),
 *   with the units left *after* any concurrent payment that took them first (FOR UPDATE reads
 *   the latest committed row under READ COMMITTED);
 * - `taken`: those products with their stock lowered, never below zero;
 * - `short`: the products the order bought more of than were left, and how many were missing.
 * Products with no stock (null: unlimited) and lines of a deleted product are not counted.
 */
export const takeStockCtes = sql`
  wanted as (
    select i.product_id, sum(i.quantity)::int as quantity
    from order_items i
    where i.order_id = (select order_id from order_moves) and i.product_id is not null
    group by i.product_id
  ), held as (
    select p.id, p.name, p.stock, w.quantity
    from products p join wanted w on w.product_id = p.id
    where p.stock is not null and p.merchant_id = (select merchant_id from before)
    order by p.id
    for update of p
  ), taken as (
    update products p set stock = greatest(h.stock - h.quantity, 0), updated_at = now()
    from held h where p.id = h.id
    returning p.id
  ), short as (
    select id, name, quantity, stock, quantity - stock as missing from held where quantity > stock
  )`;

/** The flag event's data: which products were short, and by how many units. */
export const shortageData = sql`jsonb_build_object('flag', ${SOLD_OUT_FLAG}::text, 'products', (
  select jsonb_agg(jsonb_build_object('productId', id, 'name', name, 'ordered', quantity, 'left', stock, 'missing', missing) order by name, id) from short
))`;
