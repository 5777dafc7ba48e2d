import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { storefrontOrder } from "@/lib/products/order";
import { merchants, products, providerAccounts } from "@/db/schema";
import { hasControlChars } from "@/lib/validation";
import { checkoutCountries, paymentOptions, type EnabledAccount, type PaymentOption } from "@/lib/payments/routing";

/** Everything a storefront and its checkout show, for one merchant found by its public slug. */
export async function loadShop(db: Db, slug: string) {
  if (hasControlChars(slug)) return null;
  const [merchant] = await db.select().from(merchants).where(eq(merchants.slug, slug));
  if (!merchant) return null;
  const [catalog, accounts] = await Promise.all([
    db
      .select({ id: products.id, name: products.name, description: products.description, imageUrl: products.imageUrl, priceMinor: products.priceMinor, currency: products.currency, stock: products.stock })
      .from(products)
      .where(and(eq(products.merchantId, merchant.id), eq(products.active, true)))
      .orderBy(...storefrontOrder),
    db.select({ provider: providerAccounts.provider, enabled: providerAccounts.enabled }).from(providerAccounts).where(eq(providerAccounts.merchantId, merchant.id)),
  ]);
  return { merchant, products: catalog, accounts, ...shopOffer(merchant.currency, accounts) };
}

/** The countries a shop sells to and the ways to pay in each, from its provider accounts. */
export function shopOffer(currency: string, accounts: EnabledAccount[]) {
  const countries = checkoutCountries(currency, accounts);
  const optionsByCountry: Record<string, PaymentOption[]> = Object.fromEntries(countries.map((c) => [c, paymentOptions(c, currency, null, accounts)]));
  return { countries, optionsByCountry };
}

export type Shop = NonNullable<Awaited<ReturnType<typeof loadShop>>>;
