import { and, eq, ne, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { merchants, orders, paymentLinks, payments, products } from "@/db/schema";
import type { MerchantContext } from "@/lib/auth/membership";
import { can } from "@/lib/auth/permissions";
import { FORBIDDEN, type ActionResult } from "@/lib/dashboard/payment-actions";
import { logger } from "@/lib/log";
import { checkUpload, type Upload } from "@/lib/products/image";
import { uniqueViolation } from "@/lib/payments/transitions";
import { fieldErrorCodes } from "@/lib/validation";
import { storeFieldsSchema } from "./fields";
import { logoRemoval, logoWrites } from "./logo";

/** What the settings' store form shows: the store as it is now. */
export async function getStoreSettings(db: Db, merchantId: string) {
  const [store] = await db
    .select({ name: merchants.name, slug: merchants.slug, country: merchants.country, currency: merchants.currency, timeZone: merchants.timeZone, logoUrl: merchants.logoUrl })
    .from(merchants)
    .where(eq(merchants.id, merchantId));
  return store ?? null;
}

/**
 * The store's currency stays while anything is priced in it: an order's amount, a product's
 * price or a link's amount are minor units of that currency, and would silently mean something
 * else in another (5 000 XOF is not 50.00 USD).
 */
const pricedIn = (merchantId: string) =>
  or(
    sql`exists (select 1 from ${orders} where ${orders.merchantId} = ${merchantId})`,
    sql`exists (select 1 from ${products} where ${products.merchantId} = ${merchantId})`,
    sql`exists (select 1 from ${paymentLinks} where ${paymentLinks.merchantId} = ${merchantId})`,
  )!;

/**
 * The store's address stays once a payment was made: providers notify
 * /api/webhooks/<provider>/<slug>, a payment's late notifications would find nothing there, and
 * the freed address could be opened by another store, which would then receive them (and see
 * their payloads in its log). Until addresses keep a history that routes them, this is the rule.
 */
const paymentsUse = (merchantId: string) => sql`exists (select 1 from ${payments} where ${payments.merchantId} = ${merchantId})`;

async function slugLocked(db: Db, merchantId: string): Promise<boolean> {
  const [row] = await db.select({ used: sql<boolean>`${paymentsUse(merchantId)}`.mapWith(Boolean) }).from(merchants).where(eq(merchants.id, merchantId));
  return Boolean(row?.used);
}

/** Why the store's currency may not change now, or null when it may. */
async function currencyLock(db: Db, merchantId: string): Promise<"currency_locked_orders" | "currency_locked_prices" | null> {
  const [row] = await db
    .select({ orders: sql<boolean>`exists (select 1 from ${orders} where ${orders.merchantId} = ${merchantId})`.mapWith(Boolean), priced: sql<boolean>`${pricedIn(merchantId)}`.mapWith(Boolean) })
    .from(merchants)
    .where(eq(merchants.id, merchantId));
  return row?.orders ? "currency_locked_orders" : row?.priced ? "currency_locked_prices" : null;
}

/**
 * Edits the session's store (owners only): the fields opening one checks, the same way
 * (lib/stores/fields.ts), and its logo (a new upload replaces it, `removeLogo` takes it off).
 * A taken or locked slug and a locked currency are both told at once; both locks are also in the
 * UPDATE's own condition, so an order or a payment made meanwhile still locks them, and the slug is unique
 * by the database's index, so a store taking it meanwhile is told as taken.
 */
export async function updateStore(db: Db, ctx: MerchantContext, input: Record<string, unknown>, upload: Upload = null): Promise<ActionResult<{ slug: string }>> {
  if (!can(ctx, "settings")) return FORBIDDEN;
  const parsed = storeFieldsSchema.safeParse(input);
  const fieldErrors = parsed.success ? {} : fieldErrorCodes(parsed.error);
  const checked = checkUpload(upload);
  if (checked && "error" in checked) fieldErrors.logo = checked.error;
  const logo = checked && !("error" in checked) ? checked : null;
  const id = ctx.merchant.id;
  if (parsed.success) {
    const { slug, currency } = parsed.data;
    const moved = slug !== ctx.merchant.slug;
    const [taken, slugLock, locked] = await Promise.all([
      moved ? db.$count(merchants, and(eq(merchants.slug, slug), ne(merchants.id, id))) : 0,
      moved ? slugLocked(db, id) : false,
      currency !== ctx.merchant.currency ? currencyLock(db, id) : null,
    ]);
    if (taken > 0) fieldErrors.slug = "slug_taken";
    else if (slugLock) fieldErrors.slug = "slug_locked";
    if (locked) fieldErrors.currency = locked;
  }
  if (!parsed.success || Object.keys(fieldErrors).length) return { ok: false, error: "invalid_input", fieldErrors };
  const store = parsed.data;
  const countryChanged = store.country !== ctx.merchant.country;
  try {
    const updated = await db.transaction(async (tx) => {
      const rows = await tx
        .update(merchants)
        .set({ name: store.name, slug: store.slug, country: store.country, currency: store.currency, timeZone: store.timeZone, ...(countryChanged ? { defaultLocale: store.locale } : {}), updatedAt: new Date() })
        .where(and(eq(merchants.id, id), or(eq(merchants.currency, store.currency), sql`not (${pricedIn(id)})`), or(eq(merchants.slug, store.slug), sql`not (${paymentsUse(id)})`)))
        .returning({ slug: merchants.slug });
      if (rows.length === 0) return null;
      const logoChange = logo ? logoWrites(tx as unknown as Db, id, logo) : input.removeLogo === "on" ? logoRemoval(tx as unknown as Db, id) : [];
      for (const write of logoChange) await write;
      return rows[0]!;
    });
    if (!updated) {
      // A payment or an order arrived between the checks and the UPDATE's own condition.
      const [currency, slugLock] = await Promise.all([currencyLock(db, id), slugLocked(db, id)]);
      return { ok: false, error: "invalid_input", fieldErrors: { ...(currency ? { currency } : {}), ...(slugLock ? { slug: "slug_locked" } : {}) } };
    }
    logger("stores").info({ merchantId: id, userId: ctx.user.id, slug: updated.slug }, "store edited");
    return { ok: true, slug: updated.slug };
  } catch (error) {
    if (uniqueViolation(error, "merchants_slug_key")) return { ok: false, error: "invalid_input", fieldErrors: { slug: "slug_taken" } };
    throw error;
  }
}
