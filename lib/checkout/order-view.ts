import { UNDECIDED_STATUSES } from "@/db/schema";
import type { PublicOrder } from "@/lib/orders/public";
import { headlineOf, outcomeReason, type OutcomeReason } from "@/lib/outcomes/reasons";
import type { NextAction } from "@/lib/payments/types";

export type Tone = "success" | "failure" | "waiting" | "neutral";

/** A non-final outcome of the latest attempt the shopper should hear about (iPay IPN, M-Pesa). */
export type AttemptOutcome = "failed" | "used" | "timed_out";
const ATTEMPT_OUTCOMES: readonly string[] = ["failed", "used", "timed_out"] satisfies AttemptOutcome[];

/**
 * What the order page shows and offers, decided on the server from the order as stored: the
 * state in a tone (colour and icon beside the words), the plain reason for a closed attempt, and
 * every way forward. Nothing here is a dead end: an open order always offers another way to pay.
 */
export type OrderView = {
  /** The order's status once decided, else its latest attempt's ("none" before any). */
  state: string;
  tone: Tone;
  /** A key of the "order" messages. */
  headline: string;
  reason: OutcomeReason | null;
  attempt: AttemptOutcome | null;
  /** iPay said less was paid than the price: the order stays unpaid, a person decides. */
  underpaid: { receivedMinor: number } | null;
  /** The provider step still open (iPay's form, KKiaPay's widget, a hosted page, a phone prompt). */
  pending: { action: NextAction; autoStart: boolean } | null;
  /** The option that sends an STK prompt again (a new attempt on the same order). */
  resendOption: string | null;
  /** "shown": the way forward; "folded": behind "Pay another way" while an attempt may still pay. */
  retry: "shown" | "folded" | null;
};

const UNDECIDED: readonly string[] = UNDECIDED_STATUSES;

/**
 * `go`: the payment the checkout just started and that this visit may open by itself (iPay's form
 * posted, KKiaPay's widget opened); any other visit (a reload, a return from the provider) waits
 * for the shopper's click, so nobody is bounced back to a provider page. `closed`: an API checkout
 * session that may take no more payment (expired): nothing is started from the page any more.
 */
export function orderView(order: PublicOrder, go: string | null, { closed = false } = {}): OrderView {
  const view = openView(order, go);
  if (!closed) return view;
  // A prompt already on the phone can still be answered there: the page keeps saying so.
  const prompt = view.pending?.action.type === "approve_on_phone" ? { ...view.pending, autoStart: false } : null;
  return { ...view, pending: prompt, retry: null, resendOption: null };
}

function openView(order: PublicOrder, go: string | null): OrderView {
  const none = { reason: null, attempt: null, underpaid: null, pending: null, resendOption: null, retry: null };
  if (order.status !== "open") {
    return { ...none, state: order.status, tone: order.status === "paid" ? "success" : "neutral", headline: `state.${order.status}` };
  }
  const latest = order.payments[0];
  if (!latest) return { ...none, state: "none", tone: "waiting", headline: "state.none", retry: "shown" };

  const action = (latest.nextAction ?? null) as NextAction | null;
  const resendOption = action?.type === "approve_on_phone" ? `${latest.provider}.${latest.method}.push` : null;

  if (!UNDECIDED.includes(latest.status)) {
    const reason = outcomeReason(latest);
    if (!reason) return { ...none, state: latest.status, tone: "neutral", headline: `state.${latest.status}`, retry: "shown" };
    return { ...none, state: latest.status, tone: "failure", headline: `outcome.${headlineOf(reason)}`, reason, resendOption, retry: "shown" };
  }

  if (latest.flag === "underpaid" && !latest.flagResolvedAt && latest.paidAmountMinor !== null) {
    // Going back to the provider shows its "already paid" page: only another way forward.
    return { ...none, state: latest.status, tone: "failure", headline: "underpaidTitle", underpaid: { receivedMinor: latest.paidAmountMinor }, retry: "folded" };
  }
  const attempt = latest.attemptOutcome && ATTEMPT_OUTCOMES.includes(latest.attemptOutcome) ? (latest.attemptOutcome as AttemptOutcome) : null;
  const opensItself = action?.type === "form" || action?.type === "widget";
  return {
    ...none,
    state: latest.status,
    tone: "waiting",
    headline: attempt === "timed_out" ? "noAnswer" : action?.type === "widget" ? "waitingConfirmation" : `state.${latest.status}`,
    attempt,
    // A prompt that timed out is no longer on the phone: only "send it again" is left of it.
    pending: action && !(action.type === "approve_on_phone" && attempt) ? { action, autoStart: opensItself && go === latest.id && attempt === null } : null,
    resendOption,
    // iPay said this attempt failed or its code was used: trying again is the way forward.
    retry: attempt === "failed" || attempt === "used" ? "shown" : "folded",
  };
}
