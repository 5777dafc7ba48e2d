import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { merchants, storeLogos } from "@/db/schema";
import { productImageUrl, type CheckedImage } from "@/lib/products/image";

/**
 * The writes that give a store its logo: the bytes, and the URL its pages show. The logo is
 * checked and served as a product image is (lib/products/image.ts, image-route.ts), so it is one
 * of the same content-addressed URLs.
 */
export function logoWrites(db: Db, merchantId: string, image: CheckedImage) {
  const row = { merchantId, sha256: image.sha256, contentType: image.contentType, bytes: image.bytes };
  return [
    db.insert(storeLogos).values(row).onConflictDoUpdate({ target: storeLogos.merchantId, set: { sha256: row.sha256, contentType: row.contentType, bytes: row.bytes, createdAt: new Date() } }),
    db.update(merchants).set({ logoUrl: productImageUrl(image.sha256) }).where(eq(merchants.id, merchantId)),
  ];
}

export function logoRemoval(db: Db, merchantId: string) {
  return [db.delete(storeLogos).where(eq(storeLogos.merchantId, merchantId)), db.update(merchants).set({ logoUrl: null }).where(eq(merchants.id, merchantId))];
}
