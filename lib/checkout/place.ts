import { and, eq, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { checkoutSessions, merchants, orders, paymentLinks, providerAccounts } from "@/db/schema";
import { accountsForMode } from "@/lib/checkout-sessions/accounts";
import { loadSession, mayPay, type LoadedSession } from "@/lib/checkout-sessions/read";
import { parseMoney, isCurrency } from "@/lib/money";
import { createOrder, type CreatedOrder, type OrderCustomer } from "@/lib/orders/create";
import { checkCart, type StockShortage } from "@/lib/orders/price";
import type { AccountRow, PaymentDeps } from "@/lib/payments/accounts";
import { PaymentError } from "@/lib/payments/errors";
import { checkBounds } from "@/lib/payments/limits";
import { amountProblem, paymentOptions, type PaymentOption } from "@/lib/payments/routing";
import { startPayment, type StartLoaded } from "@/lib/payments/start";
import { isRecordId } from "@/lib/validation";
import { mayStartAnotherAttempt } from "./attempt-limit";
import { stockMessage } from "./stock-message";
import { linkBounds } from "./link-bounds";
import { billingOf, cartSchema, customerSchema, detailsSchema, fieldErrors, requirementErrors, translateErrors, type CheckoutState } from "./schema";

/**
 * The checkout's server side, apart from Next: validates what the shopper sent, creates the
 * order and starts its payment. Returns field errors (translated with `t`), or the URL the
 * browser goes to. Nothing is written until everything the chosen method needs is valid.
 */
export type PlaceDeps = { db: Db; payments: () => Promise<PaymentDeps>; t: (key: string, values?: Record<string, string | number>) => string; now?: () => Date };

type Locale = "fr" | "en";
type Merchant = { id: string; slug: string; name: string; currency: string; timeZone: string };
type Found = { merchant: Merchant; accounts: AccountRow[] };

const FIELDS = ["name", "email", "country", "phone", "option", "amount", "address", "city", "state", "zip"] as const;

/** What the shopper typed, to give back with the form when it comes back. */
export function typedValues(form: FormData): Record<(typeof FIELDS)[number], string> {
  return Object.fromEntries(FIELDS.map((k) => [k, String(form.get(k) ?? "")])) as Record<(typeof FIELDS)[number], string>;
}

const localeOf = (form: FormData): Locale => (form.get("locale") === "en" ? "en" : "fr");

/** The merchant and its provider accounts, in one round trip (a checkout needs both at once). */
async function merchantWithAccounts(db: Db, where: SQL): Promise<Found | null> {
  const rows = await db
    .select({ merchant: { id: merchants.id, slug: merchants.slug, name: merchants.name, currency: merchants.currency, timeZone: merchants.timeZone }, account: providerAccounts })
    .from(merchants)
    .leftJoin(providerAccounts, eq(providerAccounts.merchantId, merchants.id))
    .where(where);
  if (!rows[0]) return null;
  return { merchant: rows[0].merchant, accounts: rows.flatMap((r) => (r.account ? [r.account] : [])) };
}

/**
 * Validates the customer, the chosen option against what the merchant can really take for this
 * amount, and what that option needs from the shopper; then creates the order and its payment.
 */
async function pay(deps: PlaceDeps, found: Found, amountMinor: number, form: FormData, createFor: (customer: OrderCustomer) => Promise<CreatedOrder>): Promise<CheckoutState | string> {
  const parsed = customerSchema.safeParse(typedValues(form));
  if (!parsed.success) return { fieldErrors: fieldErrors(parsed.error.issues, deps.t), values: typedValues(form) };
  const customer = parsed.data;

  const { merchant, accounts } = found;
  const option = paymentOptions(customer.country, merchant.currency, amountMinor, accounts).find((o) => o.id === customer.option);
  if (!option) {
    const problem = amountProblem(customer.country, merchant.currency, amountMinor, accounts);
    return { fieldErrors: { option: problem && !problem.ok ? problem.message[localeOf(form)] : deps.t("option") }, values: typedValues(form) };
  }
  const missing = requirementErrors(customer, option.needs);
  if (Object.keys(missing).length) return { fieldErrors: translateErrors(missing, deps.t), values: typedValues(form) };

  const order = await createFor({ name: customer.name, email: customer.email, phone: customer.phone, country: customer.country, billing: billingOf(customer, option.needs) });
  const account = accounts.find((a) => a.provider === option.provider)!;
  return startAndRoute(deps, order.id, merchant.id, option, { order, merchant, account });
}

/**
 * Starts a payment. A redirect goes straight to the provider; a form or widget is opened by the
 * order page, once (`go` names the payment it may open by itself, so that a reload or a return
 * from the provider never posts the form again). A provider refusal lands on the order page,
 * which explains it and offers another try.
 */
async function startAndRoute(deps: PlaceDeps, orderId: string, merchantId: string, option: PaymentOption, loaded?: StartLoaded): Promise<string> {
  try {
    const started = await startPayment(await deps.payments(), { merchantId, orderId, provider: option.provider, method: option.method, flow: option.flow }, loaded);
    if (started.action.type === "redirect") return started.action.url;
    if (started.action.type === "form" || started.action.type === "widget") return `/orders/${orderId}?go=${started.paymentId}`;
  } catch (error) {
    if (!(error instanceof PaymentError)) throw error;
  }
  return `/orders/${orderId}`;
}

export async function placeCartOrder(deps: PlaceDeps, form: FormData): Promise<CheckoutState | string> {
  const { db, t } = deps;
  const slug = String(form.get("merchant") ?? "");
  // Ids are checked before any query: a NUL or a stray byte would otherwise reach SQL and throw.
  if (!isRecordId(slug)) return { fieldErrors: { form: t("form") } };
  let cart;
  try {
    cart = cartSchema.safeParse(JSON.parse(String(form.get("cart") ?? "[]")));
  } catch {
    cart = null;
  }
  // The merchant and the cart's prices are independent reads: both go out at once.
  const [found, checked] = await Promise.all([
    merchantWithAccounts(db, eq(merchants.slug, slug)),
    cart?.success ? checkCart(db, db.select({ id: merchants.id }).from(merchants).where(eq(merchants.slug, slug)), cart.data) : null,
  ]);
  if (!found) return { fieldErrors: { form: t("form") } };
  if (!cart?.success) return { fieldErrors: { cart: t("emptyCart") }, values: typedValues(form) };
  // Checked before anything is written: an order the shop cannot fill gets no order and no payment.
  if (checked?.short) return shortageErrors(checked.short, t, typedValues(form));
  const priced = checked?.priced;
  if (!priced || priced.currency !== found.merchant.currency) return { fieldErrors: { cart: t("cartChanged") }, values: typedValues(form) };

  return pay(deps, found, priced.amountMinor, form, (customer) => createOrder(db, { merchant: found.merchant, customer, locale: localeOf(form), cart: priced }));
}

/** Each line asking for more than is left, told at that line, and all of them at the cart. */
function shortageErrors(short: StockShortage[], t: PlaceDeps["t"], typed: Record<string, string>): CheckoutState {
  const lineErrors = Object.fromEntries(short.map((s) => [s.productId, stockMessage(s, t)]));
  return { fieldErrors: { cart: Object.values(lineErrors).join(" ") }, lineErrors, values: typed };
}

export async function placeLinkOrder(deps: PlaceDeps, form: FormData): Promise<CheckoutState | string> {
  const { db, t } = deps;
  const linkId = form.get("link");
  if (!isRecordId(linkId)) return { fieldErrors: { form: t("linkUnavailable") } };
  const [link] = await db
    .select()
    .from(paymentLinks)
    .where(and(eq(paymentLinks.id, linkId), eq(paymentLinks.active, true)));
  const found = link ? await merchantWithAccounts(db, eq(merchants.id, link.merchantId)) : null;
  if (!link || !found || !isCurrency(found.merchant.currency)) return { fieldErrors: { form: t("linkUnavailable") } };
  // A fixed link's amount comes from the database; only an open link lets the shopper type one,
  // within the link's bounds (the merchant's, else the providers').
  const amountMinor = link.amountMinor ?? parseMoney(String(form.get("amount") ?? ""), found.merchant.currency);
  if (!amountMinor || amountMinor <= 0) return { fieldErrors: { amount: t("amount") }, values: typedValues(form) };
  const inBounds = link.amountMinor === null ? checkBounds(amountMinor, link.currency, linkBounds(link, found.accounts)) : { ok: true as const };
  if (!inBounds.ok) return { fieldErrors: { amount: inBounds.message[localeOf(form)] }, values: typedValues(form) };

  return pay(deps, found, amountMinor, form, (customer) =>
    createOrder(db, { merchant: found.merchant, customer, locale: localeOf(form), amountMinor, paymentLinkId: link.id, title: link.title, mode: link.mode }),
  );
}

/** The session's order was made by another submit (a double click, a second tab): its page takes over. */
class SessionTaken extends Error {
  constructor(readonly orderId: string | null) {
    super("session taken");
  }
}

/**
 * The page of an API checkout session (/checkout/<id>): the session's amount, lines and mode
 * (never the shopper's), through the same validation, routing and payment start as a payment
 * link. The order is created once per session: under the session row's lock, while its order_id
 * is empty and it has not expired; a session whose order exists hands over to the order's page,
 * which retries on that same order and never opens a second one.
 */
export async function placeSessionOrder(deps: PlaceDeps, form: FormData): Promise<CheckoutState | string> {
  const { db, t } = deps;
  const sessionId = form.get("session");
  if (!isRecordId(sessionId)) return { fieldErrors: { form: t("sessionUnavailable") } };
  const session = await loadSession(db, { id: sessionId });
  if (!session) return { fieldErrors: { form: t("sessionUnavailable") } };
  if (session.orderId) return `/orders/${session.orderId}`;
  const now = deps.now?.() ?? new Date();
  if (!mayPay(session, now)) return { fieldErrors: { form: t("sessionExpired") } };
  const found = await merchantWithAccounts(db, eq(merchants.id, session.merchantId));
  if (!found || found.merchant.currency !== session.currency) return { fieldErrors: { form: t("sessionUnavailable") } };
  const usable = { ...found, accounts: accountsForMode(found.accounts, session.mode) };
  try {
    return await pay(deps, usable, session.amountMinor, form, (customer) => claimSessionOrder(db, session, found.merchant, customer, localeOf(form), now));
  } catch (error) {
    if (!(error instanceof SessionTaken)) throw error;
    return error.orderId ? `/orders/${error.orderId}` : { fieldErrors: { form: t("sessionExpired") } };
  }
}

async function claimSessionOrder(db: Db, session: LoadedSession, merchant: Merchant, customer: OrderCustomer, locale: Locale, now: Date): Promise<CreatedOrder> {
  const lines = session.lineItems?.map((l) => ({ name: l.name, unitPriceMinor: l.unitAmountMinor, quantity: l.quantity })) ?? [
    { name: session.clientReference ?? merchant.name, unitPriceMinor: session.amountMinor, quantity: 1 },
  ];
  return db.transaction(async (tx) => {
    const [row] = await tx.select({ orderId: checkoutSessions.orderId, expiresAt: checkoutSessions.expiresAt }).from(checkoutSessions).where(eq(checkoutSessions.id, session.id)).for("update");
    if (!row || row.orderId || row.expiresAt.getTime() <= now.getTime()) throw new SessionTaken(row?.orderId ?? null);
    const order = await createOrder(tx as unknown as Db, { merchant, customer, locale, lines, mode: session.mode });
    await tx.update(checkoutSessions).set({ orderId: order.id }).where(eq(checkoutSessions.id, session.id));
    return order;
  });
}

/**
 * "Try again" on the order page: a new payment on the same open order, never a second charge.
 * What the new method needs and the order lacks (a card's e-mail and address) is asked for here
 * and kept on the order before the payment starts.
 */
export async function retryOrder(deps: PlaceDeps, form: FormData): Promise<CheckoutState | string> {
  const { db, t } = deps;
  const orderId = form.get("order");
  if (!isRecordId(orderId)) return { fieldErrors: { form: t("form") } };
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId));
  if (!order) return { fieldErrors: { form: t("form") } };
  if (order.status !== "open") return `/orders/${order.id}`;
  // An API session's order is paid only while its session is open, through its mode's accounts.
  const [found, session] = await Promise.all([merchantWithAccounts(db, eq(merchants.id, order.merchantId)), loadSession(db, { orderId: order.id })]);
  if (!found) return { fieldErrors: { form: t("form") } };
  if (session && !mayPay(session, deps.now?.() ?? new Date())) return { fieldErrors: { form: t("sessionExpired") }, refusal: "session_closed" };
  if (session) found.accounts = accountsForMode(found.accounts, session.mode);
  const option = paymentOptions(order.customerCountry, found.merchant.currency, order.amountMinor, found.accounts).find((o) => o.id === String(form.get("option") ?? ""));
  if (!option) return { fieldErrors: { option: t("option") } };

  let ready = order;
  if (option.needs.length) {
    const typed = detailsSchema.safeParse(typedValues(form));
    if (!typed.success) return { fieldErrors: fieldErrors(typed.error.issues, t), values: typedValues(form) };
    // What the shopper types now wins; what the order already holds fills the rest.
    const kept = order.customerBilling;
    const details = {
      email: typed.data.email || order.customerEmail,
      address: typed.data.address || kept?.address || "",
      city: typed.data.city || kept?.city || "",
      state: typed.data.state || kept?.state || "",
      zip: typed.data.zip || kept?.zip || "",
    };
    const missing = requirementErrors(details, option.needs);
    if (Object.keys(missing).length) return { fieldErrors: translateErrors(missing, t), values: typedValues(form) };
    const patch = { customerEmail: details.email, customerBilling: billingOf(details, option.needs) ?? kept };
    await db.update(orders).set(patch).where(eq(orders.id, order.id));
    ready = { ...order, ...patch };
  }
  // Counted once the form is good, so a typo does not use up an attempt.
  if (!(await mayStartAnotherAttempt(db, order.id))) return { fieldErrors: { form: t("tooManyAttempts") }, refusal: "too_many_attempts" };
  const account = found.accounts.find((a) => a.provider === option.provider)!;
  return startAndRoute(deps, order.id, order.merchantId, option, { order: ready, merchant: found.merchant, account });
}
