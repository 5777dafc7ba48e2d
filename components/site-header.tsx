import { getLocale, getTranslations } from "next-intl/server";
import { LocaleSwitch } from "./locale-switch";

/**
 * `locale`: the page's own language when it differs from the request's (shops default to the merchant's).
 * `shop`: on a shopper's page the header names the merchant they are paying, linked to its
 * storefront, not Caisse (merchants have no logo in the schema yet: the name alone).
 */
export async function SiteHeader({ children, locale, shop }: { children?: React.ReactNode; locale?: string; shop?: { name: string; slug: string } }) {
  const t = await getTranslations({ locale: locale ?? (await getLocale()), namespace: "common" });
  return (
    <header className="border-b border-stone-200 bg-white">
      <div className="mx-auto flex max-w-5xl items-center justify-between gap-2 px-4 py-2">
        {/* A full load, not a client-side navigation: the merchant's pages and the shopper's run
            under different Content-Security-Policies (lib/security/headers.ts), and a page
            reached without reloading keeps the policy of the first. */}
        {shop ? (
          <a href={`/${encodeURIComponent(shop.slug)}`} className="min-w-0 truncate text-lg font-bold tracking-tight text-brand-700" data-testid="shop-brand">
            {shop.name}
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
