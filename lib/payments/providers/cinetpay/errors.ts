import { ProviderError, type ExchangeTrace } from "@/lib/payments/types";

type Known = { code: string; retryable: boolean; fr: string; en: string };

const MISCONFIGURED: Omit<Known, "code"> = {
  retryable: false,
  fr: "Le compte CinetPay du marchand est mal configuré. Choisissez un autre moyen de paiement.",
  en: "The merchant's CinetPay account is misconfigured. Please choose another payment method.",
};
const BUSY: Omit<Known, "code"> = {
  retryable: true,
  fr: "CinetPay ne répond pas pour le moment. Réessayez dans un instant.",
  en: "CinetPay is not answering right now. Please try again in a moment.",
};

/** CinetPay answer codes (PROVIDERS.md §1.3) → our error codes, retryability and shopper messages. */
const BY_PROVIDER_CODE: Record<string, Known> = {
  "608": {
    code: "invalid_request",
    retryable: false,
    fr: "CinetPay a refusé les informations du paiement.",
    en: "CinetPay rejected the payment details.",
  },
  "609": { code: "invalid_credentials", ...MISCONFIGURED },
  "613": { code: "invalid_credentials", ...MISCONFIGURED },
  "624": { code: "invalid_credentials", ...MISCONFIGURED },
  "403": { code: "forbidden", ...MISCONFIGURED },
  "1010": { code: "forbidden", ...MISCONFIGURED },
  "620": {
    code: "duplicate_transaction",
    retryable: false,
    fr: "Ce paiement a déjà été créé chez CinetPay.",
    en: "This payment already exists at CinetPay.",
  },
  "429": { code: "rate_limited", ...BUSY },
  "404": {
    code: "transaction_not_found",
    retryable: false,
    fr: "CinetPay ne connaît pas ce paiement.",
    en: "CinetPay does not know this payment.",
  },
};

/** An error answer: the JSON `code` decides; without one, a 5xx or 429 HTTP status means "try again". */
export function cinetpayError(providerCode: string | undefined, message: string | undefined, httpStatus: number, trace: ExchangeTrace): ProviderError {
  const known = providerCode ? BY_PROVIDER_CODE[providerCode] : undefined;
  if (known) {
    return new ProviderError("cinetpay", known.code, `${providerCode} ${message ?? ""}`.trim(), known.retryable, { httpStatus, trace, userMessage: { fr: known.fr, en: known.en } });
  }
  const transient = httpStatus >= 500 || httpStatus === 429 || httpStatus === 0;
  return new ProviderError("cinetpay", transient ? "provider_unavailable" : "provider_error", `${providerCode ?? `HTTP ${httpStatus}`} ${message ?? ""}`.trim(), transient, {
    httpStatus,
    trace,
    userMessage: transient ? { fr: BUSY.fr, en: BUSY.en } : { fr: "CinetPay a refusé la demande.", en: "CinetPay refused the request." },
  });
}

export function amountRejected(code: string, message: { fr: string; en: string }): ProviderError {
  return new ProviderError("cinetpay", code, message.en, false, { userMessage: message });
}
