import { and, eq, inArray, type SQLWrapper } from "drizzle-orm";
import type { Db } from "@/db/client";
import { products } from "@/db/schema";

export type CartLine = { productId: string; quantity: number };
export type PricedCart = NonNullable<Awaited<ReturnType<typeof priceCart>>>;

/** A cart line asking for more units than are left: the product's name and what is left (0: sold out). */
export type StockShortage = { productId: string; name: string; left: number; quantity: number };

/**
 * Prices a cart from the database: the browser names products and quantities, never prices.
 * Null when a product is unknown, inactive, another merchant's or named twice; `short` (never
 * priced) when a line asks for more units than are left, each such line named, so that the
 * checkout can say which one. `merchantId` may be a subquery yielding the id, so that a checkout
 * prices the cart while it reads the merchant.
 */
export async function checkCart(db: Db, merchantId: string | SQLWrapper, cart: CartLine[]) {
  const ids = cart.map((l) => l.productId);
  if (new Set(ids).size !== ids.length) return null;
  const found = await db
    .select()
    .from(products)
    .where(and(eq(products.merchantId, merchantId), eq(products.active, true), inArray(products.id, ids)));
  if (found.length !== ids.length) return null;
  const byId = new Map(found.map((p) => [p.id, p]));
  const currencies = new Set(found.map((p) => p.currency));
  if (currencies.size !== 1) return null;
  const short: StockShortage[] = cart.flatMap((l) => {
    const p = byId.get(l.productId)!;
    return p.stock !== null && p.stock < l.quantity ? [{ productId: p.id, name: p.name, left: p.stock, quantity: l.quantity }] : [];
  });
  if (short.length) return { short };
  const lines = cart.map((l) => {
    const p = byId.get(l.productId)!;
    return { productId: p.id, name: p.name, unitPriceMinor: p.priceMinor, quantity: l.quantity, totalMinor: p.priceMinor * l.quantity };
  });
  return { priced: { lines, amountMinor: lines.reduce((sum, l) => sum + l.totalMinor, 0), currency: found[0]!.currency } };
}

/** The priced cart, or null when checkCart refuses it (for any reason, a shortage included). */
export async function priceCart(db: Db, merchantId: string | SQLWrapper, cart: CartLine[]) {
  const checked = await checkCart(db, merchantId, cart);
  return checked?.priced ?? null;
}
