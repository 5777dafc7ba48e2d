import type { PaymentStatus } from "@/lib/payments/types";

type Canonical = Exclude<PaymentStatus, "created">;

/**
 * The six opaque codes of the callback and the IPN (PROVIDERS.md §4.2). "less" is a failure for
 * us (an underpaid order is not paid); "more" is paid, and the service flags the overpayment.
 */
export const IPN_CODES: Record<string, { status: Canonical; meaning: string }> = {
  aei7p7yrx4ae34: { status: "paid", meaning: "success" },
  bdi6p2yy76etrs: { status: "pending", meaning: "pending: mobile money transaction not found yet" },
  fe2707etr5s4wq: { status: "failed", meaning: "failed: not all parameters fulfilled" },
  cr5i3pgy9867e1: { status: "failed", meaning: "used: transaction code already used" },
  dtfi4p7yty45wq: { status: "failed", meaning: "less: paid less than required" },
  eq3i7p5yt7645e: { status: "paid", meaning: "more: paid more than required" },
};

/** Unknown codes stay non-final: a later status check decides. */
export function statusFromCode(code: string): Canonical {
  return IPN_CODES[code]?.status ?? "pending";
}

/**
 * /transaction/search answers a finished-but-unpaid STK push with a 4xx and M-Pesa's words.
 * Only these three are final; "no payment record found" and "transaction was timed out" are not
 * (the shopper may still pay), so they read as pending.
 */
const TERMINAL_STK: { needle: string; code: string; fr: string; en: string }[] = [
  { needle: "canceled by the user", code: "stk_cancelled", fr: "Le paiement a été refusé sur le téléphone.", en: "The payment was declined on the phone." },
  { needle: "incorrect pin", code: "stk_wrong_pin", fr: "Code PIN M-Pesa incorrect.", en: "Incorrect M-Pesa PIN." },
  { needle: "balance is insufficient", code: "stk_insufficient_funds", fr: "Solde M-Pesa insuffisant.", en: "Insufficient M-Pesa balance." },
];

export type SearchFailure = { status: "failed"; failureCode: string; failureMessage: string; userMessage: { fr: string; en: string } } | { status: "pending" };

export function statusFromSearchMessage(message: string): SearchFailure {
  const lower = message.toLowerCase();
  const hit = TERMINAL_STK.find((t) => lower.includes(t.needle));
  return hit ? { status: "failed", failureCode: hit.code, failureMessage: message, userMessage: { fr: hit.fr, en: hit.en } } : { status: "pending" };
}

/** iPay's payment_mode words → ours. */
export function methodFromMode(mode: string | undefined): string | undefined {
  const upper = (mode ?? "").toUpperCase();
  if (upper.includes("MPESA") || upper.includes("M-PESA")) return "mpesa";
  if (upper.includes("AIRTEL")) return "airtel";
  if (/CARD|VISA|MASTER/.test(upper)) return "card";
  return undefined;
}
