import { knownReason, type OutcomeReason } from "@/lib/outcomes/reasons";
import type { ProviderId } from "@/lib/payments/types";

/**
 * What a ledger row means, in the merchant's words rather than the pipeline's ("Verdict :
 * authentic", "reconciliation"): a sentence (orderDetail.say.<key>), who or what did it
 * (orderDetail.who.<key>), and for a provider's error code, the reason the shopper was given
 * (lib/outcomes, the same sentence as on the shopper's order page). The page fills in names,
 * amounts and labels; this only decides which sentence.
 */
export type EventWords = {
  say: string;
  /** Status values to label (paymentStatus), flags (exceptions.flag) and plain text, by placeholder. */
  status?: string;
  flag?: string;
  who: string;
  code?: string;
  reason?: OutcomeReason;
};

type EventRow = { type: string; fromStatus: string | null; toStatus: string | null; actor: string | null; data: Record<string, unknown> };
type PaymentFacts = { provider: ProviderId; failureCode: string | null };

const text = (v: unknown) => (typeof v === "string" && v ? v : undefined);

export function whoDidIt(actor: string | null, provider: ProviderId): string {
  if (!actor) return "caisse";
  if (actor.startsWith("user:")) return "team";
  if (actor === provider) return "provider";
  const known: Record<string, string> = { reconciliation: "automatic", notification: "notification", return: "return", checkout: "shopper", shopper: "shopper", system: "caisse" };
  return known[actor] ?? "caisse";
}

function withCode(words: EventWords, provider: ProviderId, code: string | undefined): EventWords {
  if (!code) return words;
  return { ...words, code, reason: knownReason(provider, code) };
}

export function eventWords(event: EventRow, payment: PaymentFacts): EventWords {
  const { data, type } = event;
  const who = whoDidIt(event.actor, payment.provider);
  const error = text(data.error);
  switch (type) {
    case "init_request":
      return { say: data.secondTransactionOf ? "secondTransaction" : "initRequest", who };
    case "init_response":
      return error ? withCode({ say: "initRefused", who }, payment.provider, error) : { say: "initOpened", who };
    case "notification": {
      const verdict = text(data.verdict);
      const say = verdict === "authentic" ? "notificationAuthentic" : verdict === "forged" ? "notificationForged" : "notificationUnverifiable";
      return { say, who };
    }
    case "status_check":
      if (error) return withCode({ say: "checkFailed", who }, payment.provider, error);
      if (data.otherTransaction) return { say: "checkOtherTransaction", who };
      return text(data.status) ? { say: "checkAnswered", status: text(data.status), who } : { say: "checkAsked", who };
    case "transition": {
      const to = event.toStatus ?? "";
      if (to === "paid") return { say: data.flag === "double_payment" ? "paidTwice" : who === "team" ? "paidAccepted" : "paidConfirmed", who };
      if (to === "failed" || to === "cancelled") return withCode({ say: to === "failed" ? "failed" : "cancelled", who }, payment.provider, payment.failureCode ?? undefined);
      if (to === "expired") return { say: "expired", who };
      if (to === "refunded" || to === "partially_refunded") return { say: "refundedStatus", status: to, who };
      return { say: "statusMoved", status: to, who };
    }
    case "refund":
      if (error) return withCode({ say: "refundRefused", who }, payment.provider, error);
      return { say: data.manual ? "refundManual" : "refundAsked", who };
    case "flag":
      return { say: "flagged", flag: text(data.flag) ?? "unknown", who };
    case "exception":
      return { say: "exceptionHandled", flag: text(data.flag) ?? "unknown", who };
    case "ignored":
      return { say: "ignored", who };
    default:
      return { say: "other", who };
  }
}
