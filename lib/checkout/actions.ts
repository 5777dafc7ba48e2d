"use server";
import { and, eq } from "drizzle-orm";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db";
import { merchants, orders, paymentLinks, providerAccounts } from "@/db/schema";
import { parseMoney, isCurrency } from "@/lib/money";
import { createOrder } from "@/lib/orders/create";
import { priceCart } from "@/lib/orders/price";
import { paymentDeps } from "@/lib/payments/deps";
import { amountProblem, paymentOptions } from "@/lib/payments/routing";
import { PaymentError, startPayment } from "@/lib/payments/service";
import { measureProviderTime } from "@/lib/payments/timing";
import { logger } from "@/lib/log";
import { cartSchema, customerSchema, fieldErrors, type CheckoutState } from "./schema";

type Locale = "fr" | "en";

function values(form: FormData) {
  const pick = (k: string) => String(form.get(k) ?? "");
  return { name: pick("name"), email: pick("email"), country: pick("country"), phone: pick("phone"), option: pick("option"), amount: pick("amount") };
}

async function translator() {
  const t = await getTranslations("checkout.errors");
  return (key: string) => t(key as never);
}

/**
 * Validates the customer and the chosen option against what the merchant can really take for
 * this amount, then creates the payment. Returns field errors, or the URL the browser goes to.
 */
async function pay(
  merchant: { id: string; currency: string },
  amountMinor: number,
  form: FormData,
  createFor: (customer: { name: string; email: string | null; phone: string; country: string }) => Promise<string>,
): Promise<CheckoutState | string> {
  const t = await translator();
  const locale: Locale = form.get("locale") === "en" ? "en" : "fr";
  const parsed = customerSchema.safeParse(values(form));
  if (!parsed.success) return { fieldErrors: fieldErrors(parsed.error.issues, t), values: values(form) };
  const customer = parsed.data;

  const db = await getDb();
  const accounts = await db.select({ provider: providerAccounts.provider, enabled: providerAccounts.enabled }).from(providerAccounts).where(eq(providerAccounts.merchantId, merchant.id));
  const option = paymentOptions(customer.country, merchant.currency, amountMinor, accounts).find((o) => o.id === customer.option);
  if (!option) {
    const problem = amountProblem(customer.country, merchant.currency, amountMinor, accounts);
    return { fieldErrors: { option: problem && !problem.ok ? problem.message[locale] : t("option") }, values: values(form) };
  }

  const orderId = await createFor({ name: customer.name, email: customer.email, phone: customer.phone, country: customer.country });
  return startAndRoute(orderId, merchant.id, option);
}

/** Starts a payment; a provider refusal lands on the order page, which explains it and offers a retry. */
async function startAndRoute(orderId: string, merchantId: string, option: { provider: "cinetpay" | "orange-money" | "kkiapay" | "ipay"; method: Parameters<typeof startPayment>[1]["method"]; flow: "hosted" | "push" }) {
  try {
    const started = await startPayment(await paymentDeps(), { merchantId, orderId, provider: option.provider, method: option.method, flow: option.flow });
    if (started.action.type === "redirect") return started.action.url;
  } catch (error) {
    if (!(error instanceof PaymentError)) throw error;
  }
  return `/orders/${orderId}`;
}

/**
 * Runs an initialization and, when it produced somewhere to send the shopper, logs how long it
 * took and how much of that was spent waiting on the provider (our overhead is the difference).
 */
async function timedInitialization(kind: "cart" | "link", work: () => Promise<CheckoutState | string>): Promise<CheckoutState | string> {
  const { result, timing, totalMs } = await measureProviderTime(work);
  if (typeof result === "string") {
    const round = (v: number) => Math.round(v * 100) / 100;
    logger("checkout").info({ kind, totalMs: round(totalMs), providerMs: round(timing.providerMs), providerCalls: timing.providerCalls }, "checkout initialized");
  }
  return result;
}

export async function checkoutAction(_prev: CheckoutState, form: FormData): Promise<CheckoutState> {
  const target = await timedInitialization("cart", () => checkout(form));
  if (typeof target !== "string") return target;
  redirect(target);
}

async function checkout(form: FormData): Promise<CheckoutState | string> {
  const t = await translator();
  const db = await getDb();
  const [merchant] = await db.select().from(merchants).where(eq(merchants.slug, String(form.get("merchant") ?? "")));
  if (!merchant) return { fieldErrors: { form: t("form") } };

  let cart;
  try {
    cart = cartSchema.safeParse(JSON.parse(String(form.get("cart") ?? "[]")));
  } catch {
    cart = null;
  }
  if (!cart?.success) return { fieldErrors: { cart: t("emptyCart") }, values: values(form) };
  const priced = await priceCart(db, merchant.id, cart.data);
  if (!priced) return { fieldErrors: { cart: t("cartChanged") }, values: values(form) };

  return pay(merchant, priced.amountMinor, form, async (customer) => {
    const order = await createOrder(db, { merchantId: merchant.id, customer, locale: form.get("locale") === "en" ? "en" : "fr", items: cart.data });
    return order.id;
  });
}

export async function payLinkAction(_prev: CheckoutState, form: FormData): Promise<CheckoutState> {
  const target = await timedInitialization("link", () => payLink(form));
  if (typeof target !== "string") return target;
  redirect(target);
}

async function payLink(form: FormData): Promise<CheckoutState | string> {
  const t = await translator();
  const db = await getDb();
  const [link] = await db
    .select({ link: paymentLinks, currency: merchants.currency })
    .from(paymentLinks)
    .innerJoin(merchants, eq(merchants.id, paymentLinks.merchantId))
    .where(and(eq(paymentLinks.id, String(form.get("link") ?? "")), eq(paymentLinks.active, true)));
  if (!link || !isCurrency(link.currency)) return { fieldErrors: { form: t("linkUnavailable") } };
  // A fixed link's amount comes from the database; only an open link lets the shopper type one.
  const amountMinor = link.link.amountMinor ?? parseMoney(String(form.get("amount") ?? ""), link.currency);
  if (!amountMinor || amountMinor <= 0) return { fieldErrors: { amount: t("amount") }, values: values(form) };

  return pay({ id: link.link.merchantId, currency: link.currency }, amountMinor, form, async (customer) => {
    const order = await createOrder(db, { merchantId: link.link.merchantId, customer, locale: form.get("locale") === "en" ? "en" : "fr", amountMinor, paymentLinkId: link.link.id, title: link.link.title });
    return order.id;
  });
}

/** "Try again" on the order page: a new payment on the same open order, never a second charge. */
export async function retryAction(_prev: CheckoutState, form: FormData): Promise<CheckoutState> {
  const t = await translator();
  const db = await getDb();
  const [order] = await db.select().from(orders).where(eq(orders.id, String(form.get("order") ?? "")));
  if (!order) return { fieldErrors: { form: t("form") } };
  if (order.status !== "open") redirect(`/orders/${order.id}`);
  const [merchant] = await db.select({ currency: merchants.currency }).from(merchants).where(eq(merchants.id, order.merchantId));
  const accounts = await db.select({ provider: providerAccounts.provider, enabled: providerAccounts.enabled }).from(providerAccounts).where(eq(providerAccounts.merchantId, order.merchantId));
  const option = paymentOptions(order.customerCountry, merchant!.currency, order.amountMinor, accounts).find((o) => o.id === String(form.get("option") ?? ""));
  if (!option) return { fieldErrors: { option: t("option") } };
  redirect(await startAndRoute(order.id, order.merchantId, option));
}
