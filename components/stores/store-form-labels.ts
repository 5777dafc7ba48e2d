import "server-only";
import { getTranslations } from "next-intl/server";
import type { StoreFormLabels } from "./store-form";

/** The store form's words in the visitor's language: opening a store, or editing one (its warning, its logo's removal). */
export async function storeFormLabels(editing: boolean): Promise<StoreFormLabels> {
  const t = await getTranslations("stores");
  const common = {
    name: t("name"),
    slug: t("slug"),
    slugHint: t("slugHint", { url: "{url}" }),
    country: t("country"),
    currency: t("currency"),
    timeZone: t("timeZone"),
    logo: t("logo"),
    logoHint: t("logoHint"),
  };
  if (!editing) return { ...common, submit: t("submit"), submitting: t("submitting") };
  return { ...common, slugWarning: t("slugWarning"), currentLogo: t("currentLogo"), removeLogo: t("removeLogo"), submit: t("save"), submitting: t("saving") };
}
