import { and, eq, inArray, type SQLWrapper } from "drizzle-orm";
import type { Db } from "@/db/client";
import { products } from "@/db/schema";

export type CartLine = { productId: string; quantity: number };
export type PricedCart = NonNullable<Awaited<ReturnType<typeof priceCart>>>;

/**
 * Prices a cart from the database: the browser names products and quantities, never prices.
 * Null when a product is unknown, inactive, another merchant's, named twice, or has fewer units
 * left than asked (sold out). `merchantId` may
 * be a subquery yielding the id, so that a checkout prices the cart while it reads the merchant.
 */
export async function priceCart(db: Db, merchantId: string | SQLWrapper, cart: CartLine[]) {
  const ids = cart.map((l) => l.productId);
  if (new Set(ids).size !== ids.length) return null;
  const found = await db
    .select()
    .from(products)
    .where(and(eq(products.merchantId, merchantId), eq(products.active, true), inArray(products.id, ids)));
  if (found.length !== ids.length) return null;
  const byId = new Map(found.map((p) => [p.id, p]));
  if (cart.some((l) => { const left = byId.get(l.productId)!.stock; return left !== null && left < l.quantity; })) return null;
  const currencies = new Set(found.map((p) => p.currency));
  if (currencies.size !== 1) return null;
  const lines = cart.map((l) => {
    const p = byId.get(l.productId)!;
    return { productId: p.id, name: p.name, unitPriceMinor: p.priceMinor, quantity: l.quantity, totalMinor: p.priceMinor * l.quantity };
  });
  return { lines, amountMinor: lines.reduce((sum, l) => sum + l.totalMinor, 0), currency: found[0]!.currency };
}
