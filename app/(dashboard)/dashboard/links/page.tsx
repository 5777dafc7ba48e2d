import { getLocale, getTranslations } from "next-intl/server";
import { Money } from "@/components/money";
import { getDb } from "@/db";
import { requireMerchant } from "@/lib/auth/guard";
import { linkBounds } from "@/lib/checkout/link-bounds";
import { linkUrl, listLinks } from "@/lib/dashboard/links";
import { formatMoney, type Locale } from "@/lib/money";
import { providerAccounts } from "@/db/schema";
import { eq } from "drizzle-orm";
import { env } from "@/lib/env";
import { ShareButtons } from "../_components/share-buttons";
import { CreateLinkForm, LinkToggle } from "./_components/link-forms";

export const metadata = { title: "Payment links" };

export default async function LinksPage() {
  const ctx = await requireMerchant("view");
  const db = await getDb();
  const [links, accounts, t, locale] = await Promise.all([
    listLinks(db, ctx.merchant.id),
    db.select({ provider: providerAccounts.provider, enabled: providerAccounts.enabled }).from(providerAccounts).where(eq(providerAccounts.merchantId, ctx.merchant.id)),
    getTranslations("links"),
    getLocale(),
  ]);
  const money = (minor: number | null) => (minor === null ? "∞" : formatMoney(minor, ctx.merchant.currency, locale as Locale));
  const defaults = linkBounds({ minAmountMinor: null, maxAmountMinor: null, currency: ctx.merchant.currency }, accounts);
  const appUrl = env().APP_URL;
  const shareLabels = { copy: t("copy"), copied: t("copied"), whatsapp: t("whatsapp") };
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <CreateLinkForm labels={{ create: t("create"), linkTitle: t("linkTitle"), description: t("description"), amount: t("amount"), amountHint: t("amountHint"), min: t("min"), max: t("max"), boundsHint: t("boundsHint", { min: money(defaults.minMinor), max: money(defaults.maxMinor) }), submit: t("submit") }} />
      {links.length === 0 && <p className="text-stone-600">{t("empty")}</p>}
      <ul className="space-y-3" data-testid="links-list">
        {links.map((link) => {
          const url = linkUrl(appUrl, link.id);
          const bounds = linkBounds(link, accounts);
          return (
            <li key={link.id} className="rounded-xl border border-stone-200 bg-white p-4" data-testid="link-row" data-active={link.active ? "true" : "false"} data-title={link.title}>
              <div className="flex flex-wrap items-center justify-between gap-2">
                <span className="font-semibold">{link.title}</span>
                <span className="text-sm">
                  {link.amountMinor === null ? (
                    <>
                      {t("open")} · <span data-testid="link-bounds">{t("bounds", { min: money(bounds.minMinor), max: money(bounds.maxMinor) })}</span>
                    </>
                  ) : (
                    <Money amount={link.amountMinor} currency={link.currency} locale={locale} />
                  )}
                </span>
              </div>
              <p className="mt-1 break-all font-mono text-xs text-stone-600" data-testid="link-url">
                {url}
              </p>
              <p className="text-xs text-stone-500">{link.active ? t("active") : t("inactive")}</p>
              <div className="mt-2 flex flex-wrap gap-2">
                {link.active && <ShareButtons url={url} shareText={t("shareText", { title: link.title, url })} labels={shareLabels} testIdPrefix="link" />}
                <LinkToggle linkId={link.id} active={link.active} label={link.active ? t("disable") : t("enable")} />
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
