import { NOTIFICATION_FIELDS, xToken } from "@/lib/payments/providers/cinetpay/signature";
import { payInWidget } from "@/lib/testing/kkiapay-widget";
import { seededCredentials } from "@/lib/testing/payments";
import { markOwed } from "./owed";
import { onOrder, returnUrl } from "./shopper";
import { pick, type Attempt, type Captured, type ScheduleState } from "./state";
import type { Step } from "./steps";
import type { ScheduleWorld } from "./world";

/**
 * The provider's side, and everyone who pretends to be it: held notifications delivered late,
 * twice, out of order or never; copies tampered with by someone holding the secret, forged by
 * someone who does not, or replayed to name another payment; faults in the provider's APIs; and
 * KKiaPay transactions opened at the widget without our reference.
 */

type StepOf<K extends Step["kind"]> = Extract<Step, { kind: K }>;
type Sent = { url: string; method: string; headers: Record<string, string>; body: string };

const KKIAPAY = seededCredentials("demo", "kkiapay");
const CINETPAY = seededCredentials("demo", "cinetpay");
const IPAY_PAID = "aei7p7yrx4ae34";
const IPAY_FAILED = "fe2707etr5s4wq";

export async function deliver(world: ScheduleWorld, state: ScheduleState, step: StepOf<"deliver">): Promise<boolean> {
  const c = pick(state.captured, step.notification);
  if (!c) return false;
  for (let i = 0; i < step.times; i++) await deliverCaptured(world, state, c);
  return true;
}

/** What a well-behaved provider does: everything not sent yet, in the order it was produced. */
export async function deliverAll(world: ScheduleWorld, state: ScheduleState): Promise<boolean> {
  const waiting = state.captured.filter((c) => c.sent === 0);
  for (const c of waiting) await deliverCaptured(world, state, c);
  return waiting.length > 0;
}

async function deliverCaptured(world: ScheduleWorld, state: ScheduleState, c: Captured): Promise<void> {
  c.sent += 1;
  await send(state, c, "a genuine notification");
  await owedByNotification(world, state, c);
}

/** A notification reached Caisse: the transaction it is about is owed, if it has collected. */
export async function owedByNotification(world: ScheduleWorld, state: ScheduleState, c: Captured): Promise<void> {
  await markOwed(world, state, c.provider === "kkiapay" ? { provider: "kkiapay", token: String(json(c.body).transactionId ?? "") } : { provider: c.provider, reference: c.reference });
}

/** A copy changed by someone holding the provider's secret (a compromised relay): still authentic where the secret is a plain header or token. */
export async function tamper(world: ScheduleWorld, state: ScheduleState, step: StepOf<"tamper">): Promise<boolean> {
  const c = pick(state.captured, step.notification);
  if (!c) return false;
  const how = step.how % 3;
  if (c.provider === "kkiapay") {
    const body = json(c.body);
    if (how === 0) body.amount = Math.floor(Number(body.amount) / 2);
    if (how === 1) Object.assign(body, { isPaymentSucces: !body.isPaymentSucces, event: body.isPaymentSucces ? "transaction.failed" : "transaction.success" });
    if (how === 2) body.stateData = null;
    await send(state, { ...c, body: JSON.stringify(body) }, "a tampered notification");
    if (how !== 2) await owedByNotification(world, state, c);
  } else if (c.provider === "orange-money") {
    const body = json(c.body);
    if (how === 0) body.status = body.status === "SUCCESS" ? "FAILED" : "SUCCESS";
    else body.txnid = `MP000101.0000.T${how}MPER`;
    await send(state, { ...c, body: JSON.stringify(body) }, "a tampered notification");
  } else if (c.provider === "cinetpay") {
    const form = new URLSearchParams(c.body);
    if (how === 1) form.set("cpm_error_message", "SUCCES");
    else form.set("cpm_amount", String(Math.max(5, Math.floor(Number(form.get("cpm_amount")) / 10))));
    // how 2: the amount changed by someone without the Secret Key, so the x-token no longer matches.
    const headers = how === 2 ? c.headers : { ...c.headers, "x-token": xToken(CINETPAY.secretKey!, Object.fromEntries(NOTIFICATION_FIELDS.map((f) => [f, form.get(f) ?? ""]))) };
    await send(state, { ...c, headers, body: form.toString() }, "a tampered notification");
  } else {
    const url = new URL(c.url);
    if (how === 0) url.searchParams.set("mc", "1.00");
    else url.searchParams.set("status", how === 1 ? IPAY_PAID : IPAY_FAILED);
    await send(state, { ...c, url: url.toString() }, "a tampered notification");
  }
  return true;
}

/** A notification made up by someone without the provider's secret, claiming the payment is paid. */
export async function forge(world: ScheduleWorld, state: ScheduleState, step: StepOf<"forge">): Promise<boolean> {
  const a = onOrder(state, step.order);
  if (!a) return false;
  const hook = `${world.app.url}/api/webhooks/${a.option.provider}/${a.option.merchant}`;
  const jsonHeaders = { "content-type": "application/json" };
  switch (a.option.provider) {
    case "kkiapay": {
      const transactionId = step.how % 2 ? (a.widgetTransactions.at(-1) ?? "FORGED001") : `FORGED${a.paymentId.slice(-6)}`;
      const body = { transactionId, isPaymentSucces: true, event: "transaction.success", amount: a.amountMinor, stateData: a.reference };
      await send(state, { url: hook, method: "POST", headers: { ...jsonHeaders, "x-kkiapay-secret": "not-the-secret" }, body: JSON.stringify(body) }, "a forged notification");
      return true;
    }
    case "orange-money":
      await send(state, { url: `${hook}?ref=${a.reference}`, method: "POST", headers: jsonHeaders, body: JSON.stringify({ status: "SUCCESS", notif_token: "f".repeat(32), txnid: "MP000101.0000.FORGED" }) }, "a forged notification");
      return true;
    case "cinetpay": {
      const fields: Record<string, string> = Object.fromEntries(NOTIFICATION_FIELDS.map((f) => [f, ""]));
      Object.assign(fields, { cpm_site_id: CINETPAY.siteId!, cpm_trans_id: a.reference, cpm_amount: String(a.amountMinor), cpm_currency: "XOF", cpm_error_message: "SUCCES", payment_method: "OM" });
      const headers = { "content-type": "application/x-www-form-urlencoded", "x-token": "0".repeat(64) };
      await send(state, { url: hook, method: "POST", headers, body: new URLSearchParams(fields).toString() }, "a forged notification");
      return true;
    }
    case "ipay": {
      // iPay signs nothing: a made-up callback, on the webhook or the shopper's return URL.
      const query = new URLSearchParams({ status: IPAY_PAID, id: a.reference, ivm: a.reference, mc: (a.amountMinor / 100).toFixed(2), txncd: "FORGED01", qwh: "1", afd: "2", poi: "3", uyt: "4", ifd: "5", agt: "6" });
      const url = step.how % 2 ? `${returnUrl(world, a)}&${query}` : `${hook}?${query}`;
      await send(state, { url, method: "GET", headers: {}, body: "" }, "a forged notification");
      return true;
    }
  }
}

/** A genuine notification of one payment, rewritten to name another payment of the same provider. */
export async function crossReplay(world: ScheduleWorld, state: ScheduleState, step: StepOf<"crossReplay">): Promise<boolean> {
  const c = pick(state.captured, step.notification);
  const victim = c && pick(state.attempts.filter((a) => a.option.provider === c.provider), step.attempt);
  if (!c || !victim) return false;
  await send(state, renamed(c, victim), "a notification replayed from another payment");
  return true;
}

function renamed(c: Captured, victim: Attempt): Sent {
  switch (c.provider) {
    case "kkiapay":
      return { ...c, body: JSON.stringify({ ...json(c.body), stateData: victim.reference }) };
    case "orange-money": {
      const url = new URL(c.url);
      url.searchParams.set("ref", victim.reference);
      return { ...c, url: url.toString() };
    }
    case "cinetpay": {
      const form = new URLSearchParams(c.body);
      form.set("cpm_trans_id", victim.reference);
      return { ...c, body: form.toString() };
    }
    case "ipay": {
      const url = new URL(c.url);
      url.searchParams.set("id", victim.reference);
      url.searchParams.set("ivm", victim.reference);
      return { ...c, url: url.toString() };
    }
  }
}

/** A fault at the provider an order is paying through (the one the schedule is using). */
export async function fault(world: ScheduleWorld, state: ScheduleState, step: StepOf<"fault">): Promise<boolean> {
  const provider = onOrder(state, step.order)?.option.provider;
  if (!provider) return false;
  await world.setFaults(provider, step.fault);
  state.faults[provider] = step.fault;
  if (step.fault === "answersWithoutMoney") state.silentOnMoney.add(provider);
  return true;
}

/** Amounts a stray KKiaPay transaction carries: those of the schedule's XOF orders, and one that matches none. */
const STRAY_AMOUNTS = [1_500, 3_000, 1_501];

/**
 * Someone opens the KKiaPay widget with the merchant's public key (it is in every checkout page)
 * and pays once: without our reference, or naming a payment's reference with another amount.
 */
export async function stray(world: ScheduleWorld, state: ScheduleState, step: StepOf<"stray">): Promise<boolean> {
  const named = step.names === null ? undefined : pick(state.attempts.filter((a) => a.option.provider === "kkiapay"), step.names);
  const amountMinor = named ? named.amountMinor + (step.amount % 2 ? 1 : -1) : pick(STRAY_AMOUNTS, step.amount)!;
  const config = { amount: amountMinor, key: KKIAPAY.publicKey, sandbox: true, ...(named ? { data: named.reference } : {}) };
  const result = await payInWidget(world.app.url, config, { outcome: "success" });
  if (!result.transactionId) return false;
  state.strays.push({ transactionId: result.transactionId, amountMinor });
  return true;
}

/** A KKiaPay transaction id put on a KKiaPay payment's return URL (the latest payment first): a stray (the latest first), or another payment's. */
export async function present(world: ScheduleWorld, state: ScheduleState, step: StepOf<"present">): Promise<boolean> {
  const pool = [...state.strays.map((t) => t.transactionId).reverse(), ...state.attempts.flatMap((a) => a.widgetTransactions)];
  const transactionId = pick(pool, step.transaction);
  const a = pick(state.attempts.filter((x) => x.option.provider === "kkiapay").reverse(), step.attempt);
  if (!transactionId || !a) return false;
  await send(state, { url: `${returnUrl(world, a)}&transaction_id=${transactionId}`, method: "GET", headers: {}, body: "" }, "a return naming a transaction");
  if (a.widgetTransactions.includes(transactionId)) await markOwed(world, state, { provider: "kkiapay", token: transactionId });
  return true;
}

/** Sends a request to Caisse; a 5xx is Caisse failing whoever called (a provider would retry, or give up). */
async function send(state: ScheduleState, n: Sent, what: string): Promise<number> {
  const res = await fetch(n.url, { method: n.method, headers: n.headers, body: n.method === "GET" ? undefined : n.body, redirect: "manual" });
  await res.arrayBuffer();
  if (res.status >= 500) state.unexpected.push(`Caisse answered ${res.status} to ${what} (${n.method} ${new URL(n.url).pathname})`);
  return res.status;
}

function json(body: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(body);
    return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
