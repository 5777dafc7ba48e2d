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
  op: z.enum(["add", "inc", "dec", "remove"]),
  back: z.enum(["shop", "checkout"]).catch("shop"),
});

/**
 * The storefront's "Add to cart" and the checkout's −, + and remove: plain forms, so they work
 * before and without JavaScript (the browser posts, is redirected, and gets the page again);
 * with it, the same action re-renders the page in place. Only an active product of the store is
 * ever added. Bad input changes nothing.
 */
export async function cartAction(form: FormData): Promise<void> {
  form = formArg(form);
  const parsed = cartForm.safeParse(Object.fromEntries(["shop", "product", "op", "back"].map((k) => [k, form.get(k) ?? undefined])));
  if (!parsed.success) redirect("/");
  const { shop, product, op, back } = parsed.data;
  const lines = await readCart(shop);
  const next = applyCartOp(lines, op, product);
  const wanted = next.find((l) => l.productId === product)?.quantity ?? 0;
  const had = lines.find((l) => l.productId === product)?.quantity ?? 0;
  // Only more of a product is checked: fewer, or none, is always allowed.
  const left = wanted > had ? await unitsLeft(shop, product) : null;
  // A sold-out product, or one more than is left, is refused whatever the browser sent (the
  // button is disabled, a crafted post is not): the page says so at that product (`short`).
  const short = typeof left === "number" && wanted > left;
  if (!short && left !== "not_sold") await writeCart(shop, next);
  const flag = short ? `?short=${product}` : "";
  if (back === "checkout") redirect(`/${shop}/checkout${flag}`);
  // Without JavaScript (no Next-Action header) the browser loads the storefront afresh, at its
  // top: the fragment brings the shopper back to the product they added. With it, the page
  // re-renders in place and keeps its scroll.
  redirect((await headers()).has("next-action") ? `/${shop}${flag}` : `/${shop}${flag}#${product}`);
}

/** Units left of an active product of the store (null: unlimited), or "not_sold". */
async function unitsLeft(shop: string, productId: string): Promise<number | null | "not_sold"> {
  const db = await getDb();
  const [row] = await db
    .select({ stock: products.stock })
    .from(products)
    .innerJoin(merchants, eq(merchants.id, products.merchantId))
    .where(and(eq(merchants.slug, shop), eq(products.id, productId), eq(products.active, true)));
  return row ? row.stock : "not_sold";
}
