"use server";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { formArg, recordId } from "@/lib/validation";
import { changeCart } from "./change";

const cartForm = z.object({
  shop: recordId,
  product: z.string().regex(/^prd_[A-Za-z0-9]{22}$/),
  op: z.literal("add"),
});

/**
 * The storefront's "Add to cart": a plain form, so it works before and without JavaScript (the
 * browser posts, is redirected, and gets the page again); with it, the same action re-renders the
 * page in place. Only an active product of the store, with a unit left, is ever added (./change.ts);
 * a refusal is told at that product (`short`). Bad input changes nothing.
 * The checkout's −, + and remove belong to the checkout form (./line-edit.ts).
 */
export async function cartAction(form: FormData): Promise<void> {
  form = formArg(form);
  const parsed = cartForm.safeParse(Object.fromEntries(["shop", "product", "op"].map((k) => [k, form.get(k) ?? undefined])));
  if (!parsed.success) redirect("/");
  const { shop, product } = parsed.data;
  const short = await changeCart(shop, "add", product);
  const flag = short ? `?short=${product}` : "";
  // Without JavaScript (no Next-Action header) the browser loads the storefront afresh, at its
  // top: the fragment brings the shopper back to the product they added. With it, the page
  // re-renders in place and keeps its scroll.
  redirect((await headers()).has("next-action") ? `/${shop}${flag}` : `/${shop}${flag}#${product}`);
}
