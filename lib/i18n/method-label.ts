import "server-only";
import { getTranslations } from "next-intl/server";

/** "orange_money" → "Orange Money", in the page's language; unknown ids are shown as they are. */
export async function methodLabeler(): Promise<(method: string | null | undefined) => string> {
  const t = await getTranslations("checkout.methods");
  return (method) => (!method ? "—" : t.has(method as never) ? t(method as never) : method);
}
