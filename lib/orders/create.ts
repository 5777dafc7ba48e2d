import type { Db } from "@/db/client";
import { orderItems, orders, type BillingAddress } from "@/db/schema";
import { writeTogether } from "@/db/write-together";
import { newId, newOrderReference } from "@/lib/ids";
import type { Mode } from "@/lib/payments/types";
import type { PricedCart } from "./price";

export type OrderCustomer = { name: string; email?: string | null; phone?: string | null; country: string; billing?: BillingAddress | null };

export type NewOrder = {
  merchant: { id: string; currency: string };
  customer: OrderCustomer;
  locale: "fr" | "en";
} & (
  | { cart: PricedCart }
  | { amountMinor: number; paymentLinkId: string; title: string; mode?: Mode | null }
  /** A checkout session's lines, priced by the merchant's API call (stored on the session, never read from the shopper). */
  | { lines: { name: string; unitPriceMinor: number; quantity: number }[]; mode: Mode }
);

/** What was stored, as startPayment needs it (no second read of the order just written). */
export type CreatedOrder = {
  id: string;
  reference: string;
  merchantId: string;
  status: "open";
  amountMinor: number;
  currency: string;
  customerName: string;
  customerEmail: string | null;
  customerPhone: string | null;
  customerCountry: string;
  customerBilling: BillingAddress | null;
  locale: "fr" | "en";
  /** Set when the order's payments must go to one mode whatever the account's (an API key's link). */
  mode: Mode | null;
};

export class OrderError extends Error {
  constructor(readonly code: "empty_cart" | "unknown_product" | "invalid_quantity" | "invalid_amount") {
    super(code);
    this.name = "OrderError";
  }
}

/**
 * Creates an order priced from the database: the cart comes from priceCart (the browser says
 * which products and how many, never how much), a link's amount from the link or the shopper's
 * open amount. The order id is unguessable: the shopper's key to the order page.
 */
export async function createOrder(db: Db, input: NewOrder): Promise<CreatedOrder> {
  const id = newId("ord");
  let lines: (typeof orderItems.$inferInsert)[];
  let amountMinor: number;

  if ("cart" in input) {
    const { cart } = input;
    if (cart.lines.length === 0) throw new OrderError("empty_cart");
    if (cart.lines.some((l) => !Number.isInteger(l.quantity) || l.quantity < 1 || l.quantity > 99)) throw new OrderError("invalid_quantity");
    if (cart.currency !== input.merchant.currency) throw new OrderError("unknown_product");
    lines = cart.lines.map((l) => ({ id: newId("itm"), orderId: id, ...l }));
    amountMinor = cart.amountMinor;
  } else if ("lines" in input) {
    if (input.lines.length === 0) throw new OrderError("empty_cart");
    if (input.lines.some((l) => !Number.isInteger(l.quantity) || l.quantity < 1 || l.quantity > 999)) throw new OrderError("invalid_quantity");
    lines = input.lines.map((l) => ({ id: newId("itm"), orderId: id, name: l.name, unitPriceMinor: l.unitPriceMinor, quantity: l.quantity, totalMinor: l.unitPriceMinor * l.quantity }));
    amountMinor = lines.reduce((sum, l) => sum + l.totalMinor, 0);
    if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0 || lines.some((l) => !Number.isSafeInteger(l.unitPriceMinor) || l.unitPriceMinor <= 0)) throw new OrderError("invalid_amount");
  } else {
    if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0) throw new OrderError("invalid_amount");
    amountMinor = input.amountMinor;
    lines = [{ id: newId("itm"), orderId: id, name: input.title, unitPriceMinor: amountMinor, quantity: 1, totalMinor: amountMinor }];
  }

  const order: CreatedOrder = {
    id,
    reference: newOrderReference(),
    merchantId: input.merchant.id,
    status: "open",
    amountMinor,
    currency: input.merchant.currency,
    customerName: input.customer.name,
    customerEmail: input.customer.email ?? null,
    customerPhone: input.customer.phone ?? null,
    customerCountry: input.customer.country,
    customerBilling: input.customer.billing ?? null,
    locale: input.locale,
    mode: "mode" in input ? (input.mode ?? null) : null,
  };
  await writeTogether(db, [
    db.insert(orders).values({ ...order, paymentLinkId: "paymentLinkId" in input ? input.paymentLinkId : null }),
    db.insert(orderItems).values(lines),
  ]);
  return order;
}
