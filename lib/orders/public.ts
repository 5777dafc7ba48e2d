import { asc, eq, inArray, sql } from "drizzle-orm";
import { nestedRows } from "@/db/nested-rows";
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
  // The order with its attempts in one statement (they must be of one moment: a payment made paid
  // between two reads gave a paid order without its receipt), its items beside it (they never change).
  const attempts = nestedRows(
    {
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
    },
    sql`from ${payments} where ${payments.orderId} = ${orders.id}`,
    sql`${payments.createdAt} desc`,
  );
  const [[row], items] = await Promise.all([
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
        attempts: attempts.column,
      })
      .from(orders)
      .innerJoin(merchants, eq(merchants.id, orders.merchantId))
      .where(eq(orders.id, orderId)),
    db.select({ name: orderItems.name, quantity: orderItems.quantity, totalMinor: orderItems.totalMinor }).from(orderItems).where(eq(orderItems.orderId, orderId)).orderBy(asc(orderItems.id)),
  ]);
  if (!row) return null;
  const { customerEmail, customerBilling, attempts: attemptRows, ...shown } = row;
  // Whether a card's details are on file, never the details themselves.
  return { ...shown, hasCardDetails: Boolean(customerEmail && customerBilling), items, payments: attempts.read(attemptRows) };
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
