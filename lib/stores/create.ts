import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { members, merchants } from "@/db/schema";
import type { ActionResult } from "@/lib/dashboard/payment-actions";
import { newId } from "@/lib/ids";
import { logger } from "@/lib/log";
import { uniqueViolation } from "@/lib/payments/transitions";
import { fieldErrorCodes } from "@/lib/validation";
import { checkUpload, type Upload } from "@/lib/products/image";
import { storeFieldsSchema } from "./fields";
import { logoWrites } from "./logo";

/** Enough for a chain of shops; a bound on what one account can fill the slug namespace with. */
export const MAX_OWNED_STORES = 20;

export type CreatedStore = { merchantId: string; slug: string };

/**
 * Opens a store whose owner is `userId`, with its logo when one is sent. The slug is unique by the database's index: of two
 * stores asking for one slug at once, one gets it and the other is told it is taken.
 */
export async function createStore(db: Db, userId: string, input: Record<string, unknown>, upload: Upload = null): Promise<ActionResult<CreatedStore>> {
  const parsed = storeFieldsSchema.safeParse(input);
  const fieldErrors = parsed.success ? {} : fieldErrorCodes(parsed.error);
  const checked = checkUpload(upload);
  if (checked && "error" in checked) fieldErrors.logo = checked.error;
  const logo = checked && !("error" in checked) ? checked : null;
  if (!parsed.success || Object.keys(fieldErrors).length) return { ok: false, error: "invalid_input", fieldErrors };
  const store = parsed.data;
  const owned = await db.$count(members, and(eq(members.userId, userId), eq(members.role, "owner")));
  if (owned >= MAX_OWNED_STORES) return { ok: false, error: "too_many_stores" };
  const merchantId = newId("mer");
  try {
    await db.transaction(async (tx) => {
      await tx.insert(merchants).values({ id: merchantId, slug: store.slug, name: store.name, country: store.country, currency: store.currency, timeZone: store.timeZone, defaultLocale: store.locale });
      await tx.insert(members).values({ id: newId("mem"), merchantId, userId, role: "owner" });
      if (logo) for (const write of logoWrites(tx as unknown as Db, merchantId, logo)) await write;
    });
  } catch (error) {
    if (uniqueViolation(error, "merchants_slug_key")) return { ok: false, error: "invalid_input", fieldErrors: { slug: "slug_taken" } };
    throw error;
  }
  logger("stores").info({ merchantId, userId, slug: store.slug }, "store created");
  return { ok: true, merchantId, slug: store.slug };
}
