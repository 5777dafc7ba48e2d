import type { PaymentRow } from "./handle";
import type { StatusResult } from "./types";

/**
 * Whether a provider transaction we learned of from outside (a KKiaPay transaction id on a
 * webhook or a return URL) belongs to this payment. Anyone can open KKiaPay's widget with the
 * merchant's public key and pay once, then present that transaction on other orders' return
 * URLs: the provider's own answer must tie it to us.
 */
/** A provider's error code for a transaction id of another account (KKiaPay's INVALID_TRANSACTION): refused like a transaction not ours. */
export const TRANSACTION_NOT_OURS = "transaction_mismatch";

export type BindingRule = "reference" | "unclaimed_match";
export type BindingVerdict = { ok: true; rule: BindingRule } | { ok: false; reason: BindingRefusal };
export type BindingRefusal = "carries_another_reference" | "performed_before_payment" | "amount_or_currency_differs" | "unclaimed_not_collected";

export function bindingVerdict(payment: Pick<PaymentRow, "reference" | "amountMinor" | "currency" | "createdAt">, result: StatusResult): BindingVerdict {
  const claimed = result.claimedReference;
  if (typeof claimed === "string" && claimed !== "") {
    return claimed === payment.reference ? { ok: true, rule: "reference" } : { ok: false, reason: "carries_another_reference" };
  }
  // The answer names no reference (PROVIDERS.md §3.2's example carries "state": null). Only a
  // collected transaction may then be bound, by every other fact the provider reports: an
  // unclaimed failure must not fail a stranger's payment.
  if (result.status !== "paid") return { ok: false, reason: "unclaimed_not_collected" };
  if (!result.performedAt || result.performedAt.getTime() < payment.createdAt.getTime()) return { ok: false, reason: "performed_before_payment" };
  if (result.amountMinor !== payment.amountMinor || result.currency !== payment.currency) return { ok: false, reason: "amount_or_currency_differs" };
  // "Bound to no other payment" is the caller's question to the database (boundElsewhere), and
  // the unique index payments_one_collection_per_transaction settles any race.
  return { ok: true, rule: "unclaimed_match" };
}
