import { asc, eq, ne, type SQL } from "drizzle-orm";
import type { Database } from "@/db/client";
import * as s from "@/db/schema";

type Db = Database["db"];

/**
 * Row counts of what unauthenticated input must never create, plus the statuses it must never
 * move. The delivery log (notifications, and their 'notification' events) is left out: keeping
 * what arrived is its job.
 */
export async function outsideTheDeliveryLog(db: Db) {
  const n = (table: Parameters<typeof db.$count>[0], where?: SQL) => db.$count(table, where).then(Number);
  const [payments, refunds, orders, orderItems, events, accounts, merchants, links, products, productImages, storeLogos, users, members, invitations, sandboxTxns, sandboxDeliveries, sandboxAccounts, apiKeys, statuses] = await Promise.all([
    n(s.payments),
    n(s.refunds),
    n(s.orders),
    n(s.orderItems),
    n(s.paymentEvents, ne(s.paymentEvents.type, "notification")),
    n(s.providerAccounts),
    n(s.merchants),
    n(s.paymentLinks),
    n(s.products),
    n(s.productImages),
    n(s.storeLogos),
    n(s.users),
    n(s.members),
    n(s.invitations),
    n(s.sandboxTransactions),
    n(s.sandboxDeliveries),
    n(s.sandboxAccounts),
    n(s.apiKeys),
    db.select({ id: s.payments.id, status: s.payments.status }).from(s.payments).orderBy(s.payments.id),
  ]);
  return { payments, refunds, orders, orderItems, events, accounts, merchants, links, products, productImages, storeLogos, users, members, invitations, sandboxTxns, sandboxDeliveries, sandboxAccounts, apiKeys, statuses };
}

/** Everything a merchant owns, row for row: another merchant's session must leave it as it is. */
export async function merchantRows(db: Db, merchantId: string) {
  const [store, logo, orders, payments, refunds, links, members, invitations, accounts, products, productImages, notifications, apiKeys] = await Promise.all([
    db.select().from(s.merchants).where(eq(s.merchants.id, merchantId)),
    db.select().from(s.storeLogos).where(eq(s.storeLogos.merchantId, merchantId)),
    db.select().from(s.orders).where(eq(s.orders.merchantId, merchantId)).orderBy(asc(s.orders.id)),
    db.select().from(s.payments).where(eq(s.payments.merchantId, merchantId)).orderBy(asc(s.payments.id)),
    db.select({ refund: s.refunds }).from(s.refunds).innerJoin(s.payments, eq(s.payments.id, s.refunds.paymentId)).where(eq(s.payments.merchantId, merchantId)).orderBy(asc(s.refunds.id)),
    db.select().from(s.paymentLinks).where(eq(s.paymentLinks.merchantId, merchantId)).orderBy(asc(s.paymentLinks.id)),
    db.select().from(s.members).where(eq(s.members.merchantId, merchantId)).orderBy(asc(s.members.id)),
    db.select().from(s.invitations).where(eq(s.invitations.merchantId, merchantId)).orderBy(asc(s.invitations.id)),
    db.select().from(s.providerAccounts).where(eq(s.providerAccounts.merchantId, merchantId)).orderBy(asc(s.providerAccounts.id)),
    db.select().from(s.products).where(eq(s.products.merchantId, merchantId)).orderBy(asc(s.products.id)),
    db.select({ image: s.productImages }).from(s.productImages).innerJoin(s.products, eq(s.products.id, s.productImages.productId)).where(eq(s.products.merchantId, merchantId)).orderBy(asc(s.productImages.productId)),
    db.select().from(s.notifications).where(eq(s.notifications.merchantId, merchantId)).orderBy(asc(s.notifications.id)),
    db.select().from(s.apiKeys).where(eq(s.apiKeys.merchantId, merchantId)).orderBy(asc(s.apiKeys.id)),
  ]);
  return { store, logo, orders, payments, refunds, links, members, invitations, accounts, products, productImages, notifications, apiKeys };
}
