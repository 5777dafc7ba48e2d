import "server-only";
import { getExampleNumber, type CountryCode } from "libphonenumber-js/max";
import examples from "libphonenumber-js/examples.mobile.json";
import { getTranslations } from "next-intl/server";
import type { AppLocale } from "@/lib/i18n/locale";
import type { PaymentOption } from "@/lib/payments/routing";
import { PROVIDERS } from "@/lib/payments/registry";

/**
 * Translated labels for the checkout form, built on the server so the client ships no catalog.
 * `hasDetails`: the shopper already gave what an option needs (a retry on an order that holds a
 * card's e-mail and address), so choosing it asks for nothing more.
 */
export async function checkoutLabels(locale: AppLocale, countries: string[], optionsByCountry: Record<string, PaymentOption[]>, hasDetails = false) {
  const t = await getTranslations({ locale, namespace: "checkout" });
  const option = (o: PaymentOption) => ({
    id: o.id,
    label: t(`methods.${o.method}` as never),
    detail: [o.flow === "push" ? t("flows.push") : "", t("via", { provider: PROVIDERS[o.provider].displayName })].filter(Boolean).join(" · "),
    billing: o.needs.length > 0 && !hasDetails,
  });
  const phoneHint = Object.fromEntries(
    countries.map((c) => [c, t("phoneHint", { example: getExampleNumber(c as CountryCode, examples)?.formatNational() ?? "" })]),
  );
  return {
    countries: countries.map((code) => ({ code, label: t(`countries.${code}` as never) })),
    optionsByCountry: Object.fromEntries(Object.entries(optionsByCountry).map(([c, list]) => [c, list.map(option)])),
    labels: {
      name: t("name"),
      email: t("email"),
      phone: t("phone"),
      phoneHint,
      country: t("country"),
      method: t("method"),
      yourOrder: t("yourOrder"),
      total: t("total"),
      remove: t("remove"),
      decrease: t("decrease"),
      increase: t("increase"),
      empty: t("emptyCart"),
      pay: t("pay", { amount: "{amount}" }),
      paying: t("paying"),
      secure: t("secure"),
      amount: t("amount"),
      billingTitle: t("billingTitle"),
      address: t("address"),
      city: t("city"),
      state: t("state"),
      zip: t("zip"),
    },
  };
}
