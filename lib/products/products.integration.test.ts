import { readFileSync } from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import * as s from "@/db/schema";
import { seedDemo } from "@/db/seed";
import type { MerchantContext } from "@/lib/auth/membership";
import { getStorefront } from "@/lib/catalog/queries";
import { loadShop } from "@/lib/checkout/shop";
import { priceCart } from "@/lib/orders/price";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { seededMerchantContext } from "@/lib/testing/merchant-context";
import { MAX_IMAGE_BYTES } from "./image";
import { serveProductImage } from "./image-route";
import { createProduct, listProducts, moveProduct, setProductArchived, updateProduct } from "./manage";

const PNG = new Uint8Array(readFileSync(path.join(process.cwd(), "e2e/support/product.png")));
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, ...new TextEncoder().encode("JFIF")]);
const WEBP = new Uint8Array([...new TextEncoder().encode("RIFF"), 4, 0, 0, 0, ...new TextEncoder().encode("WEBPVP8 ")]);
const sha256Of = (url: string | null) => url!.split("/").pop()!;

describe.each(TEST_DATABASES)("products on $name", ({ open }) => {
  let database: Database;
  let demo: MerchantContext;
  let autre: MerchantContext;
  beforeAll(async () => {
    database = await open();
    await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY, orders: 0 });
    demo = await seededMerchantContext(database, "owner@demo.test");
    autre = await seededMerchantContext(database, "owner@autre.test");
  });
  afterAll(() => database.close());

  const create = async (ctx: MerchantContext, fields: Record<string, string>, image?: Uint8Array) => {
    const created = await createProduct(database.db, ctx, fields, image ? { bytes: image } : null);
    if (!created.ok) throw new Error(JSON.stringify(created));
    return created.id;
  };
  const row = async (id: string) => (await database.db.select().from(s.products).where(eq(s.products.id, id)))[0]!;

  it("adds a product priced as typed, last on the storefront, with its image served by hash with strong caching", async () => {
    const id = await create(demo, { name: "Bissap 1 L", description: "Fleurs d'hibiscus", price: "5 000", stock: "" }, PNG);
    const product = await row(id);
    expect(product).toMatchObject({ merchantId: demo.merchant.id, priceMinor: 5000, currency: "XOF", stock: null, active: true });
    expect(product.imageUrl).toMatch(/^\/products\/images\/[0-9a-f]{64}$/);
    const shop = await getStorefront(database.db, "demo");
    expect(shop!.products.at(-1)).toMatchObject({ id, imageUrl: product.imageUrl });
    expect((await loadShop(database.db, "demo"))!.products.at(-1)!.id).toBe(id);

    const res = await serveProductImage(database.db, sha256Of(product.imageUrl));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG);
  });

  it("parses prices per currency decimals: KES 1,250.00 is 125000", async () => {
    const id = await create(autre, { name: "Kikapu", price: "1,250.00" });
    expect(await row(id)).toMatchObject({ priceMinor: 125000, currency: "KES", merchantId: autre.merchant.id });
  });

  it("refuses a price any enabled provider would refuse, in its own words, and junk, at the field", async () => {
    const notFive = await createProduct(database.db, demo, { name: "Bissap", price: "1 002" });
    expect(notFive).toMatchObject({ ok: false, fieldErrors: { price: "not_multiple_of_5" }, fieldMessages: { price: { fr: expect.stringContaining("multiple de 5"), en: expect.stringContaining("multiple of 5") } } });
    expect(await createProduct(database.db, demo, { name: "Bissap", price: "50" })).toMatchObject({ ok: false, fieldErrors: { price: "amount_too_low" } });
    for (const price of ["", "abc", "-5", "12.5", "0", "9".repeat(30)]) {
      expect(await createProduct(database.db, demo, { name: "Bissap", price })).toMatchObject({ ok: false, error: "invalid_input", fieldErrors: { price: expect.any(String) } });
    }
    expect(await createProduct(database.db, demo, { name: "", price: "1000", stock: "-1" })).toMatchObject({ ok: false, fieldErrors: { name: "name_required", stock: "stock_invalid" } });
    expect(await createProduct(database.db, demo, { name: "a\u0000b", price: "1000" })).toMatchObject({ ok: false, fieldErrors: { name: "invalid" } });
    expect(await createProduct(database.db, demo, [1, 2])).toMatchObject({ ok: false, error: "invalid_input" });
  });

  it("takes PNG, JPEG and WebP by their bytes, and refuses anything else or anything over 1 MB", async () => {
    for (const [bytes, type] of [[JPEG, "image/jpeg"], [WEBP, "image/webp"]] as const) {
      const id = await create(demo, { name: `Photo ${type}`, price: "1000" }, bytes);
      const res = await serveProductImage(database.db, sha256Of((await row(id)).imageUrl));
      expect(res.headers.get("content-type")).toBe(type);
    }
    const html = new TextEncoder().encode("<html><script>alert(1)</script></html>");
    const gif = new TextEncoder().encode("GIF89a....");
    for (const bytes of [html, gif, new Uint8Array(0).fill(0), PNG.slice(0, 4)]) {
      expect(await createProduct(database.db, demo, { name: "Faux", price: "1000" }, { bytes })).toMatchObject({ ok: false, fieldErrors: { image: "image_type" } });
    }
    const huge = new Uint8Array(MAX_IMAGE_BYTES + 1);
    huge.set(PNG);
    expect(await createProduct(database.db, demo, { name: "Gros", price: "1000" }, { bytes: huge })).toMatchObject({ ok: false, fieldErrors: { image: "image_too_large" } });
    expect(await createProduct(database.db, demo, { name: "Gros", price: "1000" }, { tooLarge: true })).toMatchObject({ ok: false, fieldErrors: { image: "image_too_large" } });
  });

  it("edits a product and replaces its image: the new bytes get a new URL, the old one is gone", async () => {
    const id = await create(demo, { name: "Savon", price: "1000", stock: "3" }, PNG);
    const before = (await row(id)).imageUrl;
    expect(await updateProduct(database.db, demo, { productId: id, name: "Savon noir", description: "Karité", price: "1 500", stock: "" }, { bytes: JPEG })).toEqual({ ok: true });
    const after = await row(id);
    expect(after).toMatchObject({ name: "Savon noir", description: "Karité", priceMinor: 1500, stock: null });
    expect(after.imageUrl).not.toBe(before);
    expect((await serveProductImage(database.db, sha256Of(after.imageUrl))).headers.get("content-type")).toBe("image/jpeg");
    // The PNG is still another product's image (the first test's): served for that one, same bytes.
    expect(await updateProduct(database.db, demo, { productId: id, name: "Savon noir", price: "1500" })).toEqual({ ok: true });
    expect((await row(id)).imageUrl).toBe(after.imageUrl);
  });

  it("archives: off the storefront, out of carts, its image no longer served; restores", async () => {
    // Bytes of its own: an image another product on sale shares stays served for that one.
    const id = await create(demo, { name: "Éventail", price: "2000" }, new Uint8Array([...WEBP, 7, 7]));
    const sha = sha256Of((await row(id)).imageUrl);
    expect(await setProductArchived(database.db, demo, { productId: id, archived: "true" })).toEqual({ ok: true });
    expect((await getStorefront(database.db, "demo"))!.products.map((p) => p.id)).not.toContain(id);
    expect(await priceCart(database.db, demo.merchant.id, [{ productId: id, quantity: 1 }])).toBeNull();
    expect((await serveProductImage(database.db, sha)).status).toBe(404);
    expect((await listProducts(database.db, demo.merchant.id)).find((p) => p.id === id)).toMatchObject({ active: false });
    expect(await setProductArchived(database.db, demo, { productId: id, archived: "false" })).toEqual({ ok: true });
    expect((await serveProductImage(database.db, sha)).status).toBe(200);
  });

  it("reorders: the storefront shows the merchant's order", async () => {
    const ids = (await getStorefront(database.db, "demo"))!.products.map((p) => p.id);
    const [first, second] = ids;
    expect(await moveProduct(database.db, demo, { productId: second, direction: "up" })).toEqual({ ok: true });
    expect((await getStorefront(database.db, "demo"))!.products.map((p) => p.id).slice(0, 2)).toEqual([second, first]);
    expect(await moveProduct(database.db, demo, { productId: second, direction: "up" })).toEqual({ ok: true });
    expect((await getStorefront(database.db, "demo"))!.products.map((p) => p.id).slice(0, 2)).toEqual([second, first]);
    expect(await moveProduct(database.db, demo, { productId: second, direction: "down" })).toEqual({ ok: true });
    expect((await loadShop(database.db, "demo"))!.products.map((p) => p.id)).toEqual(ids);
  });

  it("a sold-out product cannot be bought; a cart asking more than the stock is refused", async () => {
    const id = await create(demo, { name: "Dernier pagne", price: "15000", stock: "0" });
    expect(await priceCart(database.db, demo.merchant.id, [{ productId: id, quantity: 1 }])).toBeNull();
    expect((await getStorefront(database.db, "demo"))!.products.find((p) => p.id === id)).toMatchObject({ stock: 0 });
    await updateProduct(database.db, demo, { productId: id, name: "Dernier pagne", price: "15000", stock: "2" });
    expect(await priceCart(database.db, demo.merchant.id, [{ productId: id, quantity: 3 }])).toBeNull();
    expect(await priceCart(database.db, demo.merchant.id, [{ productId: id, quantity: 2 }])).toMatchObject({ amountMinor: 30000 });
  });

  it("a form opened before a sale neither restores the sold units nor overwrites them blindly", async () => {
    const id = await create(demo, { name: "Pagne wax", price: "5000", stock: "5" });
    // Two units sold while the merchant had the edit form open (showing 5).
    await database.db.update(s.products).set({ stock: 3 }).where(eq(s.products.id, id));
    expect(await updateProduct(database.db, demo, { productId: id, name: "Pagne wax 6 yards", price: "5000", stock: "5", stockSeen: "5" })).toEqual({ ok: true });
    expect(await row(id)).toMatchObject({ name: "Pagne wax 6 yards", stock: 3 });
    const refused = await updateProduct(database.db, demo, { productId: id, name: "Pagne wax", price: "5000", stock: "10", stockSeen: "5" });
    expect(refused).toMatchObject({ ok: false, error: "invalid_input", fieldErrors: { stock: "stock_changed" }, current: { stock: "3" } });
    expect(await row(id)).toMatchObject({ name: "Pagne wax 6 yards", stock: 3 });
    expect(await updateProduct(database.db, demo, { productId: id, name: "Pagne wax", price: "5000", stock: "10", stockSeen: "3" })).toEqual({ ok: true });
    expect(await row(id)).toMatchObject({ name: "Pagne wax", stock: 10 });
    // Unlimited shown, a number typed after someone set a stock meanwhile: refused too.
    await database.db.update(s.products).set({ stock: null }).where(eq(s.products.id, id));
    expect(await updateProduct(database.db, demo, { productId: id, name: "Pagne wax", price: "5000", stock: "4", stockSeen: "2" })).toMatchObject({ fieldErrors: { stock: "stock_changed" }, current: { stock: "" } });
  });

  it("isolation: another store's product id is not found in every action, and nothing of it changes", async () => {
    const id = await create(demo, { name: "Attiéké garni", price: "2500", stock: "4" }, PNG);
    const before = await row(id);
    const outcomes = [
      await updateProduct(database.db, autre, { productId: id, name: "Volé", price: "100.00" }, { bytes: JPEG }),
      await setProductArchived(database.db, autre, { productId: id, archived: "true" }),
      await moveProduct(database.db, autre, { productId: id, direction: "up" }),
    ];
    for (const outcome of outcomes) expect(outcome).toEqual({ ok: false, error: "not_found" });
    expect(await row(id)).toEqual(before);
    const [image] = await database.db.select({ contentType: s.productImages.contentType }).from(s.productImages).where(eq(s.productImages.productId, id));
    expect(image).toEqual({ contentType: "image/png" });
    expect((await listProducts(database.db, autre.merchant.id)).map((p) => p.id)).not.toContain(id);
  });

  it("serves no image under a guessed or malformed name", async () => {
    for (const name of ["0".repeat(64), "../../etc/passwd", "A".repeat(64), "prd_x", ""]) expect((await serveProductImage(database.db, name)).status).toBe(404);
  });
});
