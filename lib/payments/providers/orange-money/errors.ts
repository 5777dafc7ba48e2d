import type { ProviderResponse } from "@/lib/payments/http";
import { ProviderError } from "@/lib/payments/types";
import { errorSchema } from "./schemas";

type Known = { code: string; retryable: boolean; fr: string; en: string };

const MISCONFIGURED = {
  retryable: false,
  fr: "Le compte Orange Money du marchand est mal configuré. Choisissez un autre moyen de paiement.",
  en: "The merchant's Orange Money account is misconfigured. Please choose another payment method.",
};
const BUSY = {
  retryable: true,
  fr: "Orange Money ne répond pas pour le moment. Réessayez dans un instant.",
  en: "Orange Money is not answering right now. Please try again in a moment.",
};
const REJECTED = {
  retryable: false,
  fr: "Orange Money a refusé les informations du paiement.",
  en: "Orange Money rejected the payment details.",
};

/** Orange gateway codes (PROVIDERS.md §2.6; 2x = body validation). */
const BY_CODE: Record<number, Known> = {
  40: { code: "invalid_credentials", ...MISCONFIGURED },
  41: { code: "invalid_credentials", ...MISCONFIGURED },
  42: { code: "invalid_credentials", ...MISCONFIGURED },
  50: { code: "access_denied", ...MISCONFIGURED },
  53: { code: "rate_limited", ...BUSY },
  60: { code: "transaction_not_found", retryable: false, fr: "Orange Money ne connaît pas ce paiement.", en: "Orange Money does not know this payment." },
};

/** An Orange error answer → ProviderError: the envelope's code decides, else the HTTP status. */
export function orangeError(res: ProviderResponse): ProviderError {
  const body = errorSchema.safeParse(res.json);
  const code = body.success ? body.data.code : undefined;
  const text = body.success ? `${code} ${body.data.message ?? ""}${body.data.description ? ` (${body.data.description})` : ""}` : `HTTP ${res.status}`;
  const details = { httpStatus: res.status, trace: res.trace };
  const known = code !== undefined ? BY_CODE[code] : undefined;
  if (known) return new ProviderError("orange-money", known.code, text, known.retryable, { ...details, userMessage: { fr: known.fr, en: known.en } });
  if (res.status === 400 || (code !== undefined && code >= 20 && code < 30)) {
    return new ProviderError("orange-money", "invalid_request", text, false, { ...details, userMessage: { fr: REJECTED.fr, en: REJECTED.en } });
  }
  const transient = res.status >= 500 || res.status === 429;
  return new ProviderError("orange-money", transient ? "provider_unavailable" : "provider_error", text, transient, {
    ...details,
    userMessage: transient ? { fr: BUSY.fr, en: BUSY.en } : { fr: REJECTED.fr, en: REJECTED.en },
  });
}

/** A 2xx whose body is not what Orange documents: never guess a payment's fate from it. */
export function unexpectedAnswer(res: ProviderResponse, retryable: boolean): ProviderError {
  return new ProviderError("orange-money", "unexpected_response", `unexpected answer (HTTP ${res.status})`, retryable, {
    httpStatus: res.status,
    trace: res.trace,
    userMessage: { fr: BUSY.fr, en: BUSY.en },
  });
}

/** A request we refuse to send because Orange would reject it (limits checked before any call). */
export function refusedLocally(code: string, message: string, userMessage: { fr: string; en: string }): ProviderError {
  return new ProviderError("orange-money", code, message, false, { userMessage });
}
