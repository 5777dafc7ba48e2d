import type { Metadata } from "next";
import { and, eq } from "drizzle-orm";
import { notFound } from "next/navigation";
import { PayLinkForm } from "@/components/checkout/pay-link-form";
import { SiteHeader } from "@/components/site-header";
import { Card } from "@/components/ui/card";
import { getDb } from "@/db";
import { merchants, paymentLinks } from "@/db/schema";
import { shopLocale } from "@/lib/checkout/locale";
import { linkBounds } from "@/lib/checkout/link-bounds";
import { loadShop } from "@/lib/checkout/shop";
import { payLinkTitle } from "@/lib/checkout/titles";
import { checkoutLabels } from "@/lib/checkout/views";
import { formatMoney } from "@/lib/money";
import { hasControlChars } from "@/lib/validation";
import { getTranslations } from "next-intl/server";

type Props = { params: Promise<{ link: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return payLinkTitle((await params).link);
}

export default async function PaymentLinkPage({ params }: Props) {
  const { link } = await params;
  if (hasControlChars(link)) notFound();
  const db = await getDb();
  const [row] = await db
    .select({ link: paymentLinks, slug: merchants.slug })
    .from(paymentLinks)
    .innerJoin(merchants, eq(merchants.id, paymentLinks.merchantId))
    .where(and(eq(paymentLinks.id, link), eq(paymentLinks.active, true)));
  if (!row) notFound();
  const shop = (await loadShop(db, row.slug))!;
  const locale = await shopLocale(shop.merchant.defaultLocale);
  const [views, t] = await Promise.all([checkoutLabels(locale, shop.countries, shop.optionsByCountry), getTranslations({ locale, namespace: "checkout" })]);
  const fixed = row.link.amountMinor === null ? null : formatMoney(row.link.amountMinor, row.link.currency, locale);
  const money = (minor: number) => formatMoney(minor, row.link.currency, locale);
  const range = linkBounds(row.link, shop.accounts);
  const bounds = fixed !== null ? null : range.maxMinor === null ? t("amountMin", { min: money(range.minMinor) }) : t("amountBounds", { min: money(range.minMinor), max: money(range.maxMinor) });
  return (
    <>
      <SiteHeader locale={locale} shop={shop.merchant} />
      <main lang={locale} className="mx-auto max-w-md space-y-4 px-4 py-6">
        <Card>
          <p className="text-sm text-stone-600">{shop.merchant.name}</p>
          <h1 className="mt-1 text-xl font-bold" data-testid="link-title">{row.link.title}</h1>
          {row.link.description && <p className="mt-1 text-sm text-stone-700">{row.link.description}</p>}
          {fixed && <p className="mt-3 text-3xl font-bold" data-testid="link-amount">{fixed}</p>}
        </Card>
        <PayLinkForm
          link={row.link.id}
          locale={locale}
          fixedAmount={fixed}
          bounds={bounds}
          currency={row.link.currency}
          countries={views.countries}
          optionsByCountry={views.optionsByCountry}
          defaultCountry={shop.countries.includes(shop.merchant.country) ? shop.merchant.country : (shop.countries[0] ?? "")}
          labels={views.labels}
        />
      </main>
    </>
  );
}
