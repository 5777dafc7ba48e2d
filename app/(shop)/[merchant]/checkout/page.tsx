import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { CheckoutForm } from "@/components/checkout/checkout-form";
import { SiteHeader } from "@/components/site-header";
import { getDb } from "@/db";
import { readCart } from "@/lib/cart/server";
import { shopLocale } from "@/lib/checkout/locale";
import { loadShop } from "@/lib/checkout/shop";
import { shopTitle } from "@/lib/checkout/titles";
import { checkoutLabels } from "@/lib/checkout/views";

type Props = { params: Promise<{ merchant: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return shopTitle((await params).merchant, "checkout");
}

export default async function CheckoutPage({ params }: Props) {
  const shop = await loadShop(await getDb(), (await params).merchant);
  if (!shop) notFound();
  const [locale, lines] = await Promise.all([shopLocale(shop.merchant.defaultLocale), readCart(shop.merchant.slug)]);
  const [t, views] = await Promise.all([getTranslations({ locale, namespace: "checkout" }), checkoutLabels(locale, shop.countries, shop.optionsByCountry)]);
  return (
    <>
      <SiteHeader locale={locale} shop={shop.merchant} />
      <main lang={locale} className="mx-auto max-w-md px-4 py-6">
        <Link href={`/${shop.merchant.slug}`} className="text-sm text-brand-700 underline">
          {t("backToShop")}
        </Link>
        <h1 className="mt-2 mb-4 text-2xl font-bold">
          {t("title")} · {shop.merchant.name}
        </h1>
        <CheckoutForm
          shop={shop.merchant.slug}
          lines={lines}
          locale={locale}
          currency={shop.merchant.currency}
          products={shop.products.map(({ id, name, priceMinor }) => ({ id, name, priceMinor }))}
          countries={views.countries}
          optionsByCountry={views.optionsByCountry}
          defaultCountry={shop.countries.includes(shop.merchant.country) ? shop.merchant.country : (shop.countries[0] ?? "")}
          labels={views.labels}
        />
      </main>
    </>
  );
}
