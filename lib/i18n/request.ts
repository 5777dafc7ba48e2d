import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { isLocale, localeFromAcceptLanguage } from "./locale";
import { loadMessages } from "./messages";

// No locale in the URL: shoppers share links across languages. The choice is a cookie set by
// the language switch, then the browser's preference, then French.
export default getRequestConfig(async () => {
  const chosen = (await cookies()).get("NEXT_LOCALE")?.value;
  const locale = isLocale(chosen) ? chosen : localeFromAcceptLanguage((await headers()).get("accept-language"));
  return { locale, messages: await loadMessages(locale), timeZone: "UTC" };
});
