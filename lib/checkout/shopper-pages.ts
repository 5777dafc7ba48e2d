import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { cache } from "react";
import { getDb } from "@/db";
import { merchants, paymentLinks, providerAccounts } from "@/db/schema";
import { loadSession } from "@/lib/checkout-sessions/read";
import { getPublicOrder, orderShopAccounts } from "@/lib/orders/public";
import { hasControlChars } from "@/lib/validation";
import { shopOffer } from "./shop";

/**
 * What the order and payment-link pages read, each in one round of queries run side by side
 * (not one after the other: on a busy server every round trip is time before the first byte,
 * bench/RESULTS.md "Checkout weight"), and memoised for the request so that the page's <title>
 * (generateMetadata) and the page itself share it.
 */
export const orderPageData = cache(async (orderId: string) => {
  const db = await getDb();
  // An API checkout session's order (most have none) decides what may still be paid, and where the shopper goes back to.
  const [order, accounts, session] = await Promise.all([getPublicOrder(db, orderId), orderShopAccounts(db, orderId), hasControlChars(orderId) ? null : loadSession(db, { orderId })]);
  return order ? { order, accounts, session } : null;
});

/** An active payment link, its merchant and the ways that merchant takes money. */
export const payLinkPageData = cache(async (linkId: string) => {
  if (hasControlChars(linkId)) return null;
  const db = await getDb();
  const active = and(eq(paymentLinks.id, linkId), eq(paymentLinks.active, true));
  const [[row], accounts] = await Promise.all([
    db.select({ link: paymentLinks, merchant: merchants }).from(paymentLinks).innerJoin(merchants, eq(merchants.id, paymentLinks.merchantId)).where(active),
    db
      .select({ provider: providerAccounts.provider, enabled: providerAccounts.enabled })
      .from(providerAccounts)
      .where(inArray(providerAccounts.merchantId, db.select({ id: paymentLinks.merchantId }).from(paymentLinks).where(active))),
  ]);
  return row ? { ...row, accounts, ...shopOffer(row.merchant.currency, accounts) } : null;
});
