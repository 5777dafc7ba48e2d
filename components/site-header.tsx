import { getLocale, getTranslations } from "next-intl/server";
import { LocaleSwitch } from "./locale-switch";

/**
 * `locale`: the page's own language when it differs from the request's (shops default to the merchant's).
 * `shop`: on a shopper's page the header names the merchant they are paying, linked to its
 * storefront, not Caisse, with its logo when it has one: a small image of fixed size (no layout
 * shift), loaded at once since the header is the top of the page, named by the store's name.
 */
export async function SiteHeader({ children, locale, shop }: { children?: React.ReactNode; locale?: string; shop?: { name: string; slug: string; logoUrl?: string | null } }) {
  const t = await getTranslations({ locale: locale ?? (await getLocale()), namespace: "common" });
  return (
    <header className="border-b border-stone-200 bg-white">
      <div className="mx-auto flex max-w-5xl items-center justify-between gap-2 px-4 py-2">
        {/* A full load, not a client-side navigation: the merchant's pages and the shopper's run
            under different Content-Security-Policies (lib/security/headers.ts), and a page
            reached without reloading keeps the policy of the first. */}
        {shop ? (
          <a href={`/${encodeURIComponent(shop.slug)}`} className="flex min-w-0 items-center gap-2 text-lg font-bold tracking-tight text-brand-700" data-testid="shop-brand">
            {shop.logoUrl && (
              // eslint-disable-next-line @next/next/no-img-element -- served as stored, like product images (see the storefront's ProductImage)
              <img src={shop.logoUrl} alt={shop.name} width={32} height={32} decoding="async" className="size-8 shrink-0 rounded object-contain" data-testid="shop-logo" />
            )}
            {/* With a logo, its alt text already names the store for a screen reader. */}
            <span className="truncate" aria-hidden={shop.logoUrl ? true : undefined}>
              {shop.name}
            </span>
          </a>
        ) : (
          // eslint-disable-next-line @next/next/no-html-link-for-pages -- a full load, on purpose
          <a href="/" className="text-lg font-bold tracking-tight text-brand-700">
            {t("appName")}
          </a>
        )}
        <div className="flex items-center gap-1">
          {children}
          <LocaleSwitch locale={locale} />
        </div>
      </div>
    </header>
  );
}
