import "server-only";
import { cookies, headers } from "next/headers";
import { isLocale, LOCALE_COOKIE, localeFromAcceptLanguage, type AppLocale } from "@/lib/i18n/locale";

/**
 * A shop speaks the shopper's chosen language, else their browser's, else the merchant's own
 * (French for a shop in Côte d'Ivoire, English for one in Kenya).
 */
export async function shopLocale(merchantDefault: string): Promise<AppLocale> {
  const chosen = (await cookies()).get(LOCALE_COOKIE)?.value;
  if (isLocale(chosen)) return chosen;
  return localeFromAcceptLanguage((await headers()).get("accept-language"), isLocale(merchantDefault) ? merchantDefault : "fr");
}
