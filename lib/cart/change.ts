import "server-only";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { merchants, products } from "@/db/schema";
import { applyCartOp, type CartOp } from "./cookie";
import { readCart, writeCart } from "./server";

/** A product the cart could not take more of: its name and the units left (0: sold out). */
export type CartShortage = { productId: string; name: string; left: number };

/**
 * Applies one cart operation, from the storefront's "Add" or the checkout's −, + and remove. Only
 * more of a product is checked: fewer, or none, is always allowed. A sold-out product, or one unit
 * more than is left, is refused whatever the browser sent (the buttons are disabled, a crafted post
 * is not), and a product the store does not sell is never added.
 */
export async function changeCart(shop: string, op: CartOp, productId: string): Promise<CartShortage | null> {
  const lines = await readCart(shop);
  const next = applyCartOp(lines, op, productId);
  const wanted = next.find((l) => l.productId === productId)?.quantity ?? 0;
  const had = lines.find((l) => l.productId === productId)?.quantity ?? 0;
  const product = wanted > had ? await sold(shop, productId) : null;
  if (wanted > had && !product) return null;
  if (product && product.stock !== null && wanted > product.stock) return { productId, name: product.name, left: product.stock };
  await writeCart(shop, next);
  return null;
}

async function sold(shop: string, productId: string) {
  const db = await getDb();
  const [row] = await db
    .select({ name: products.name, stock: products.stock })
    .from(products)
    .innerJoin(merchants, eq(merchants.id, products.merchantId))
    .where(and(eq(merchants.slug, shop), eq(products.id, productId), eq(products.active, true)));
  return row ?? null;
}
