import type { PaymentStatus, ProviderId } from "@/lib/payments/types";

/**
 * Why an attempt ended without collecting, in words a shopper can act on. Each reason is one
 * sentence with the next step (messages: order.reasons.<reason>, French and English); the
 * provider's raw code is for the merchant's timeline, never for the shopper.
 */
export const OUTCOME_REASONS = [
  "insufficient_funds",
  "wrong_code",
  "refused_check",
  "refused",
  "not_completed",
  "you_cancelled",
  "you_declined",
  "number_unknown",
  "amount_too_low",
  "amount_too_high",
  "amount_invalid",
  "limit_reached",
  "operator_unavailable",
  "service_unavailable",
  "shop_unavailable",
  "details_missing",
  "expired",
  "money_returned",
] as const;
export type OutcomeReason = (typeof OUTCOME_REASONS)[number];

/**
 * CinetPay's check and init codes (PROVIDERS.md §1.3–1.4, CinetPay's checkout code table). 627
 * TRANSACTION_CANCEL is documented as "Transaction failed": an operator's refusal reads the same
 * as a cancel on the hosted page, so it is never told as the shopper's own cancel.
 */
const CINETPAY: Record<string, OutcomeReason> = {
  "600": "refused",
  "602": "insufficient_funds",
  "603": "operator_unavailable",
  "604": "wrong_code",
  "606": "refused_check",
  "608": "details_missing",
  "609": "shop_unavailable",
  "613": "shop_unavailable",
  "620": "service_unavailable",
  "621": "operator_unavailable",
  "622": "operator_unavailable",
  "624": "shop_unavailable",
  "625": "shop_unavailable",
  "626": "operator_unavailable",
  "627": "not_completed",
  "635": "number_unknown",
  "636": "number_unknown",
  "637": "number_unknown",
  "641": "amount_too_low",
  "642": "amount_too_high",
  "804": "operator_unavailable",
  "807": "limit_reached",
  "808": "limit_reached",
  "809": "limit_reached",
  "810": "limit_reached",
  "811": "limit_reached",
  "812": "limit_reached",
};

/** Codes Caisse itself records: adapters' errors before or during a call, and its own closes. */
const OURS: Record<string, OutcomeReason> = {
  // The shopper's cancel, closed only once the provider showed the attempt never started.
  cancelled_by_shopper: "you_cancelled",
  // A person resolved a money disagreement: what came in went back (lib/payments/exceptions.ts).
  underpaid_returned: "money_returned",
  amount_mismatch: "money_returned",
  currency_mismatch: "money_returned",
  sandbox_payment: "service_unavailable",
  // M-Pesa's words through iPay's search (lib/payments/providers/ipay/status.ts).
  stk_cancelled: "you_declined",
  stk_wrong_pin: "wrong_code",
  stk_insufficient_funds: "insufficient_funds",
  // KKiaPay's failureCode values.
  insufficient_fund: "insufficient_funds",
  wrong_pin: "wrong_code",
  invalid_number: "number_unknown",
  processing_error: "operator_unavailable",
  // Orange Money's transaction status.
  FAILED: "refused",
  // Adapters' errors (ProviderError codes) and the amount rules checked before any call.
  invalid_phone: "number_unknown",
  missing_customer_data: "details_missing",
  invalid_request: "details_missing",
  amount_too_low: "amount_too_low",
  amount_too_small: "amount_too_low",
  not_multiple_of_5: "amount_invalid",
  not_whole_units: "amount_invalid",
  amount_not_whole: "amount_invalid",
  invalid_amount: "amount_invalid",
  amount_invalid: "amount_invalid",
  invalid_credentials: "shop_unavailable",
  credentials_missing: "shop_unavailable",
  forbidden: "shop_unavailable",
  access_denied: "shop_unavailable",
  misconfigured: "shop_unavailable",
  unsupported_method: "shop_unavailable",
  method_unavailable: "shop_unavailable",
  unsupported_currency: "shop_unavailable",
  currency_not_supported: "shop_unavailable",
  transaction_mismatch: "service_unavailable",
  provider_unavailable: "service_unavailable",
  provider_error: "service_unavailable",
  network_error: "service_unavailable",
  timeout: "service_unavailable",
  rate_limited: "service_unavailable",
  unexpected_response: "service_unavailable",
  internal_error: "service_unavailable",
  duplicate_transaction: "service_unavailable",
  duplicate_reference: "service_unavailable",
  transaction_not_found: "service_unavailable",
};

/** The reason a provider's or our own failure code stands for; undefined for a code nobody mapped. */
export function knownReason(provider: ProviderId, failureCode: string): OutcomeReason | undefined {
  const code = failureCode.trim();
  if (provider === "cinetpay" && Object.hasOwn(CINETPAY, code)) return CINETPAY[code];
  return Object.hasOwn(OURS, code) ? OURS[code] : undefined;
}

/** The reason for a closed attempt; null for one that collected or is still undecided. */
export function outcomeReason(attempt: { provider: ProviderId; status: PaymentStatus; failureCode: string | null }): OutcomeReason | null {
  const { provider, status, failureCode } = attempt;
  if (status === "expired") return "expired";
  if (status !== "failed" && status !== "cancelled") return null;
  const known = failureCode ? knownReason(provider, failureCode) : undefined;
  if (known) return known;
  // A status the provider gave without a code we know: said as what it is.
  return status === "cancelled" ? "not_completed" : "refused";
}

export type OutcomeHeadline = "refused" | "not_completed" | "cancelled" | "expired";

/** The banner's few words: "refused" when a provider said no, never "cancelled" unless the shopper did. */
export function headlineOf(reason: OutcomeReason): OutcomeHeadline {
  switch (reason) {
    case "you_cancelled":
      return "cancelled";
    case "expired":
      return "expired";
    case "not_completed":
    case "service_unavailable":
    case "shop_unavailable":
    case "details_missing":
    case "amount_too_low":
    case "amount_too_high":
    case "amount_invalid":
    case "money_returned":
      return "not_completed";
    default:
      return "refused";
  }
}
