import type { ProviderResponse } from "@/lib/payments/http";
import { TRANSACTION_NOT_OURS } from "@/lib/payments/binding";
import { ProviderError } from "@/lib/payments/types";
import { errorResponseSchema } from "./schemas";

type Mapped = { code: string; retryable: boolean; userMessage: { fr: string; en: string } };

const UNAVAILABLE: Mapped = {
  code: "provider_unavailable",
  retryable: true,
  userMessage: { fr: "KKiaPay ne répond pas pour le moment. Réessayez dans quelques instants.", en: "KKiaPay is not answering right now. Please try again shortly." },
};

/** KKiaPay's error statuses (SDK STATUS.php and §3.2) and HTTP codes, in our words. */
const BY_STATUS: Record<string, Mapped> = {
  UNAUTHORIZED: {
    code: "invalid_credentials",
    retryable: false,
    userMessage: { fr: "Les clés KKiaPay du marchand sont refusées.", en: "The merchant's KKiaPay keys were refused." },
  },
  INVALID_TRANSACTION: {
    code: TRANSACTION_NOT_OURS,
    retryable: false,
    userMessage: { fr: "Cette transaction KKiaPay n'appartient pas à ce paiement.", en: "This KKiaPay transaction does not belong to this payment." },
  },
  TRANSACTION_NOT_ELIGIBLE: {
    code: "refund_not_eligible",
    retryable: false,
    userMessage: { fr: "Ce paiement ne peut pas être remboursé par KKiaPay (déjà remboursé, ou pas un paiement mobile money réussi).", en: "KKiaPay cannot refund this payment (already refunded, or not a successful mobile money payment)." },
  },
  INVALID_TRANSACTION_TYPE: {
    code: "refund_not_eligible",
    retryable: false,
    userMessage: { fr: "Ce type de transaction ne peut pas être remboursé.", en: "This kind of transaction cannot be refunded." },
  },
  INSUFFICIENT_FUND: {
    code: "insufficient_merchant_balance",
    retryable: true,
    userMessage: { fr: "Solde KKiaPay du marchand insuffisant pour rembourser.", en: "The merchant's KKiaPay balance is too low to refund." },
  },
  TOO_MANY_REQUESTS: {
    code: "rate_limited",
    retryable: true,
    userMessage: { fr: "Trop de requêtes vers KKiaPay. Réessayez dans une minute.", en: "Too many requests to KKiaPay. Try again in a minute." },
  },
};

const BY_HTTP: Record<number, string> = { 401: "UNAUTHORIZED", 403: "INVALID_TRANSACTION", 429: "TOO_MANY_REQUESTS" };

/** The KKiaPay status word of an error answer, from its body or, failing that, its HTTP code. */
export function errorStatus(res: ProviderResponse): string | undefined {
  const body = errorResponseSchema.safeParse(res.json);
  const word = body.success ? (body.data.status ?? body.data.code) : undefined;
  return typeof word === "string" ? word.toUpperCase() : BY_HTTP[res.status];
}

export function kkiapayError(res: ProviderResponse, fallback = "unexpected_response"): ProviderError {
  const status = errorStatus(res);
  const mapped = (status && BY_STATUS[status]) || (res.status >= 500 ? UNAVAILABLE : undefined);
  const body = errorResponseSchema.safeParse(res.json);
  const message = (body.success && (body.data.message ?? body.data.reason)) || `HTTP ${res.status}`;
  if (mapped) return new ProviderError("kkiapay", mapped.code, message, mapped.retryable, { httpStatus: res.status, trace: res.trace, userMessage: mapped.userMessage });
  return new ProviderError("kkiapay", fallback, `${status ?? "unknown"}: ${message}`, false, {
    httpStatus: res.status,
    trace: res.trace,
    userMessage: { fr: "Réponse inattendue de KKiaPay.", en: "Unexpected answer from KKiaPay." },
  });
}

export function mismatchError(detail: string, res: ProviderResponse): ProviderError {
  const m = BY_STATUS.INVALID_TRANSACTION!;
  return new ProviderError("kkiapay", m.code, detail, false, { httpStatus: res.status, trace: res.trace, userMessage: m.userMessage });
}
