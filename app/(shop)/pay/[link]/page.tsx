import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PayLinkForm } from "@/components/checkout/pay-link-form";
import { SiteHeader } from "@/components/site-header";
import { Card } from "@/components/ui/card";
import { shopLocale } from "@/lib/checkout/locale";
import { linkBounds } from "@/lib/checkout/link-bounds";
import { payLinkPageData } from "@/lib/checkout/shopper-pages";
import { payLinkTitle } from "@/lib/checkout/titles";
import { checkoutLabels } from "@/lib/checkout/views";
import { formatMoney } from "@/lib/money";
import { getTranslations } from "next-intl/server";

type Props = { params: Promise<{ link: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return payLinkTitle((await params).link);
}

export default async function PaymentLinkPage({ params }: Props) {
  const found = await payLinkPageData((await params).link);
  if (!found) notFound();
  const { link, merchant } = found;
  const locale = await shopLocale(merchant.defaultLocale);
  const [views, t] = await Promise.all([checkoutLabels(locale, found.countries, found.optionsByCountry), getTranslations({ locale, namespace: "checkout" })]);
  const fixed = link.amountMinor === null ? null : formatMoney(link.amountMinor, link.currency, locale);
  const money = (minor: number) => formatMoney(minor, link.currency, locale);
  const range = linkBounds(link, found.accounts);
  const bounds = fixed !== null ? null : range.maxMinor === null ? t("amountMin", { min: money(range.minMinor) }) : t("amountBounds", { min: money(range.minMinor), max: money(range.maxMinor) });
  return (
    <>
      <SiteHeader locale={locale} shop={merchant} />
      <main lang={locale} className="mx-auto max-w-md space-y-4 px-4 py-6">
        <Card>
          <p className="text-sm text-stone-600">{merchant.name}</p>
          <h1 className="mt-1 text-xl font-bold" data-testid="link-title">{link.title}</h1>
          {link.description && <p className="mt-1 text-sm text-stone-700">{link.description}</p>}
          {fixed && <p className="mt-3 text-3xl font-bold" data-testid="link-amount">{fixed}</p>}
        </Card>
        <PayLinkForm
          link={link.id}
          locale={locale}
          fixedAmount={fixed}
          bounds={bounds}
          currency={link.currency}
          countries={views.countries}
          optionsByCountry={views.optionsByCountry}
          defaultCountry={found.countries.includes(merchant.country) ? merchant.country : (found.countries[0] ?? "")}
          labels={views.labels}
        />
      </main>
    </>
  );
}
