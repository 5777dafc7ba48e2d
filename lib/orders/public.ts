import { asc, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { merchants, orderItems, orders, payments, providerAccounts } from "@/db/schema";
import type { EnabledAccount } from "@/lib/payments/routing";
import { hasControlChars } from "@/lib/validation";

/**
 * What the shopper's order page may show, found by the unguessable order id alone. No customer
 * contact details beyond the name (the phone only to be shown masked), no provider tokens.
 */
export async function getPublicOrder(db: Db, orderId: string) {
  if (hasControlChars(orderId)) return null;
  // The three reads at once: each waits on the database, and on a busy server a round trip more
  // is time before the page's first byte (bench/RESULTS.md, "Checkout weight").
  const [[row], items, attempts] = await Promise.all([
    db
      .select({
        id: orders.id,
        reference: orders.reference,
        amountMinor: orders.amountMinor,
        currency: orders.currency,
        status: orders.status,
        customerName: orders.customerName,
        customerCountry: orders.customerCountry,
        customerPhone: orders.customerPhone,
        customerEmail: orders.customerEmail,
        customerBilling: orders.customerBilling,
        paidAt: orders.paidAt,
        merchant: { id: merchants.id, name: merchants.name, slug: merchants.slug, logoUrl: merchants.logoUrl, defaultLocale: merchants.defaultLocale, timeZone: merchants.timeZone },
      })
      .from(orders)
      .innerJoin(merchants, eq(merchants.id, orders.merchantId))
      .where(eq(orders.id, orderId)),
    db.select({ name: orderItems.name, quantity: orderItems.quantity, totalMinor: orderItems.totalMinor }).from(orderItems).where(eq(orderItems.orderId, orderId)).orderBy(asc(orderItems.id)),
    db
      .select({
        id: payments.id,
        provider: payments.provider,
        method: payments.method,
        reference: payments.reference,
        status: payments.status,
        failureCode: payments.failureCode,
        attemptOutcome: payments.attemptOutcome,
        flag: payments.flag,
        flagResolvedAt: payments.flagResolvedAt,
        paidAmountMinor: payments.paidAmountMinor,
        expiresAt: payments.expiresAt,
        paidAt: payments.paidAt,
        nextAction: payments.nextAction,
        createdAt: payments.createdAt,
      })
      .from(payments)
      .where(eq(payments.orderId, orderId))
      .orderBy(desc(payments.createdAt)),
  ]);
  if (!row) return null;
  const { customerEmail, customerBilling, ...shown } = row;
  // Whether a card's details are on file, never the details themselves.
  return { ...shown, hasCardDetails: Boolean(customerEmail && customerBilling), items, payments: attempts };
}

export type PublicOrder = NonNullable<Awaited<ReturnType<typeof getPublicOrder>>>;

/**
 * The provider accounts of the order's merchant (which are enabled, no credentials), found by the
 * order id alone so that it runs beside getPublicOrder rather than after it: what "Pay another
 * way" offers.
 */
export async function orderShopAccounts(db: Db, orderId: string): Promise<EnabledAccount[]> {
  if (hasControlChars(orderId)) return [];
  return db
    .select({ provider: providerAccounts.provider, enabled: providerAccounts.enabled })
    .from(providerAccounts)
    .where(inArray(providerAccounts.merchantId, db.select({ id: orders.merchantId }).from(orders).where(eq(orders.id, orderId))));
}
