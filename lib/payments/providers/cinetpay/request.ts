import { nationalNumber } from "@/lib/phone";
import { ProviderError, type InitializeInput } from "@/lib/payments/types";
import type { CinetpayCurrency } from "./amount";
import { toWireAmount } from "./amount";
import { channelFor } from "./methods";
import { initRequestSchema, type CinetpayCredentials, type InitRequest } from "./schemas";

/** CinetPay asks to keep these out of descriptions ("for better operation"). */
function cleanDescription(text: string): string {
  const cleaned = text.replace(/[#/$_&]/g, " ").replace(/\s+/g, " ").trim();
  return cleaned || "Paiement";
}

/** CinetPay's `customer_name` is the family name (nom) and `customer_surname` the given name (prénom). */
function splitName(full: string): { customer_name: string; customer_surname: string } {
  const parts = full.trim().split(/\s+/).filter(Boolean);
  const given = parts[0] ?? "Client";
  return { customer_surname: given, customer_name: parts.length > 1 ? parts.slice(1).join(" ") : given };
}

/** The exact POST /v2/payment body for one payment; throws if we would send something undocumented. */
export function buildInitRequest(input: InitializeInput, credentials: CinetpayCredentials): InitRequest {
  const channels = channelFor(input.method);
  if (!channels) {
    throw new ProviderError("cinetpay", "unsupported_method", `CinetPay cannot take ${input.method}`, false, {
      userMessage: { fr: "Ce moyen de paiement n'est pas proposé par CinetPay.", en: "CinetPay does not offer this payment method." },
    });
  }
  const email = input.customer.email?.trim() || undefined;
  const country = input.customer.country.toUpperCase();
  const billing = input.customer.billing;
  if (channels === "CREDIT_CARD" && (!email || !input.customer.phone || !billing?.address.trim() || !billing.city.trim() || !billing.state.trim())) {
    // The checkout asks for them (requiredCustomerData); CinetPay would answer 608 without them.
    throw new ProviderError("cinetpay", "missing_customer_data", "CREDIT_CARD needs customer_email, customer_phone_number and the billing address", false, {
      userMessage: { fr: "Le paiement par carte demande votre e-mail, votre numéro et votre adresse.", en: "Card payments need your e-mail address, phone number and address." },
    });
  }
  const body = {
    apikey: credentials.apiKey,
    site_id: credentials.siteId,
    transaction_id: input.reference,
    amount: toWireAmount(input.amountMinor, input.currency),
    currency: input.currency as CinetpayCurrency,
    description: cleanDescription(input.description),
    notify_url: input.urls.notify,
    return_url: input.urls.return,
    channels,
    lang: input.locale,
    // metadata must be a string: CinetPay echoes it as cpm_custom and in check data.metadata.
    metadata: JSON.stringify({ reference: input.reference }),
    ...splitName(input.customer.name),
    ...(email ? { customer_email: email } : {}),
    ...(input.customer.phone ? { customer_phone_number: nationalNumber(input.customer.phone) } : {}),
    customer_country: country,
    // What the shopper typed on the checkout. Most addresses in the region have no postcode:
    // CinetPay requires the field present, so an empty one is sent as zeros.
    ...(channels === "CREDIT_CARD" && billing
      ? { customer_address: billing.address.trim(), customer_city: billing.city.trim(), customer_state: billing.state.trim(), customer_zip_code: billing.zip.trim() || "00000" }
      : {}),
  };
  const parsed = initRequestSchema.safeParse(body);
  if (!parsed.success) {
    throw new ProviderError("cinetpay", "invalid_request", parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "), false, {
      userMessage: { fr: "Les informations du paiement sont incomplètes.", en: "The payment details are incomplete." },
    });
  }
  return parsed.data;
}
