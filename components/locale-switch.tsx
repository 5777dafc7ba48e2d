import { getLocale, getTranslations } from "next-intl/server";
import { setLocale } from "@/lib/i18n/actions";

/** A plain form: switching language works without JavaScript and costs no client bundle. */
export async function LocaleSwitch({ locale: pageLocale }: { locale?: string }) {
  const locale = pageLocale ?? (await getLocale());
  const t = await getTranslations({ locale, namespace: "common" });
  const other = locale === "fr" ? "en" : "fr";
  return (
    <form action={setLocale}>
      <input type="hidden" name="locale" value={other} />
      <button
        type="submit"
        lang={other}
        data-testid="locale-switch"
        className="min-h-11 rounded-lg px-3 text-sm font-medium text-stone-700 underline-offset-4 hover:underline"
      >
        {t("switchTo")}
      </button>
    </form>
  );
}
