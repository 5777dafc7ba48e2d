import type { PaymentStatus } from "@/lib/payments/types";

export type CanonicalStatus = Exclude<PaymentStatus, "created">;

/** Codes of /v2/payment/check meaning "the shopper still has to approve" (push-approval operators). */
const WAITING_CODES = new Set(["623", "662", "663", "664"]);
const CANCEL_CODE = "627";
const REFUNDED_CODE = "660";

/**
 * CinetPay's check answer → our status (PROVIDERS.md §1.8). `data.status` decides when it is one
 * we know; the `code` only refines REFUSED (627 is the shopper cancelling) or stands in when the
 * status is missing. Anything unrecognised stays non-final (pending): reconciliation asks again.
 */
export function mapCinetpayStatus(providerStatus: string | undefined, code: string | undefined): CanonicalStatus {
  const status = providerStatus?.trim().toUpperCase();
  if (code === REFUNDED_CODE || status === "REFUNDED") return "refunded";
  switch (status) {
    case "ACCEPTED":
      return "paid";
    case "REFUSED":
      if (code === CANCEL_CODE) return "cancelled";
      return "failed";
    case "WAITING_FOR_CUSTOMER":
      return "waiting_for_customer";
    case "PENDING":
    case "CREATED":
      return "pending";
  }
  if (code && WAITING_CODES.has(code)) return "waiting_for_customer";
  return "pending";
}
