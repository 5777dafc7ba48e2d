"use server";
import { and, eq, type SQL } from "drizzle-orm";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db";
import type { Db } from "@/db/client";
import { merchants, orders, paymentLinks, providerAccounts } from "@/db/schema";
import { parseMoney, isCurrency } from "@/lib/money";
import { createOrder, type CreatedOrder } from "@/lib/orders/create";
import { priceCart } from "@/lib/orders/price";
import type { AccountRow } from "@/lib/payments/accounts";
import { paymentDeps } from "@/lib/payments/deps";
import { amountProblem, paymentOptions } from "@/lib/payments/routing";
import { PaymentError } from "@/lib/payments/errors";
import { startPayment, type StartLoaded } from "@/lib/payments/start";
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

type Merchant = { id: string; slug: string; name: string; currency: string };
type Option = { provider: "cinetpay" | "orange-money" | "kkiapay" | "ipay"; method: Parameters<typeof startPayment>[1]["method"]; flow: "hosted" | "push" };

/** The merchant and its provider accounts, in one round trip (a checkout needs both at once). */
async function merchantWithAccounts(db: Db, where: SQL): Promise<{ merchant: Merchant; accounts: AccountRow[] } | null> {
  const rows = await db
    .select({ merchant: { id: merchants.id, slug: merchants.slug, name: merchants.name, currency: merchants.currency }, account: providerAccounts })
    .from(merchants)
    .leftJoin(providerAccounts, eq(providerAccounts.merchantId, merchants.id))
    .where(where);
  if (!rows[0]) return null;
  return { merchant: rows[0].merchant, accounts: rows.flatMap((r) => (r.account ? [r.account] : [])) };
}

/**
 * Validates the customer and the chosen option against what the merchant can really take for
 * this amount, then creates the order and its payment. Returns field errors, or the URL the
 * browser goes to.
 */
async function pay(
  t: (key: string) => string,
  found: { merchant: Merchant; accounts: AccountRow[] },
  amountMinor: number,
  form: FormData,
  createFor: (customer: { name: string; email: string | null; phone: string; country: string }) => Promise<CreatedOrder>,
): Promise<CheckoutState | string> {
  const locale: Locale = form.get("locale") === "en" ? "en" : "fr";
  const parsed = customerSchema.safeParse(values(form));
  if (!parsed.success) return { fieldErrors: fieldErrors(parsed.error.issues, t), values: values(form) };
  const customer = parsed.data;

  const { merchant, accounts } = found;
  const option = paymentOptions(customer.country, merchant.currency, amountMinor, accounts).find((o) => o.id === customer.option);
  if (!option) {
    const problem = amountProblem(customer.country, merchant.currency, amountMinor, accounts);
    return { fieldErrors: { option: problem && !problem.ok ? problem.message[locale] : t("option") }, values: values(form) };
  }

  const order = await createFor({ name: customer.name, email: customer.email, phone: customer.phone, country: customer.country });
  const account = accounts.find((a) => a.provider === option.provider)!;
  return startAndRoute(order.id, merchant.id, option, { order, merchant, account });
}

/** Starts a payment; a provider refusal lands on the order page, which explains it and offers a retry. */
async function startAndRoute(orderId: string, merchantId: string, option: Option, loaded?: StartLoaded) {
  try {
    const started = await startPayment(await paymentDeps(), { merchantId, orderId, provider: option.provider, method: option.method, flow: option.flow }, loaded);
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
  const slug = String(form.get("merchant") ?? "");
  let cart;
  try {
    cart = cartSchema.safeParse(JSON.parse(String(form.get("cart") ?? "[]")));
  } catch {
    cart = null;
  }
  // The merchant and the cart's prices are independent reads: both go out at once.
  const [found, priced] = await Promise.all([
    merchantWithAccounts(db, eq(merchants.slug, slug)),
    cart?.success ? priceCart(db, db.select({ id: merchants.id }).from(merchants).where(eq(merchants.slug, slug)), cart.data) : null,
  ]);
  if (!found) return { fieldErrors: { form: t("form") } };
  if (!cart?.success) return { fieldErrors: { cart: t("emptyCart") }, values: values(form) };
  if (!priced || priced.currency !== found.merchant.currency) return { fieldErrors: { cart: t("cartChanged") }, values: values(form) };

  return pay(t, found, priced.amountMinor, form, (customer) =>
    createOrder(db, { merchant: found.merchant, customer, locale: form.get("locale") === "en" ? "en" : "fr", cart: priced }),
  );
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
    .select()
    .from(paymentLinks)
    .where(and(eq(paymentLinks.id, String(form.get("link") ?? "")), eq(paymentLinks.active, true)));
  const found = link ? await merchantWithAccounts(db, eq(merchants.id, link.merchantId)) : null;
  if (!link || !found || !isCurrency(found.merchant.currency)) return { fieldErrors: { form: t("linkUnavailable") } };
  // A fixed link's amount comes from the database; only an open link lets the shopper type one.
  const amountMinor = link.amountMinor ?? parseMoney(String(form.get("amount") ?? ""), found.merchant.currency);
  if (!amountMinor || amountMinor <= 0) return { fieldErrors: { amount: t("amount") }, values: values(form) };

  return pay(t, found, amountMinor, form, (customer) =>
    createOrder(db, { merchant: found.merchant, customer, locale: form.get("locale") === "en" ? "en" : "fr", amountMinor, paymentLinkId: link.id, title: link.title }),
  );
}

/** "Try again" on the order page: a new payment on the same open order, never a second charge. */
export async function retryAction(_prev: CheckoutState, form: FormData): Promise<CheckoutState> {
  const t = await translator();
  const db = await getDb();
  const [order] = await db.select().from(orders).where(eq(orders.id, String(form.get("order") ?? "")));
  if (!order) return { fieldErrors: { form: t("form") } };
  if (order.status !== "open") redirect(`/orders/${order.id}`);
  const found = await merchantWithAccounts(db, eq(merchants.id, order.merchantId));
  if (!found) return { fieldErrors: { form: t("form") } };
  const option = paymentOptions(order.customerCountry, found.merchant.currency, order.amountMinor, found.accounts).find((o) => o.id === String(form.get("option") ?? ""));
  if (!option) return { fieldErrors: { option: t("option") } };
  const account = found.accounts.find((a) => a.provider === option.provider)!;
  redirect(await startAndRoute(order.id, order.merchantId, option, { order, merchant: found.merchant, account }));
}
