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
  const option = (o: PaymentOption, siblings: PaymentOption[]) => ({ id: o.id, ...optionWords(t, o, siblings), billing: o.needs.length > 0 && !hasDetails });
  const phoneHint = Object.fromEntries(
    countries.map((c) => [c, t("phoneHint", { example: getExampleNumber(c as CountryCode, examples)?.formatNational() ?? "" })]),
  );
  return {
    countries: countries.map((code) => ({ code, label: t(`countries.${code}` as never) })),
    optionsByCountry: Object.fromEntries(Object.entries(optionsByCountry).map(([c, list]) => [c, list.map((o) => option(o, list))])),
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
      errorSummary: t("errorSummary"),
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

type Translate = Awaited<ReturnType<typeof getTranslations<"checkout">>>;

/**
 * What an option is called, each name said once: a method offered twice in a country (M-Pesa
 * by prompt and on iPay's page) says which way; "via X" is left out when the method is X
 * ("Orange Money", not "Orange Money via Orange Money"); mobile money names where the operator
 * is chosen.
 */
function optionWords(t: Translate, o: PaymentOption, siblings: PaymentOption[]): { label: string; detail: string } {
  const method = t(`methods.${o.method}` as never);
  const provider = PROVIDERS[o.provider].displayName;
  const via = method === provider ? "" : t("via", { provider });
  if (o.method === "mobile_money") return { label: method, detail: t("chooseOnPage", { provider }) };
  if (!siblings.some((s) => s !== o && s.method === o.method)) return { label: method, detail: via };
  if (o.flow === "push") return { label: t("methodPush", { method }), detail: via };
  return { label: t("methodOnPage", { method, provider }), detail: "" };
}
