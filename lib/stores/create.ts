import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { members, merchants } from "@/db/schema";
import type { ActionResult } from "@/lib/dashboard/payment-actions";
import { newId } from "@/lib/ids";
import { logger } from "@/lib/log";
import { uniqueViolation } from "@/lib/payments/transitions";
import { fieldErrorCodes, isPlainText } from "@/lib/validation";
import { COUNTRY_PROFILES, currenciesFor, storeTimeZones, STORE_COUNTRIES } from "./countries";
import { isReservedSlug, SLUG_FORMAT, slugify } from "./slug";

/** Enough for a chain of shops; a bound on what one account can fill the slug namespace with. */
export const MAX_OWNED_STORES = 20;

const optional = z.string().trim().max(80, "too_long").optional();

const storeSchema = z
  .object({
    name: z.string().trim().min(1, "name_required").max(80, "too_long").refine((v) => isPlainText(v), "invalid"),
    slug: optional,
    country: z.string().refine((c) => STORE_COUNTRIES.includes(c), "country_invalid"),
    currency: optional,
    timeZone: optional,
  })
  .transform((v, ctx) => {
    const profile = COUNTRY_PROFILES[v.country]!;
    // Left blank (no JavaScript to propose them): the name's slug, the country's currency and zone.
    const store = { name: v.name, slug: v.slug ? v.slug.toLowerCase() : slugify(v.name), country: v.country, currency: v.currency || profile.currency, timeZone: v.timeZone || profile.timeZone };
    const problems: [string, string | null][] = [
      ["slug", !SLUG_FORMAT.test(store.slug) ? "slug_invalid" : isReservedSlug(store.slug) ? "slug_reserved" : null],
      ["currency", currenciesFor(store.country).includes(store.currency as never) ? null : "currency_invalid"],
      ["timeZone", storeTimeZones().includes(store.timeZone) ? null : "time_zone_invalid"],
    ];
    for (const [path, message] of problems) if (message) ctx.addIssue({ code: "custom", path: [path], message });
    return { ...store, locale: profile.locale };
  });

export type CreatedStore = { merchantId: string; slug: string };

/**
 * Opens a store whose owner is `userId`. The slug is unique by the database's index: of two
 * stores asking for one slug at once, one gets it and the other is told it is taken.
 */
export async function createStore(db: Db, userId: string, input: Record<string, unknown>): Promise<ActionResult<CreatedStore>> {
  const parsed = storeSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid_input", fieldErrors: fieldErrorCodes(parsed.error) };
  const store = parsed.data;
  const owned = await db.$count(members, and(eq(members.userId, userId), eq(members.role, "owner")));
  if (owned >= MAX_OWNED_STORES) return { ok: false, error: "too_many_stores" };
  const merchantId = newId("mer");
  try {
    await db.transaction(async (tx) => {
      await tx.insert(merchants).values({ id: merchantId, slug: store.slug, name: store.name, country: store.country, currency: store.currency, timeZone: store.timeZone, defaultLocale: store.locale });
      await tx.insert(members).values({ id: newId("mem"), merchantId, userId, role: "owner" });
    });
  } catch (error) {
    if (uniqueViolation(error, "merchants_slug_key")) return { ok: false, error: "invalid_input", fieldErrors: { slug: "slug_taken" } };
    throw error;
  }
  logger("stores").info({ merchantId, userId, slug: store.slug }, "store created");
  return { ok: true, merchantId, slug: store.slug };
}
