import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { preload } from "react-dom";
import { AddToCart } from "@/components/checkout/add-to-cart";
import { CartBar } from "@/components/checkout/cart-bar";
import { Money } from "@/components/money";
import { SiteHeader } from "@/components/site-header";
import { getDb } from "@/db";
import { readCart } from "@/lib/cart/server";
import { productImageSrc } from "@/lib/catalog/image-src";
import { shopLocale } from "@/lib/checkout/locale";
import { stockMessage } from "@/lib/checkout/stock-message";
import { loadShop } from "@/lib/checkout/shop";
import { shopTitle } from "@/lib/checkout/titles";

type Props = { params: Promise<{ merchant: string }>; searchParams: Promise<{ short?: string | string[] }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return shopTitle((await params).merchant, "shop");
}

export default async function StorefrontPage({ params, searchParams }: Props) {
  const shop = await loadShop(await getDb(), (await params).merchant);
  if (!shop) notFound();
  const [locale, lines] = await Promise.all([shopLocale(shop.merchant.defaultLocale), readCart(shop.merchant.slug)]);
  const [t, tc] = await Promise.all([getTranslations({ locale, namespace: "shop" }), getTranslations({ locale, namespace: "checkout" })]);
  // The product the cart just refused (sold out, or no more units left than already in the cart).
  const { short } = await searchParams;
  const stockError = (name: string, left: number) => stockMessage({ name, left }, (key, values) => tc(`errors.${key}` as never, values as never));
  const countLabels = [tc("cartCount", { count: 0 }), tc("cartCount", { count: 1 }), tc("cartCount", { count: 999 }).replace("999", "#")];
  return (
    <>
      <SiteHeader locale={locale} shop={shop.merchant} />
      <main lang={locale} className="mx-auto max-w-5xl px-4 pt-6 pb-28">
        <h1 className="text-2xl font-bold" data-testid="store-name">
          {shop.merchant.name}
        </h1>
        <h2 className="sr-only">{t("products")}</h2>
        {shop.products.length === 0 ? (
          <p className="mt-6">{t("empty")}</p>
        ) : (
          <ul className="mt-4 grid grid-cols-2 gap-3 sm:grid-cols-3" data-testid="product-list">
            {shop.products.map((p, i) => (
              <li key={p.id} id={p.id} className="flex flex-col overflow-hidden rounded-xl border border-stone-200 bg-white">
                {p.imageUrl && <ProductImage src={p.imageUrl} first={i < 2} />}
                <div className="flex flex-1 flex-col p-3">
                  <h3 className="text-sm font-semibold leading-snug">{p.name}</h3>
                  <p className="mt-1 flex-1 text-xs text-stone-600">{p.description}</p>
                  <p className="mt-2 font-semibold text-brand-700">
                    <Money amount={p.priceMinor} currency={p.currency} locale={locale} />
                  </p>
                  <AddToCart shop={shop.merchant.slug} productId={p.id} name={p.name} label={tc("addToCart")} addedLabel={tc("added")} soldOutLabel={p.stock === 0 ? t("soldOut") : undefined} />
                  {short === p.id && (
                    <p role="alert" className="mt-1 text-sm font-medium text-red-700" data-testid={`short-${p.id}`}>
                      {stockError(p.name, p.stock ?? 0)}
                    </p>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </main>
      <CartBar shop={shop.merchant.slug} lines={lines} products={shop.products} currency={shop.merchant.currency} locale={locale} labels={{ checkout: tc("checkout"), count: countLabels }} />
    </>
  );
}

/**
 * A plain <img>, not next/image: our product images are served as they are (next/image ran with
 * `unoptimized`), and next/image is a client component that added 4–5 KB gzip of JavaScript to
 * the storefront (bench/weight.ts). Same markup and loading as before: the first two images
 * are preloaded from <head>, the others load lazily.
 */
function ProductImage({ src: url, first }: { src: string; first: boolean }) {
  // A picture small enough is in the page already (lib/catalog/image-src.ts): nothing to preload.
  const src = productImageSrc(url);
  if (first && src === url) preload(src, { as: "image" });
  // eslint-disable-next-line @next/next/no-img-element -- see above
  return <img src={src} alt="" width={320} height={240} decoding="async" loading={first ? undefined : "lazy"} className="aspect-[4/3] w-full bg-stone-100 object-cover" />;
}
