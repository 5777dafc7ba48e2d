import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { merchants, orderItems, orders } from "@/db/schema";
import { newId, newOrderReference } from "@/lib/ids";
import { priceCart } from "./price";

export type OrderCustomer = { name: string; email?: string | null; phone?: string | null; country: string };

export type NewOrder = {
  merchantId: string;
  customer: OrderCustomer;
  locale: "fr" | "en";
} & ({ items: { productId: string; quantity: number }[] } | { amountMinor: number; paymentLinkId: string; title: string });

export class OrderError extends Error {
  constructor(readonly code: "empty_cart" | "unknown_product" | "invalid_quantity" | "invalid_amount") {
    super(code);
    this.name = "OrderError";
  }
}

/**
 * Creates an order priced from the database: the browser says which products and how many,
 * never how much. Returns the order id (unguessable: the shopper's key to the order page).
 */
export async function createOrder(db: Db, input: NewOrder): Promise<{ id: string; reference: string; amountMinor: number; currency: string }> {
  const [merchant] = await db.select({ currency: merchants.currency }).from(merchants).where(eq(merchants.id, input.merchantId));
  if (!merchant) throw new OrderError("unknown_product");
  const id = newId("ord");
  let lines: (typeof orderItems.$inferInsert)[] = [];
  let amountMinor: number;

  if ("items" in input) {
    if (input.items.length === 0) throw new OrderError("empty_cart");
    if (input.items.some((i) => !Number.isInteger(i.quantity) || i.quantity < 1 || i.quantity > 99)) throw new OrderError("invalid_quantity");
    const priced = await priceCart(db, input.merchantId, input.items);
    if (!priced || priced.currency !== merchant.currency) throw new OrderError("unknown_product");
    lines = priced.lines.map((l) => ({ id: newId("itm"), orderId: id, ...l }));
    amountMinor = priced.amountMinor;
  } else {
    if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0) throw new OrderError("invalid_amount");
    amountMinor = input.amountMinor;
    lines = [{ id: newId("itm"), orderId: id, name: input.title, unitPriceMinor: amountMinor, quantity: 1, totalMinor: amountMinor }];
  }

  const reference = newOrderReference();
  await db.transaction(async (tx) => {
    await tx.insert(orders).values({
      id,
      merchantId: input.merchantId,
      reference,
      amountMinor,
      currency: merchant.currency,
      customerName: input.customer.name,
      customerEmail: input.customer.email ?? null,
      customerPhone: input.customer.phone ?? null,
      customerCountry: input.customer.country,
      locale: input.locale,
      paymentLinkId: "paymentLinkId" in input ? input.paymentLinkId : null,
    });
    await tx.insert(orderItems).values(lines);
  });
  return { id, reference, amountMinor, currency: merchant.currency };
}
