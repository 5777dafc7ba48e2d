import type { PaymentRow } from "./handle";

/**
 * When we close an attempt ourselves (the shopper's cancel, our window running out, an
 * initialization whose answer we never got), the provider may still collect the money: the shopper
 * goes back to the page, approves a prompt that did ring. One more status check is scheduled after
 * the provider's own window, so that money lands even when its only notification is lost.
 */
const LATE_CHECK_MARGIN_MS = 10 * 60_000;

export function lateCheckAt(row: Pick<PaymentRow, "expiresAt">, at: Date): Date {
  return new Date(Math.max(at.getTime(), row.expiresAt?.getTime() ?? 0) + LATE_CHECK_MARGIN_MS);
}

/** Closed payments whose late check is still to come: reconciliation claims them when it is due. */
export const LATE_CHECKED_STATUSES = ["failed", "cancelled", "expired"] as const;
