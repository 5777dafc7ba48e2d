import { asc, desc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { merchants, orderItems, orders, payments } from "@/db/schema";
import { hasControlChars } from "@/lib/validation";

/**
 * What the shopper's order page may show, found by the unguessable order id alone. No customer
 * contact details beyond the name (the phone only to be shown masked), no provider tokens.
 */
export async function getPublicOrder(db: Db, orderId: string) {
  if (hasControlChars(orderId)) return null;
  const [row] = await db
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
    .where(eq(orders.id, orderId));
  if (!row) return null;
  const { customerEmail, customerBilling, ...shown } = row;
  const [items, attempts] = await Promise.all([
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
  // Whether a card's details are on file, never the details themselves.
  return { ...shown, hasCardDetails: Boolean(customerEmail && customerBilling), items, payments: attempts };
}

export type PublicOrder = NonNullable<Awaited<ReturnType<typeof getPublicOrder>>>;
