/**
 * iPay's vocabulary, as the provider speaks it: the six opaque status codes of the callback and
 * the IPN (PROVIDERS.md §4.2), and the M-Pesa STK messages /transaction/search answers with.
 */
export const IPN_CODES = {
  paid: "aei7p7yrx4ae34",
  pending: "bdi6p2yy76etrs",
  failed: "fe2707etr5s4wq",
  used: "cr5i3pgy9867e1",
  less: "dtfi4p7yty45wq",
  more: "eq3i7p5yt7645e",
} as const;

/** What the tester may pick on the hosted checkout. */
export const HOSTED_OUTCOMES = ["paid", "pending", "failed", "less", "more", "used"] as const;
export type HostedOutcome = (typeof HOSTED_OUTCOMES)[number];

/** How an STK push can end without a payment, with the message iPay relays from M-Pesa. */
export const STK_FAILURES = {
  cancelled: "The request was canceled by the user",
  wrong_pin: "Incorrect pin has been entered",
  insufficient: "The User Wallet balance is insufficient for the transaction",
  // Not final for M-Pesa: the shopper may still pay later, so integrators keep polling.
  timed_out: "The transaction was timed out",
} as const;
export type StkFailure = keyof typeof STK_FAILURES;

/**
 * The simulator's own lifecycle, stored in sandbox_transactions.status. "initiated" is a session
 * nobody paid yet; "awaiting_pin" an STK push on a phone; the rest are outcomes.
 */
export type SimStatus = "initiated" | "awaiting_pin" | HostedOutcome | StkFailure | "refunded" | "partially_refunded";

/** Statuses under which /transaction/search has a payment record to show. */
export const PAID_STATUSES: readonly SimStatus[] = ["paid", "less", "more", "refunded", "partially_refunded"];

/** Sessions that may still be paid (a second attempt on the same oid reuses them). */
export const OPEN_STATUSES: readonly SimStatus[] = ["initiated", "awaiting_pin", "pending", "failed", "used", "cancelled", "wrong_pin", "insufficient", "timed_out"];

export const CHANNELS = {
  mpesa: { flag: "mpesa", wire: "MPESA" },
  airtel: { flag: "airtel", wire: "AIRTEL" },
  card: { flag: "creditcard", wire: "CREDITCARD" },
} as const;
export type Channel = keyof typeof CHANNELS;

/** The paybill every demo session shows; /transact's response hash covers it. */
export const PAYBILL = "510800";
