import type { PaymentStatus } from "@/lib/payments/types";

export type CanonicalStatus = Exclude<PaymentStatus, "created">;

/**
 * OM status → ours (PROVIDERS.md §2.4). OM has no "cancelled": a shopper who cancels or walks
 * away leaves the transaction INITIATED for ever, so INITIATED past the pay_token's window means
 * expired. EXPIRED itself only follows a confirmation attempted too late. Unknown → pending.
 */
export function canonicalStatus(omStatus: string, window: { expiresAt?: Date; now: Date }): CanonicalStatus {
  switch (omStatus.trim().toUpperCase()) {
    case "INITIATED":
      return window.expiresAt && window.now.getTime() > window.expiresAt.getTime() ? "expired" : "waiting_for_customer";
    case "PENDING":
      return "pending";
    case "EXPIRED":
      return "expired";
    case "SUCCESS":
      return "paid";
    case "FAILED":
      return "failed";
    default:
      return "pending";
  }
}
