import { ProviderError, type ExchangeTrace } from "@/lib/payments/types";
import { envelopeSchema } from "./schemas";

type Known = { code: string; retryable: boolean; fr: string; en: string };

const BUSY: Known = {
  code: "provider_unavailable",
  retryable: true,
  fr: "iPay ne répond pas pour le moment. Réessayez dans un instant.",
  en: "iPay is not answering right now. Please try again in a moment.",
};
const MISCONFIGURED: Known = {
  code: "invalid_credentials",
  retryable: false,
  fr: "Le compte iPay du marchand est mal configuré. Choisissez un autre moyen de paiement.",
  en: "The merchant's iPay account is misconfigured. Please choose another payment method.",
};

/**
 * iPay has no error codes, only an HTTP status and a sentence; the status decides. A wrong vendor
 * id or hash (401) is a configuration problem no retry fixes.
 */
function byHttpStatus(httpStatus: number): Known {
  if (httpStatus === 401 || httpStatus === 403) return MISCONFIGURED;
  if (httpStatus === 429) return { ...BUSY, code: "rate_limited" };
  if (httpStatus >= 500 || httpStatus === 0) return BUSY;
  if (httpStatus === 409) {
    return { code: "duplicate_reference", retryable: false, fr: "Cette commande a déjà été payée chez iPay.", en: "This order has already been paid at iPay." };
  }
  return { code: "invalid_request", retryable: false, fr: "iPay a refusé les informations du paiement.", en: "iPay rejected the payment details." };
}

/** The sentence iPay put in `message`, `text` or `error` (the shapes seen in the wild). */
export function errorText(body: unknown, fallback: string): string {
  const parsed = envelopeSchema.safeParse(body);
  if (!parsed.success) return fallback;
  const { message, text, error } = parsed.data;
  if (message) return message;
  if (text) return text;
  if (typeof error === "string") return error;
  if (Array.isArray(error) && error.length) return error.map((e) => (typeof e === "object" && e && "text" in e ? String(e.text) : String(e))).join("; ");
  return fallback;
}

export function ipayError(httpStatus: number, body: unknown, trace: ExchangeTrace): ProviderError {
  const known = byHttpStatus(httpStatus);
  return new ProviderError("ipay", known.code, `HTTP ${httpStatus}: ${errorText(body, "no message")}`, known.retryable, {
    httpStatus,
    trace,
    userMessage: { fr: known.fr, en: known.en },
  });
}

/** A response we cannot read, or whose hash is wrong: not iPay's normal answer, so not retried blindly. */
export function unexpectedAnswer(what: string, trace: ExchangeTrace): ProviderError {
  return new ProviderError("ipay", "unexpected_response", what, false, {
    trace,
    userMessage: { fr: "Réponse inattendue d'iPay. Réessayez plus tard.", en: "Unexpected answer from iPay. Please try again later." },
  });
}

export function rejected(code: string, message: { fr: string; en: string }): ProviderError {
  return new ProviderError("ipay", code, message.en, false, { userMessage: message });
}

/** Timeouts and network errors from providerFetch, given a shopper-facing message. */
export function withUserMessage(error: unknown): unknown {
  if (!(error instanceof ProviderError) || error.details.userMessage) return error;
  return new ProviderError("ipay", error.code, error.message, error.retryable, { ...error.details, userMessage: { fr: BUSY.fr, en: BUSY.en } });
}
