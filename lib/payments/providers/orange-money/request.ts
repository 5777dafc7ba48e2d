import type { InitializeInput } from "@/lib/payments/types";
import { toWholeUnits } from "./amount";
import { refusedLocally } from "./errors";
import { ORDER_ID_MAX, REFERENCE_MAX, URL_MAX, webPaymentRequestSchema, type OrangeCredentials, type WebPaymentRequest } from "./schemas";

/** The WebPay Dev sandbox only knows its test currency; production takes the country's. */
export function wireCurrency(environment: string, currency: string): string {
  return environment === "dev" ? "OUV" : currency;
}

/** Cut to `max` characters (code points, so an accented name is never split mid-character). */
function cut(text: string, max: number): string {
  return Array.from(text.trim()).slice(0, max).join("").trim();
}

const TOO_LONG = {
  fr: "Ce paiement ne peut pas être envoyé à Orange Money (adresse de retour trop longue).",
  en: "This payment cannot be sent to Orange Money (return address too long).",
};

/**
 * The web payment body (§2.3). Orange rejects order_id/reference over 30 characters and URLs
 * over 120: refused here, before any round trip; the merchant name is simply cut.
 */
export function buildWebPaymentRequest(input: InitializeInput, credentials: OrangeCredentials): WebPaymentRequest {
  if (input.reference.length > ORDER_ID_MAX) {
    throw refusedLocally("reference_too_long", `order_id ${input.reference.length} > ${ORDER_ID_MAX} characters`, TOO_LONG);
  }
  const urls = { return_url: input.urls.return, cancel_url: input.urls.cancel || input.urls.return, notif_url: input.urls.notify };
  for (const [name, value] of Object.entries(urls)) {
    if (value.length > URL_MAX) throw refusedLocally("url_too_long", `${name} is ${value.length} > ${URL_MAX} characters`, TOO_LONG);
  }
  const body = webPaymentRequestSchema.safeParse({
    merchant_key: credentials.merchantKey,
    currency: wireCurrency(credentials.environment, input.currency),
    order_id: input.reference,
    amount: toWholeUnits(input.amountMinor, input.currency),
    ...urls,
    lang: input.locale,
    reference: cut(input.merchantName, REFERENCE_MAX) || "Caisse",
  });
  if (!body.success) {
    throw refusedLocally("invalid_request", body.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "), {
      fr: "Orange Money ne peut pas accepter ce paiement.",
      en: "Orange Money cannot accept this payment.",
    });
  }
  return body.data;
}
