import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { CheckoutForm } from "@/components/checkout/checkout-form";
import { SiteHeader } from "@/components/site-header";
import { getDb } from "@/db";
import { readCart } from "@/lib/cart/server";
import { shopLocale } from "@/lib/checkout/locale";
import { stockMessage } from "@/lib/checkout/stock-message";
import { loadShop } from "@/lib/checkout/shop";
import { shopTitle } from "@/lib/checkout/titles";
import { checkoutLabels } from "@/lib/checkout/views";

type Props = { params: Promise<{ merchant: string }>; searchParams: Promise<{ short?: string | string[] }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return shopTitle((await params).merchant, "checkout");
}

export default async function CheckoutPage({ params, searchParams }: Props) {
  const shop = await loadShop(await getDb(), (await params).merchant);
  if (!shop) notFound();
  const [locale, lines] = await Promise.all([shopLocale(shop.merchant.defaultLocale), readCart(shop.merchant.slug)]);
  const [t, views] = await Promise.all([getTranslations({ locale, namespace: "checkout" }), checkoutLabels(locale, shop.countries, shop.optionsByCountry)]);
  // Lines the shop cannot fill as they stand (stock sold meanwhile), and the one whose + the
  // cart just refused (`short`): each told at its line before the shopper tries to pay.
  const { short } = await searchParams;
  const lineErrors: Record<string, string> = {};
  for (const line of lines) {
    const p = shop.products.find((x) => x.id === line.productId);
    if (p && p.stock !== null && (line.quantity > p.stock || short === p.id)) {
      lineErrors[p.id] = stockMessage({ name: p.name, left: p.stock }, (key, values) => t(`errors.${key}` as never, values as never));
    }
  }
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
          products={shop.products.map(({ id, name, priceMinor, stock }) => ({ id, name, priceMinor, stock }))}
          lineErrors={lineErrors}
          countries={views.countries}
          optionsByCountry={views.optionsByCountry}
          defaultCountry={shop.countries.includes(shop.merchant.country) ? shop.merchant.country : (shop.countries[0] ?? "")}
          labels={views.labels}
        />
      </main>
    </>
  );
}
