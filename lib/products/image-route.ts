import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { merchants, productImages, products, storeLogos } from "@/db/schema";
import { productImageUrl } from "./image";

const NOT_FOUND = () => new Response("Not Found", { status: 404, headers: { "content-type": "text/plain", "cache-control": "no-store" } });

/**
 * GET /products/images/<sha256>: the image of a product on sale or a store's logo, whoever's
 * store it is, since its storefront shows it to anyone; an archived product's image is not
 * served, nor a replaced logo, nor anything under another name. The URL names the bytes, so the answer never changes and is cached for good.
 */
export async function serveProductImage(db: Db, sha256: string): Promise<Response> {
  if (!/^[0-9a-f]{64}$/.test(sha256)) return NOT_FOUND();
  const url = productImageUrl(sha256);
  const [image] = await db
    .select({ contentType: productImages.contentType, bytes: productImages.bytes })
    .from(productImages)
    .innerJoin(products, eq(products.id, productImages.productId))
    .where(and(eq(productImages.sha256, sha256), eq(products.active, true), eq(products.imageUrl, url)))
    .unionAll(
      db
        .select({ contentType: storeLogos.contentType, bytes: storeLogos.bytes })
        .from(storeLogos)
        .innerJoin(merchants, eq(merchants.id, storeLogos.merchantId))
        .where(and(eq(storeLogos.sha256, sha256), eq(merchants.logoUrl, url))),
    )
    .limit(1);
  if (!image) return NOT_FOUND();
  return new Response(new Uint8Array(image.bytes), {
    headers: {
      "content-type": image.contentType,
      "content-length": String(image.bytes.byteLength),
      "cache-control": "public, max-age=31536000, immutable",
      etag: `"${sha256}"`,
      "x-content-type-options": "nosniff",
      // Opened on its own, an image is still never a document that runs anything.
      "content-security-policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    },
  });
}
