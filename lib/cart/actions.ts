"use server";
import { and, eq } from "drizzle-orm";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db";
import { merchants, products } from "@/db/schema";
import { formArg, recordId } from "@/lib/validation";
import { applyCartOp } from "./cookie";
import { readCart, writeCart } from "./server";

const cartForm = z.object({
  shop: recordId,
  product: z.string().regex(/^prd_[A-Za-z0-9]{22}$/),
  op: z.literal("add"),
});

/**
 * The storefront's "Add to cart": a plain form, so it works before and without JavaScript (the
 * browser posts, is redirected, and gets the page again); with it, the same action re-renders the
 * page in place. Only an active product of the store is ever added. Bad input changes nothing.
 * The checkout's −, + and remove belong to the checkout form (./line-edit.ts).
 */
export async function cartAction(form: FormData): Promise<void> {
  form = formArg(form);
  const parsed = cartForm.safeParse(Object.fromEntries(["shop", "product", "op"].map((k) => [k, form.get(k) ?? undefined])));
  if (!parsed.success) redirect("/");
  const { shop, product } = parsed.data;
  if (await sells(shop, product)) await writeCart(shop, applyCartOp(await readCart(shop), "add", product));
  // Without JavaScript (no Next-Action header) the browser loads the storefront afresh, at its
  // top: the fragment brings the shopper back to the product they added. With it, the page
  // re-renders in place and keeps its scroll.
  redirect((await headers()).has("next-action") ? `/${shop}` : `/${shop}#${product}`);
}

async function sells(shop: string, productId: string): Promise<boolean> {
  const db = await getDb();
  const [row] = await db
    .select({ id: products.id })
    .from(products)
    .innerJoin(merchants, eq(merchants.id, products.merchantId))
    .where(and(eq(merchants.slug, shop), eq(products.id, productId), eq(products.active, true)));
  return Boolean(row);
}
