import type { PaymentStatus } from "@/lib/payments/types";

/**
 * KKiaPay status → canonical (§3.2). TRANSACTION_NOT_FOUND keeps the payment pending: the
 * widget may not have created it yet, and reconciliation expires it later. Anything unknown
 * stays non-final.
 */
const TABLE: Record<string, Exclude<PaymentStatus, "created">> = {
  SUCCESS: "paid",
  PENDING: "pending",
  FAILED: "failed",
  REVERTED: "refunded",
  TRANSACTION_NOT_FOUND: "pending",
};

export function canonicalStatus(providerStatus: string): Exclude<PaymentStatus, "created"> {
  return TABLE[providerStatus.trim().toUpperCase()] ?? "pending";
}
