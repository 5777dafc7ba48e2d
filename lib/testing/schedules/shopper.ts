import { and, desc, eq, inArray } from "drizzle-orm";
import * as s from "@/db/schema";
import { PaymentError } from "@/lib/payments/errors";
import type { PaymentRow } from "@/lib/payments/handle";
import { startPayment } from "@/lib/payments/start";
import { isFinal } from "@/lib/payments/transitions";
import { UNSIGNED_CHECK_INTERVAL_MS } from "@/lib/payments/unsigned-checks";
import type { PaymentMethod, ProviderId } from "@/lib/payments/types";
import { readWidgetResult } from "@/lib/sandbox/kkiapay/test-support";
import { payInWidget } from "@/lib/testing/kkiapay-widget";
import { formFields, newOrder, paymentRow, submitForm } from "@/lib/testing/payments";
import { markOwed, stillAsking } from "./owed";
import { pick, type Attempt, type Browser, type Order, type ScheduleState } from "./state";
import { optionFor, retryOptionFor, type Option, type Step } from "./steps";
import type { ScheduleWorld } from "./world";

/**
 * The shopper's side of a schedule, over real HTTP: checkouts and retries through the real start
 * flow, the providers' hosted pages, widgets and phones, and the browser coming back to Caisse
 * (or not, when the tab is closed).
 */

type StepOf<K extends Step["kind"]> = Extract<Step, { kind: K }>;

const CINETPAY_WIRE: Partial<Record<PaymentMethod, string>> = { mtn: "MOMO", orange_money: "OM", moov: "FLOOZ", wave: "WAVE", card: "CARD" };
const SHOPPER_PHONE = "0707070707";
const MPESA_PHONE = "254722000000";

export const returnUrl = (world: ScheduleWorld, a: Pick<Attempt, "orderId" | "paymentId">) => `${world.app.url}/orders/${a.orderId}/return?p=${a.paymentId}`;

/** The attempt the shopper of an order is on: its latest. */
export function onOrder(state: ScheduleState, n: number): Attempt | undefined {
  const order = pick(state.orders, n);
  return order && state.attempts.findLast((a) => a.orderId === order.id);
}

const pageOf = (a: Attempt) => (a.action && "url" in a.action ? a.action.url : "");

export async function checkout(world: ScheduleWorld, state: ScheduleState, step: StepOf<"checkout">): Promise<boolean> {
  const option = optionFor(step.option);
  const created = await newOrder(world.database, option.merchant, step.quantity);
  const order: Order = { id: created.id, merchant: option.merchant, amountMinor: created.amountMinor };
  state.orders.push(order);
  await start(world, state, order, option);
  return true;
}

/** Another method for an order the shopper is still on (refused by Caisse once the order is paid). */
export async function retry(world: ScheduleWorld, state: ScheduleState, step: StepOf<"retry">): Promise<boolean> {
  const order = pick(state.orders, step.order);
  if (!order) return false;
  await start(world, state, order, retryOptionFor(order.merchant, step.option));
  return true;
}

async function start(world: ScheduleWorld, state: ScheduleState, order: Order, option: Option): Promise<void> {
  const base = { orderId: order.id, amountMinor: order.amountMinor, option, widgetTransactions: [] };
  try {
    const started = await startPayment(world.deps(), { merchantId: world.merchants[option.merchant], orderId: order.id, provider: option.provider, method: option.method, flow: option.flow });
    state.attempts.push({ ...base, paymentId: started.paymentId, reference: started.reference, action: started.action });
  } catch (error) {
    if (!(error instanceof PaymentError)) throw error;
    // The provider refused or never answered: the payment row exists (failed, checked once more later).
    const [row] = await world.database.db.select().from(s.payments).where(eq(s.payments.orderId, order.id)).orderBy(desc(s.payments.createdAt)).limit(1);
    if (row && !state.attempts.some((a) => a.paymentId === row.id)) state.attempts.push({ ...base, paymentId: row.id, reference: row.reference, action: null });
  }
}

/** The shopper acts on the provider's page, widget or phone; `outcome` picks among what that provider offers. */
export async function pay(world: ScheduleWorld, state: ScheduleState, step: StepOf<"pay">): Promise<boolean> {
  const a = onOrder(state, step.order);
  if (!a?.action) return false;
  switch (a.option.provider) {
    case "cinetpay": {
      const outcome = pick(["accepted", "accepted", "waiting", "refused"], step.outcome)!;
      await showResult(a, await submitForm(pageOf(a), { action: "pay", method: CINETPAY_WIRE[a.option.method] ?? "OM", phone: SHOPPER_PHONE, outcome }));
      return true;
    }
    case "orange-money":
      await confirmOrange(a, pick(["SUCCESS", "SUCCESS", "FAILED", "0000"], step.outcome)!);
      return true;
    case "kkiapay":
      await payKkiapay(world, a, pick(["success", "success", "pending", "failed", "abort"], step.outcome)!);
      return true;
    case "ipay":
      if (a.option.flow === "push") await answerMpesa(world, a, pick(["approve", "approve", "cancelled", "wrong_pin", "insufficient"], step.outcome)!);
      else await payIpayHosted(a, pick(["paid", "paid", "less", "more", "failed", "used", "pending"], step.outcome)!);
      return true;
  }
}

/** "Pay on the phone late": the answer to a prompt left waiting, after whatever time the schedule let pass. */
export async function answerPhone(world: ScheduleWorld, state: ScheduleState, step: StepOf<"answerPhone">): Promise<boolean> {
  const a = onOrder(state, step.order);
  if (!a?.action) return false;
  switch (a.option.provider) {
    case "cinetpay":
      await showResult(a, await submitForm(`${pageOf(a)}/confirm`, { decision: step.approve ? "accepted" : "refused" }));
      return true;
    case "orange-money":
      await confirmOrange(a, step.approve ? "SUCCESS" : "FAILED");
      return true;
    case "kkiapay": {
      const transactionId = a.widgetTransactions.at(-1);
      if (!transactionId) return false;
      const res = await fetch(`${world.app.url}/sandbox/kkiapay/widget/confirm`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ transactionId, outcome: step.approve ? "success" : "failed" }),
      });
      const result = readWidgetResult(res.status, await res.text());
      if (res.ok) a.promptPending = false;
      if (result.redirect) a.browser = { url: result.redirect, method: "GET" };
      return true;
    }
    case "ipay":
      if (a.option.flow !== "push") return false;
      await answerMpesa(world, a, step.approve ? "approve" : "cancelled");
      return true;
  }
}

/** The browser comes back: the provider's redirect if one is waiting, else the shopper opens the return URL. */
export async function returnToShop(world: ScheduleWorld, state: ScheduleState, step: StepOf<"return">): Promise<boolean> {
  const a = onOrder(state, step.order);
  if (!a) return false;
  const browser = a.browser ?? { url: returnUrl(world, a), method: "GET" };
  a.browser = undefined;
  await follow(world, state, a, browser);
  return true;
}

/** The shopper cancels: at the provider (its cancel link, the widget closed) or on Caisse's cancel URL. */
export async function cancel(world: ScheduleWorld, state: ScheduleState, step: StepOf<"cancel">): Promise<boolean> {
  const a = onOrder(state, step.order);
  if (!a) return false;
  const cancelUrl = `${returnUrl(world, a)}&cancelled=1`;
  if (step.atProvider && a.action && a.option.provider === "cinetpay") {
    await showResult(a, await submitForm(pageOf(a), { action: "cancel" }));
    return true;
  }
  if (step.atProvider && a.action && a.option.provider === "orange-money") {
    const res = await fetch(`${pageOf(a)}/cancel`, { redirect: "manual" });
    const back = res.headers.get("location");
    if (back) await follow(world, state, a, { url: back, method: "GET" });
    return true;
  }
  if (step.atProvider && a.action && a.option.provider === "kkiapay") {
    // Closing the widget: its client passes the transaction of a prompt still pending on the phone.
    const pending = a.promptPending ? a.widgetTransactions.at(-1) : undefined;
    await follow(world, state, a, { url: pending ? `${cancelUrl}&transaction_id=${pending}` : cancelUrl, method: "GET" });
    return true;
  }
  await follow(world, state, a, { url: cancelUrl, method: "GET" });
  return true;
}

/** The tab is closed: whatever redirect was waiting never reaches Caisse. */
export async function closeTab(_world: ScheduleWorld, state: ScheduleState, step: StepOf<"closeTab">): Promise<boolean> {
  const a = onOrder(state, step.order);
  if (!a) return false;
  a.browser = undefined;
  return true;
}

async function follow(world: ScheduleWorld, state: ScheduleState, a: Attempt, browser: Browser): Promise<void> {
  const before = await paymentRow(world.database, a.paymentId);
  const ipayCallback = a.option.provider === "ipay" && new URL(browser.url).searchParams.has("status");
  const res = await fetch(browser.url, {
    method: browser.method,
    redirect: "manual",
    ...(browser.form ? { headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(browser.form) } : {}),
  });
  await res.arrayBuffer();
  if (res.status >= 500) state.unexpected.push(`the return URL answered ${res.status} (${browser.method} ${new URL(browser.url).pathname})`);
  await cancelledOnlyIfNeverStarted(world, state, a, before, browser);
  if (res.status !== 303) return;
  if (ipayCallback) await toldHowItEnded(world, state, a, before);
  if (!stillAsking(before)) return;
  // The shopper is back after paying, while Caisse still asks: it has been told (KKiaPay only by the transaction id on the URL).
  const transactionId = new URL(browser.url).searchParams.get("transaction_id");
  if (a.option.provider !== "kkiapay") await markOwed(world, state, { provider: a.option.provider, reference: a.reference });
  else if (transactionId && a.widgetTransactions.includes(transactionId)) await markOwed(world, state, { provider: "kkiapay", token: transactionId });
}

/**
 * What each provider's transaction may be in when a shopper's cancel closes the attempt: never
 * started (Orange INITIATED; KKiaPay: no transaction Caisse knows of, or only ones that ended
 * without money). A live prompt may still be approved (issue 12 item 3); CinetPay and iPay are
 * never closed so. KKiaPay's transactions are those Caisse was told of: the one the closed widget
 * passed, and the one bound to the payment (a paid widget whose redirect and webhook never came
 * looks, to anyone but the shopper, like a widget never used).
 */
const CANCELLABLE_AT_PROVIDER: Record<ProviderId, readonly string[]> = { "orange-money": ["INITIATED"], kkiapay: ["FAILED"], cinetpay: [], ipay: [] };

async function cancelledOnlyIfNeverStarted(world: ScheduleWorld, state: ScheduleState, a: Attempt, before: PaymentRow, browser: Browser): Promise<void> {
  if (before.status === "cancelled") return;
  const after = await paymentRow(world.database, a.paymentId);
  if (after.status !== "cancelled" || after.failureCode !== "cancelled_by_shopper") return;
  const t = s.sandboxTransactions;
  const told = [new URL(browser.url).searchParams.get("transaction_id"), after.providerReference].filter((x): x is string => Boolean(x));
  const which = a.option.provider === "kkiapay" ? inArray(t.token, told.length ? told : [""]) : eq(t.merchantReference, a.reference);
  const txns = await world.database.db.select({ status: t.status }).from(t).where(and(eq(t.provider, a.option.provider), which));
  const live = txns.filter((x) => !CANCELLABLE_AT_PROVIDER[a.option.provider].includes(x.status));
  if (live.length) state.unexpected.push(`the shopper's cancel closed ${a.paymentId} while ${a.option.provider} shows ${live.map((x) => x.status).join(", ")}`);
}

/**
 * iPay's callback brings the shopper back from an attempt that did not go through (failed, or a
 * code already used): when Caisse could ask about it (the provider healthy, no check of the payment
 * in the last 10 s), the order page must say so, not "checking the payment…" for the whole window.
 */
async function toldHowItEnded(world: ScheduleWorld, state: ScheduleState, a: Attempt, before: PaymentRow): Promise<void> {
  const couldAsk = (state.faults.ipay ?? "none") === "none" && (!before.lastCheckedAt || before.lastCheckedAt.getTime() <= world.clock.at - UNSIGNED_CHECK_INTERVAL_MS);
  if (!couldAsk || isFinal(before.status)) return;
  const [session] = await world.database.db
    .select({ status: s.sandboxTransactions.status })
    .from(s.sandboxTransactions)
    .where(and(eq(s.sandboxTransactions.provider, "ipay"), eq(s.sandboxTransactions.merchantReference, a.reference)));
  if (session?.status !== "failed" && session?.status !== "used") return;
  const after = await paymentRow(world.database, a.paymentId);
  if (after.attemptOutcome !== session.status) state.unexpected.push(`iPay ended ${a.paymentId}'s attempt as ${session.status} and Caisse shows ${after.status} with no outcome for the shopper (${after.attemptOutcome ?? "none"})`);
}

/** A CinetPay page's answer: a result page carries the form that posts the shopper back to Caisse. */
async function showResult(a: Attempt, res: Response): Promise<void> {
  const location = res.headers.get("location");
  await res.arrayBuffer();
  if (res.status !== 303 || !location) return;
  const html = await (await fetch(new URL(location, pageOf(a)))).text();
  if (!html.includes('id="return-form"')) return;
  const back = formFields(html, "return-form");
  a.browser = { url: back.action, method: "POST", form: back.fields };
}

async function confirmOrange(a: Attempt, outcome: "SUCCESS" | "FAILED" | "0000"): Promise<void> {
  const res = await submitForm(pageOf(a), { msisdn: SHOPPER_PHONE, otp: outcome === "0000" ? "0000" : "1234", outcome: outcome === "FAILED" ? "FAILED" : "SUCCESS" });
  const location = res.headers.get("location");
  await res.arrayBuffer();
  if (res.status === 303 && location) a.browser = { url: location, method: "GET" };
}

async function payKkiapay(world: ScheduleWorld, a: Attempt, outcome: "success" | "failed" | "pending" | "abort"): Promise<void> {
  const config = a.action?.type === "widget" ? a.action.config : {};
  const result = await payInWidget(world.app.url, config, outcome === "abort" ? { action: "abort" } : { outcome });
  if (result.transactionId) {
    a.widgetTransactions.push(result.transactionId);
    a.promptPending = outcome === "pending";
  }
  if (result.redirect) a.browser = { url: result.redirect, method: "GET" };
}

async function payIpayHosted(a: Attempt, outcome: string): Promise<void> {
  if (a.action?.type !== "form") return;
  const opened = await fetch(a.action.url, { method: "POST", body: new URLSearchParams(a.action.fields), redirect: "manual" });
  const session = opened.headers.get("location");
  await opened.arrayBuffer();
  if (opened.status !== 303 || !session) return;
  const channel = a.option.method === "card" ? "card" : a.option.method;
  const chosen = await fetch(new URL(session, a.action.url), {
    method: "POST",
    body: new URLSearchParams({ channel, outcome, payer_name: "Brian Otieno", payer_phone: MPESA_PHONE }),
    redirect: "manual",
  });
  const cbk = chosen.headers.get("location");
  await chosen.arrayBuffer();
  if (chosen.status === 302 && cbk) a.browser = { url: cbk, method: "GET" };
}

/** The M-Pesa prompt on the shopper's phone (the simulator's phone screen). */
async function answerMpesa(world: ScheduleWorld, a: Attempt, action: string): Promise<void> {
  const [row] = await world.database.db.select({ sid: s.payments.providerToken }).from(s.payments).where(eq(s.payments.id, a.paymentId));
  if (!row?.sid) return;
  const res = await fetch(`${world.app.url}/sandbox/ipay/phone/${MPESA_PHONE}`, { method: "POST", body: new URLSearchParams({ sid: row.sid, action, pin: "1234" }), redirect: "manual" });
  await res.arrayBuffer();
}
