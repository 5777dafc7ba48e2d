import type { Metadata } from "next";
import Image from "next/image";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { Money } from "@/components/money";
import { SiteHeader } from "@/components/site-header";
import { getDb } from "@/db";
import { getStorefront } from "@/lib/catalog/queries";

type Props = { params: Promise<{ merchant: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const store = await getStorefront(await getDb(), (await params).merchant);
  return { title: store?.merchant.name ?? "Caisse" };
}

export default async function StorefrontPage({ params }: Props) {
  const store = await getStorefront(await getDb(), (await params).merchant);
  if (!store) notFound();
  const [t, locale] = await Promise.all([getTranslations("shop"), getLocale()]);
  return (
    <>
      <SiteHeader />
      <main className="mx-auto max-w-5xl px-4 py-6">
        <h1 className="text-2xl font-bold" data-testid="store-name">
          {store.merchant.name}
        </h1>
        <p className="mt-1 text-sm text-stone-600">{t("comingSoon")}</p>
        <h2 className="sr-only">{t("products")}</h2>
        {store.products.length === 0 ? (
          <p className="mt-6">{t("empty")}</p>
        ) : (
          <ul className="mt-6 grid grid-cols-2 gap-3 sm:grid-cols-3" data-testid="product-list">
            {store.products.map((p) => (
              <li key={p.id} className="overflow-hidden rounded-xl border border-stone-200 bg-white">
                {p.imageUrl && <Image src={p.imageUrl} alt="" width={320} height={240} unoptimized className="aspect-[4/3] w-full bg-stone-100 object-cover" />}
                <div className="p-3">
                  <h3 className="text-sm font-semibold leading-snug">{p.name}</h3>
                  <p className="mt-1 text-xs text-stone-600">{p.description}</p>
                  <p className="mt-2 font-semibold text-brand-700">
                    <Money amount={p.priceMinor} currency={p.currency} locale={locale} />
                  </p>
                </div>
              </li>
            ))}
          </ul>
        )}
      </main>
    </>
  );
}
