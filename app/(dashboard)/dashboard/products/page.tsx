import { getLocale, getTranslations } from "next-intl/server";
import { Money } from "@/components/money";
import { getDb } from "@/db";
import { requireMerchant } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { CURRENCIES, isCurrency } from "@/lib/money";
import { listProducts } from "@/lib/products/manage";
import { ProductControls, ProductForm } from "./_components/product-forms";

export const metadata = { title: "Products" };

/** The price as the edit form shows it: the typed form of the stored minor units, without grouping. */
function typedPrice(minor: number, currency: string): string {
  const decimals = isCurrency(currency) ? CURRENCIES[currency].decimals : 0;
  return decimals ? (minor / 10 ** decimals).toFixed(decimals) : String(minor);
}

/** How a price of this currency is typed, for the hint: "5 000" has no cents to show; "1 250,00" or "1,250.00" has. */
function typedExample(currency: string, locale: string): string {
  const decimals = isCurrency(currency) ? CURRENCIES[currency].decimals : 0;
  if (!decimals) return "5 000";
  return locale === "fr" ? "1 250,00" : "1,250.00";
}

export default async function ProductsPage() {
  const ctx = await requireMerchant("view");
  const [items, t, locale] = await Promise.all([listProducts(await getDb(), ctx.merchant.id), getTranslations("products"), getLocale()]);
  const editable = can(ctx, "products");
  const labels = { name: t("name"), description: t("description"), price: t("price", { currency: ctx.merchant.currency }), priceHint: t("priceHint", { example: typedExample(ctx.merchant.currency, locale) }), stock: t("stock"), stockHint: t("stockHint"), image: t("image") };
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      {editable && (
        <section className="rounded-xl border border-stone-200 bg-white p-4">
          <h2 className="mb-2 text-lg font-semibold">{t("create")}</h2>
          <ProductForm labels={{ ...labels, submit: t("submit") }} testId="product-create" />
        </section>
      )}
      {items.length === 0 && <p className="text-stone-600">{t("empty")}</p>}
      <ul className="space-y-3" data-testid="products-list">
        {items.map((p) => (
          <li key={p.id} className="rounded-xl border border-stone-200 bg-white p-4" data-testid="product-row" data-name={p.name} data-active={p.active ? "true" : "false"}>
            <div className="flex items-start gap-3">
              {/* eslint-disable-next-line @next/next/no-img-element -- served by our own route, already sized and cached */}
              {p.imageUrl && p.active && <img src={p.imageUrl} alt="" width={64} height={64} className="h-16 w-16 rounded object-cover" />}
              <div className="min-w-0 flex-1">
                <p className="font-semibold">{p.name}</p>
                <p className="text-sm">
                  <Money amount={p.priceMinor} currency={p.currency} locale={locale} />
                </p>
                <p className="text-xs text-stone-500">
                  {p.stock === null ? t("unlimited") : p.stock === 0 ? t("soldOut") : t("inStock", { count: p.stock })}
                  {!p.active && ` · ${t("archived")}`}
                </p>
              </div>
            </div>
            {editable && (
              <>
                <ProductControls productId={p.id} active={p.active} labels={{ archive: t("archive"), restore: t("restore"), up: t("up"), down: t("down") }} />
                <details className="mt-2">
                  <summary className="cursor-pointer text-sm font-medium text-brand-700">{t("edit")}</summary>
                  <ProductForm labels={{ ...labels, submit: t("save") }} initial={{ productId: p.id, name: p.name, description: p.description, price: typedPrice(p.priceMinor, p.currency), stock: p.stock === null ? "" : String(p.stock) }} testId={`product-edit-${p.id}`} />
                </details>
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
