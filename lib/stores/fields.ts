import { z } from "zod";
import { isPlainText } from "@/lib/validation";
import { COUNTRY_PROFILES, currenciesFor, storeTimeZones, STORE_COUNTRIES } from "./countries";
import { isReservedSlug, SLUG_FORMAT, slugify } from "./slug";

const optional = z.string().trim().max(80, "too_long").optional();

/**
 * A store's name, slug, country, currency and zone, as opening one and editing one both check
 * them: the slug's format and the reserved names, a currency the country's providers take, a
 * zone of the list. Left blank (no JavaScript to propose them): the name's slug, the country's
 * currency and zone.
 */
export const storeFieldsSchema = z
  .object({
    name: z.string().trim().min(1, "name_required").max(80, "too_long").refine((v) => isPlainText(v), "invalid"),
    slug: optional,
    country: z.string().refine((c) => STORE_COUNTRIES.includes(c), "country_invalid"),
    currency: optional,
    timeZone: optional,
  })
  .transform((v, ctx) => {
    const profile = COUNTRY_PROFILES[v.country]!;
    const store = { name: v.name, slug: v.slug ? v.slug.toLowerCase() : slugify(v.name), country: v.country, currency: v.currency || profile.currency, timeZone: v.timeZone || profile.timeZone };
    const problems: [string, string | null][] = [
      ["slug", !SLUG_FORMAT.test(store.slug) ? "slug_invalid" : isReservedSlug(store.slug) ? "slug_reserved" : null],
      ["currency", currenciesFor(store.country).includes(store.currency as never) ? null : "currency_invalid"],
      ["timeZone", storeTimeZones().includes(store.timeZone) ? null : "time_zone_invalid"],
    ];
    for (const [path, message] of problems) if (message) ctx.addIssue({ code: "custom", path: [path], message });
    return { ...store, locale: profile.locale };
  });

export type StoreFields = z.infer<typeof storeFieldsSchema>;
