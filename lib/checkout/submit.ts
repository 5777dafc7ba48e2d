import { and, eq, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { merchants, orders, paymentLinks, providerAccounts } from "@/db/schema";
import { parseMoney, isCurrency } from "@/lib/money";
import { createOrder, type CreatedOrder } from "@/lib/orders/create";
import { priceCart } from "@/lib/orders/price";
import type { AccountRow, PaymentDeps } from "@/lib/payments/accounts";
import { amountProblem, paymentOptions } from "@/lib/payments/routing";
import { PaymentError } from "@/lib/payments/errors";
import { startPayment, type StartLoaded } from "@/lib/payments/start";
import { isRecordId } from "@/lib/validation";
import { cartSchema, customerSchema, fieldErrors, type CheckoutState } from "./schema";

/**
 * What the shopper's forms do (checkout, payment link, "try again"), as plain functions of their
 * FormData: the server actions (actions.ts) hand them the app's deps and the visitor's
 * translations, tests hand them a test database's. Each returns field errors, or the URL the
 * browser goes to next. Nothing the browser sends is trusted: ids are looked up, prices and
 * fixed amounts come from the database.
 */
export type SubmitDeps = { payments: PaymentDeps; t: (key: string) => string };

type Locale = "fr" | "en";

function values(form: FormData) {
  const pick = (k: string) => String(form.get(k) ?? "");
  return { name: pick("name"), email: pick("email"), country: pick("country"), phone: pick("phone"), option: pick("option"), amount: pick("amount") };
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
  { payments, t }: SubmitDeps,
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
  return startAndRoute(payments, order.id, merchant.id, option, { order, merchant, account });
}

/** Starts a payment; a provider refusal lands on the order page, which explains it and offers a retry. */
async function startAndRoute(deps: PaymentDeps, orderId: string, merchantId: string, option: Option, loaded?: StartLoaded) {
  try {
    const started = await startPayment(deps, { merchantId, orderId, provider: option.provider, method: option.method, flow: option.flow }, loaded);
    if (started.action.type === "redirect") return started.action.url;
  } catch (error) {
    if (!(error instanceof PaymentError)) throw error;
  }
  return `/orders/${orderId}`;
}

/** The storefront's checkout: a cart of product ids and quantities, priced here. */
export async function submitCheckout(deps: SubmitDeps, form: FormData): Promise<CheckoutState | string> {
  const { t } = deps;
  const db = deps.payments.db;
  const slug = String(form.get("merchant") ?? "");
  if (!isRecordId(slug)) return { fieldErrors: { form: t("form") } };
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

  return pay(deps, found, priced.amountMinor, form, (customer) =>
    createOrder(db, { merchant: found.merchant, customer, locale: form.get("locale") === "en" ? "en" : "fr", cart: priced }),
  );
}

/** A payment link: its fixed amount, or the one an open link lets the shopper type. */
export async function submitPayLink(deps: SubmitDeps, form: FormData): Promise<CheckoutState | string> {
  const { t } = deps;
  const db = deps.payments.db;
  const linkId = form.get("link");
  if (!isRecordId(linkId)) return { fieldErrors: { form: t("linkUnavailable") } };
  const [link] = await db
    .select()
    .from(paymentLinks)
    .where(and(eq(paymentLinks.id, linkId), eq(paymentLinks.active, true)));
  const found = link ? await merchantWithAccounts(db, eq(merchants.id, link.merchantId)) : null;
  if (!link || !found || !isCurrency(found.merchant.currency)) return { fieldErrors: { form: t("linkUnavailable") } };
  // A fixed link's amount comes from the database; only an open link lets the shopper type one.
  const amountMinor = link.amountMinor ?? parseMoney(String(form.get("amount") ?? ""), found.merchant.currency);
  if (!amountMinor || amountMinor <= 0) return { fieldErrors: { amount: t("amount") }, values: values(form) };

  return pay(deps, found, amountMinor, form, (customer) =>
    createOrder(db, { merchant: found.merchant, customer, locale: form.get("locale") === "en" ? "en" : "fr", amountMinor, paymentLinkId: link.id, title: link.title }),
  );
}

/** "Try again" on the order page: a new payment on the same open order, never a second charge. */
export async function submitRetry(deps: SubmitDeps, form: FormData): Promise<CheckoutState | string> {
  const { t } = deps;
  const db = deps.payments.db;
  const orderId = form.get("order");
  if (!isRecordId(orderId)) return { fieldErrors: { form: t("form") } };
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId));
  if (!order) return { fieldErrors: { form: t("form") } };
  if (order.status !== "open") return `/orders/${order.id}`;
  const found = await merchantWithAccounts(db, eq(merchants.id, order.merchantId));
  if (!found) return { fieldErrors: { form: t("form") } };
  const option = paymentOptions(order.customerCountry, found.merchant.currency, order.amountMinor, found.accounts).find((o) => o.id === String(form.get("option") ?? ""));
  if (!option) return { fieldErrors: { option: t("option") } };
  const account = found.accounts.find((a) => a.provider === option.provider)!;
  return startAndRoute(deps.payments, order.id, order.merchantId, option, { order, merchant: found.merchant, account });
}
