import { and, eq, max, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { writeTogether } from "@/db/write-together";
import { productImages, products } from "@/db/schema";
import type { MerchantContext } from "@/lib/auth/membership";
import { can } from "@/lib/auth/permissions";
import { FORBIDDEN, type ActionResult } from "@/lib/dashboard/payment-actions";
import { newId } from "@/lib/ids";
import { fieldErrorCodes, isPlainText, recordId } from "@/lib/validation";
import { checkImage, checkUpload, productImageUrl, type Upload } from "./image";
import { storefrontOrder } from "./order";
import { checkPrice } from "./price";

/** Everything the products page lists: archived ones too, in the storefront's order. */
export async function listProducts(db: Db, merchantId: string) {
  return db
    .select({ id: products.id, name: products.name, description: products.description, imageUrl: products.imageUrl, priceMinor: products.priceMinor, currency: products.currency, active: products.active, stock: products.stock })
    .from(products)
    .where(eq(products.merchantId, merchantId))
    .orderBy(...storefrontOrder);
}

const fieldsSchema = z.object({
  name: z.string().trim().min(1, "name_required").max(120, "too_long").refine((v) => isPlainText(v), "invalid"),
  description: z.string().trim().max(1000, "too_long").refine((v) => isPlainText(v, true), "invalid").default(""),
  price: z.string().trim().min(1, "amount_invalid").max(20, "amount_invalid"),
  // Empty: unlimited.
  stock: z.string().trim().max(9, "stock_invalid").regex(/^\d*$/, "stock_invalid").default(""),
});

type Checked = { values: { name: string; description: string; priceMinor: number; stock: number | null }; image: ReturnType<typeof checkImage> | null };

async function checkFields(db: Db, ctx: MerchantContext, input: unknown, upload: Upload): Promise<Checked | Extract<ActionResult, { ok: false }>> {
  const parsed = fieldsSchema.safeParse(input);
  const fieldErrors: Record<string, string> = parsed.success ? {} : fieldErrorCodes(parsed.error);
  let fieldMessages: Record<string, { fr: string; en: string }> | undefined;
  let priceMinor = 0;
  if (parsed.success) {
    const price = await checkPrice(db, ctx.merchant.id, ctx.merchant.currency, parsed.data.price);
    if (price.ok) priceMinor = price.priceMinor;
    else {
      fieldErrors.price = price.code;
      if (price.message) fieldMessages = { price: price.message };
    }
  }
  const image = checkUpload(upload);
  if (image && "error" in image) fieldErrors.image = image.error;
  if (!parsed.success || Object.keys(fieldErrors).length) return { ok: false, error: "invalid_input", fieldErrors, fieldMessages };
  const { name, description, stock } = parsed.data;
  return { values: { name, description, priceMinor, stock: stock === "" ? null : Number(stock) }, image };
}

function imageWrites(db: Db, productId: string, image: Checked["image"]) {
  if (!image || "error" in image) return [];
  const row = { productId, sha256: image.sha256, contentType: image.contentType, bytes: image.bytes };
  return [
    db.insert(productImages).values(row).onConflictDoUpdate({ target: productImages.productId, set: { sha256: row.sha256, contentType: row.contentType, bytes: row.bytes, createdAt: new Date() } }),
  ];
}

export async function createProduct(db: Db, ctx: MerchantContext, input: unknown, upload: Upload = null): Promise<ActionResult<{ id: string }>> {
  if (!can(ctx, "products")) return FORBIDDEN;
  const checked = await checkFields(db, ctx, input, upload);
  if ("ok" in checked) return checked;
  const id = newId("prd");
  const [last] = await db.select({ position: max(products.position) }).from(products).where(eq(products.merchantId, ctx.merchant.id));
  const image = checked.image && !("error" in checked.image) ? checked.image : null;
  await writeTogether(db, [
    db.insert(products).values({
      id,
      merchantId: ctx.merchant.id,
      sku: id,
      ...checked.values,
      currency: ctx.merchant.currency,
      position: (last?.position ?? -1) + 1,
      imageUrl: image ? productImageUrl(image.sha256) : null,
    }),
    ...imageWrites(db, id, image),
  ]);
  return { ok: true, id };
}

const idSchema = z.object({ productId: recordId });
// The stock the edit form showed ("" for unlimited): the merchant's number replaces it only if
// no sale (or teammate) changed it meanwhile, so a stale form never restores sold units.
const seenSchema = z.object({ stockSeen: z.string().trim().regex(/^\d{0,9}$/).optional() });
const stockText = (stock: number | null) => (stock === null ? "" : String(stock));

export async function updateProduct(db: Db, ctx: MerchantContext, input: unknown, upload: Upload = null): Promise<ActionResult> {
  if (!can(ctx, "products")) return FORBIDDEN;
  const target = idSchema.safeParse(input);
  const seenField = seenSchema.safeParse(input);
  if (!target.success || !seenField.success) return { ok: false, error: "invalid_input" };
  const checked = await checkFields(db, ctx, input, upload);
  if ("ok" in checked) return checked;
  const owned = and(eq(products.id, target.data.productId), eq(products.merchantId, ctx.merchant.id));
  const [found] = await db.select({ id: products.id, stock: products.stock }).from(products).where(owned);
  if (!found) return { ok: false, error: "not_found" };
  const seenText = seenField.data.stockSeen;
  const seen = seenText === undefined || seenText === "" ? null : Number(seenText);
  const { stock, ...others } = checked.values;
  // Untouched in the form: other fields save, the stock stays whatever sales made it.
  const keepsStock = seenText !== undefined && stock === seen;
  if (seenText !== undefined && !keepsStock && found.stock !== seen) return stockChanged(found.stock);
  const guarded = seenText === undefined || keepsStock ? owned : and(owned, sql`${products.stock} is not distinct from ${seen}`);
  const image = checked.image && !("error" in checked.image) ? checked.image : null;
  const values = { ...others, ...(keepsStock ? {} : { stock }), ...(image ? { imageUrl: productImageUrl(image.sha256) } : {}) };
  await writeTogether(db, [db.update(products).set(values).where(guarded), ...imageWrites(db, found.id, image)]);
  if (guarded !== owned) {
    // A sale between the check and the write: the guarded UPDATE left the row alone.
    const [after] = await db.select({ stock: products.stock }).from(products).where(owned);
    if (after && after.stock !== stock) return stockChanged(after.stock);
  }
  return { ok: true };
}

function stockChanged(current: number | null): ActionResult {
  const left = { fr: current === null ? "illimité" : `il en reste ${current}`, en: current === null ? "unlimited" : `${current} left` };
  return {
    ok: false,
    error: "invalid_input",
    fieldErrors: { stock: "stock_changed" },
    fieldMessages: {
      stock: {
        fr: `Le stock a changé pendant votre saisie (${left.fr}). Vérifiez-le, puis enregistrez à nouveau.`,
        en: `The stock changed while you were editing (${left.en}). Check it, then save again.`,
      },
    },
    current: { stock: stockText(current), stockSeen: stockText(current) },
  };
}

/** Archived: off the storefront and out of any new cart; orders that hold it keep their lines. */
export async function setProductArchived(db: Db, ctx: MerchantContext, input: unknown): Promise<ActionResult> {
  if (!can(ctx, "products")) return FORBIDDEN;
  const parsed = z.object({ productId: recordId, archived: z.enum(["true", "false"]) }).safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid_input" };
  const updated = await db
    .update(products)
    .set({ active: parsed.data.archived === "false" })
    .where(and(eq(products.id, parsed.data.productId), eq(products.merchantId, ctx.merchant.id)))
    .returning({ id: products.id });
  return updated.length ? { ok: true } : { ok: false, error: "not_found" };
}

/** One step up or down the storefront's order: the whole list is renumbered, so ties from before positions existed resolve. */
export async function moveProduct(db: Db, ctx: MerchantContext, input: unknown): Promise<ActionResult> {
  if (!can(ctx, "products")) return FORBIDDEN;
  const parsed = z.object({ productId: recordId, direction: z.enum(["up", "down"]) }).safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid_input" };
  const ids = (await db.select({ id: products.id }).from(products).where(eq(products.merchantId, ctx.merchant.id)).orderBy(...storefrontOrder)).map((p) => p.id);
  const from = ids.indexOf(parsed.data.productId);
  if (from < 0) return { ok: false, error: "not_found" };
  const to = parsed.data.direction === "up" ? from - 1 : from + 1;
  if (to < 0 || to >= ids.length) return { ok: true };
  [ids[from], ids[to]] = [ids[to]!, ids[from]!];
  const position = sql`case ${sql.join(
    ids.map((id, i) => sql`when ${products.id} = ${id} then ${i}::integer`),
    sql` `,
  )} end`;
  await db.update(products).set({ position }).where(and(eq(products.merchantId, ctx.merchant.id), sql`${products.id} in ${ids}`));
  return { ok: true };
}
