import { describe, expect, it } from "vitest";
import type { PublicOrder } from "@/lib/orders/public";
import { orderView } from "./order-view";

type Attempt = PublicOrder["payments"][number];

const IPAY_FORM = { type: "form", url: "https://payments.ipayafrica.com/v3/ke", method: "POST", fields: { oid: "x" } };
const PUSH = { type: "approve_on_phone", phone: "+254712345456" };
const WIDGET = { type: "widget", scriptUrl: "https://cdn.kkiapay.me/k.js", config: {} };

function attempt(over: Partial<Attempt>): Attempt {
  return {
    id: "pay_1",
    provider: "ipay",
    method: "mpesa",
    reference: "R1",
    status: "pending",
    failureCode: null,
    attemptOutcome: null,
    flag: null,
    flagResolvedAt: null,
    paidAmountMinor: null,
    expiresAt: null,
    paidAt: null,
    nextAction: null,
    createdAt: new Date(),
    ...over,
  };
}

function order(payments: Attempt[], status: PublicOrder["status"] = "open"): PublicOrder {
  return {
    id: "ord_1",
    reference: "261207-ABC",
    amountMinor: 45_000,
    currency: "KES",
    status,
    customerName: "Brian",
    customerCountry: "KE",
    customerPhone: "+254712345456",
    paidAt: null,
    merchant: { id: "m", name: "Duka", slug: "autre", logoUrl: null, defaultLocale: "en", timeZone: "Africa/Nairobi" },
    hasCardDetails: false,
    items: [],
    payments,
  };
}

describe("the order page's view of an order", () => {
  it("opens iPay's form by itself only on the visit the checkout sent, never on a return or a reload", () => {
    const o = order([attempt({ nextAction: IPAY_FORM })]);
    expect(orderView(o, "pay_1").pending).toMatchObject({ autoStart: true });
    expect(orderView(o, null)).toMatchObject({ pending: { autoStart: false }, retry: "folded", tone: "waiting" });
    expect(orderView(o, "pay_0").pending).toMatchObject({ autoStart: false });
  });

  it("an underpayment is explained, with no way back to the provider's 'already paid' page", () => {
    const view = orderView(order([attempt({ nextAction: IPAY_FORM, flag: "underpaid", paidAmountMinor: 22_500 })]), "pay_1");
    expect(view).toMatchObject({ underpaid: { receivedMinor: 22_500 }, pending: null, retry: "folded", tone: "failure" });
  });

  it("an M-Pesa prompt can always be sent again; once it timed out, only that and another way are left", () => {
    const waiting = orderView(order([attempt({ status: "waiting_for_customer", nextAction: PUSH })]), null);
    expect(waiting).toMatchObject({ resendOption: "ipay.mpesa.push", pending: { action: PUSH }, retry: "folded" });
    const timedOut = orderView(order([attempt({ nextAction: PUSH, attemptOutcome: "timed_out" })]), null);
    expect(timedOut).toMatchObject({ attempt: "timed_out", headline: "noAnswer", pending: null, resendOption: "ipay.mpesa.push", retry: "folded" });
    const declined = orderView(order([attempt({ status: "failed", failureCode: "stk_cancelled", nextAction: PUSH })]), null);
    expect(declined).toMatchObject({ reason: "you_declined", headline: "outcome.refused", tone: "failure", resendOption: "ipay.mpesa.push", retry: "shown" });
  });

  it("a KKiaPay attempt still open waits for the shopper's confirmation, and is never told as nothing charged", () => {
    const view = orderView(order([attempt({ provider: "kkiapay", method: "mtn", nextAction: WIDGET })]), null);
    expect(view).toMatchObject({ headline: "waitingConfirmation", reason: null, tone: "waiting", pending: { autoStart: false }, resendOption: null });
  });

  it("a decided order offers nothing more; a paid one says so in the success tone", () => {
    expect(orderView(order([attempt({ status: "paid", paidAt: new Date() })], "paid"), null)).toMatchObject({ tone: "success", headline: "state.paid", retry: null, pending: null, resendOption: null });
    expect(orderView(order([], "open"), null)).toMatchObject({ state: "none", retry: "shown" });
  });

  // An API checkout session past its expiry takes no new payment (lib/checkout-sessions): its page
  // once still offered "Continue to payment" into iPay's form or KKiaPay's widget.
  it("a closed checkout session starts nothing: no provider page, no widget, no prompt again, no other way", () => {
    for (const nextAction of [IPAY_FORM, WIDGET]) {
      const view = orderView(order([attempt({ nextAction })]), "pay_1", { closed: true });
      expect(view).toMatchObject({ pending: null, retry: null, resendOption: null, tone: "waiting" });
    }
    // A prompt already on the phone may still be answered: the page says so, and offers no new one.
    const prompt = orderView(order([attempt({ status: "waiting_for_customer", nextAction: PUSH })]), null, { closed: true });
    expect(prompt).toMatchObject({ pending: { action: PUSH, autoStart: false }, resendOption: null, retry: null });
    const failed = orderView(order([attempt({ status: "failed", failureCode: "stk_cancelled", nextAction: PUSH })]), null, { closed: true });
    expect(failed).toMatchObject({ reason: "you_declined", resendOption: null, retry: null });
  });
});
