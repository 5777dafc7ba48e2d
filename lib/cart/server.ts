import "server-only";
import { cookies } from "next/headers";
import { env } from "@/lib/env";
import { cartKey, decodeCart, encodeCart, type CartLine } from "./cookie";

/**
 * One cookie per store, scoped to the store's pages (/<slug> and /<slug>/checkout, where the cart
 * is shown and changed): httpOnly, since no script reads it; SameSite=Lax, so that coming back
 * from a provider's page still shows the shop's cart.
 */
const NAME = "caisse_cart";
const MAX_AGE = 30 * 24 * 60 * 60;

let key: Buffer | undefined;
const signingKey = () => (key ??= cartKey(env().NEXTAUTH_SECRET));

export async function readCart(shop: string): Promise<CartLine[]> {
  return decodeCart(signingKey(), shop, (await cookies()).get(NAME)?.value);
}

/** Only from a server action or a route: a page cannot set cookies. */
export async function writeCart(shop: string, lines: CartLine[]): Promise<void> {
  const jar = await cookies();
  const options = { path: `/${shop}`, httpOnly: true, sameSite: "lax" as const, secure: env().APP_URL.startsWith("https:") };
  if (lines.length === 0) jar.set(NAME, "", { ...options, maxAge: 0 });
  else jar.set(NAME, encodeCart(signingKey(), shop, lines), { ...options, maxAge: MAX_AGE });
}
