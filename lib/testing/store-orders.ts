import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import * as s from "@/db/schema";
import { newId } from "@/lib/ids";
import { merchantId } from "./payments";

type PaymentStatus = (typeof s.paymentStatus.enumValues)[number];

export type StoreOrderSpec = {
  reference?: string;
  customerName?: string;
  customerPhone?: string | null;
  amountMinor?: number;
  createdAt: Date;
  /** One attempt created with the order; paid when `paidAt` is given. */
  payment?: { status: PaymentStatus; paidAt?: Date; settlementDate?: string };
};

let counter = 0;

/**
 * An order (and its payment) written as the checkout would have written them, at chosen
 * instants, through the real tables and their triggers: what a test of store-local days or of
 * the search needs that the seeded history leaves to chance.
 */
export async function insertStoreOrder(database: Database, slug: "demo" | "autre", spec: StoreOrderSpec) {
  const mid = await merchantId(database, slug);
  const [merchant] = await database.db.select().from(s.merchants).where(eq(s.merchants.id, mid));
  const [account] = await database.db.select().from(s.providerAccounts).where(eq(s.providerAccounts.merchantId, mid)).limit(1);
  const id = newId("ord");
  const n = ++counter;
  const amountMinor = spec.amountMinor ?? 10_000;
  await database.db.insert(s.orders).values({
    id,
    merchantId: mid,
    reference: spec.reference ?? `T${slug.toUpperCase()}${String(n).padStart(5, "0")}`,
    amountMinor,
    currency: merchant!.currency,
    customerName: spec.customerName ?? "Store Day",
    customerEmail: `day${n}@example.test`,
    customerPhone: spec.customerPhone === undefined ? null : spec.customerPhone,
    customerCountry: merchant!.country,
    createdAt: spec.createdAt,
    updatedAt: spec.createdAt,
  });
  if (spec.payment) {
    const collected = spec.payment.paidAt !== undefined;
    await database.db.insert(s.payments).values({
      id: newId("pay"),
      orderId: id,
      merchantId: mid,
      providerAccountId: account!.id,
      provider: account!.provider,
      method: "card",
      reference: `CST${slug.toUpperCase()}${n}`,
      amountMinor,
      currency: merchant!.currency,
      status: spec.payment.status,
      paidAt: spec.payment.paidAt ?? null,
      feeEstimatedMinor: collected ? 100 : null,
      netMinor: collected ? amountMinor - 100 : null,
      settlementDate: spec.payment.settlementDate ?? null,
      createdAt: spec.createdAt,
      updatedAt: spec.payment.paidAt ?? spec.createdAt,
    });
  }
  return { id, merchantId: mid };
}
