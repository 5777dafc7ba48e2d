import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { storefrontOrder } from "@/lib/products/order";
import { merchants, products } from "@/db/schema";
import { SEED_MERCHANTS } from "@/db/seed-data";

export async function getStorefront(db: Db, slug: string) {
  const [merchant] = await db
    .select({ id: merchants.id, slug: merchants.slug, name: merchants.name, country: merchants.country, currency: merchants.currency, defaultLocale: merchants.defaultLocale })
    .from(merchants)
    .where(eq(merchants.slug, slug));
  if (!merchant) return null;
  const items = await db
    .select({ id: products.id, name: products.name, description: products.description, imageUrl: products.imageUrl, priceMinor: products.priceMinor, currency: products.currency, stock: products.stock })
    .from(products)
    .where(and(eq(products.merchantId, merchant.id), eq(products.active, true)))
    .orderBy(...storefrontOrder);
  return { merchant, products: items };
}

/** The home page's demo stores, when seeded: a store anyone opens by signing up is not advertised on Caisse's own page. */
export async function listStorefronts(db: Db) {
  const demo = SEED_MERCHANTS.map((m) => m.slug);
  return db.select({ slug: merchants.slug, name: merchants.name, country: merchants.country }).from(merchants).where(inArray(merchants.slug, demo)).orderBy(asc(merchants.name));
}
