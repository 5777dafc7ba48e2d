import "server-only";
import { eq } from "drizzle-orm";
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { cache } from "react";
import { getDb } from "@/db";
import { checkoutSessions, merchants } from "@/db/schema";
import { hasControlChars } from "@/lib/validation";
import { shopLocale } from "./locale";
import { orderPageData, payLinkPageData } from "./shopper-pages";

/**
 * The <title> of a shopper's page: the merchant's name first (what the tab, the history and a
 * shared link show), then what the page is, in the shop's language. Absolute, so the app's own
 * " · Caisse" template stays off the merchant's pages.
 */
type Page = { page: "shop" | "checkout" } | { page: "order"; reference: string } | { page: "payLink"; title: string };

const byMerchant = { name: merchants.name, defaultLocale: merchants.defaultLocale };

/** Each lookup is memoised for the request: the page itself asks again (the order and payment-link pages share theirs, ./shopper-pages.ts). */
const merchantBySlug = cache(async (slug: string) => (await (await getDb()).select(byMerchant).from(merchants).where(eq(merchants.slug, slug)))[0] ?? null);

async function title(merchant: { name: string; defaultLocale: string } | null, page: Page): Promise<Metadata> {
  if (!merchant) return { robots: { index: false } };
  const t = await getTranslations({ locale: await shopLocale(merchant.defaultLocale), namespace: "titles" });
  const what = page.page === "order" ? t("order", { reference: page.reference }) : page.page === "payLink" ? t("payLink", { title: page.title }) : t(page.page);
  return { title: { absolute: `${merchant.name} — ${what}` }, ...(page.page === "shop" ? {} : { robots: { index: false } }) };
}

export async function shopTitle(slug: string, page: "shop" | "checkout"): Promise<Metadata> {
  return title(hasControlChars(slug) ? null : await merchantBySlug(slug), { page });
}

export async function orderTitle(orderId: string): Promise<Metadata> {
  const found = await orderPageData(orderId);
  return found ? title(found.order.merchant, { page: "order", reference: found.order.reference }) : title(null, { page: "shop" });
}

export async function payLinkTitle(linkId: string): Promise<Metadata> {
  const found = await payLinkPageData(linkId);
  return found ? title(found.merchant, { page: "payLink", title: found.link.title }) : title(null, { page: "shop" });
}

/** An API checkout session's page: titled as the store's checkout. */
export async function sessionTitle(sessionId: string): Promise<Metadata> {
  if (hasControlChars(sessionId)) return title(null, { page: "shop" });
  const [row] = await (await getDb()).select(byMerchant).from(checkoutSessions).innerJoin(merchants, eq(merchants.id, checkoutSessions.merchantId)).where(eq(checkoutSessions.id, sessionId));
  return title(row ?? null, { page: "checkout" });
}
