/**
 * The six opaque codes of the callback and the IPN (PROVIDERS.md §4.2), by what they say about
 * the attempt the callback describes.
 */
export const IPN_CODES = {
  aei7p7yrx4ae34: "paid",
  bdi6p2yy76etrs: "pending", // mobile money transaction not found yet
  fe2707etr5s4wq: "failed", // not all parameters fulfilled
  cr5i3pgy9867e1: "used", // transaction code already used
  dtfi4p7yty45wq: "less", // paid less than required
  eq3i7p5yt7645e: "more", // paid more than required
} as const;

export type IpnOutcome = (typeof IPN_CODES)[keyof typeof IPN_CODES];

export function ipnOutcome(code: string): IpnOutcome | undefined {
  return Object.hasOwn(IPN_CODES, code) ? IPN_CODES[code as keyof typeof IPN_CODES] : undefined;
}

/**
 * What the IPN may add to a search that found no payment: how this attempt ended, for the
 * shopper. Never a status: iPay answers "failed" for ids it never issued, so an unsigned callback
 * with made-up ids would otherwise fail a payment still being paid; and paid/less/more without
 * a search record carry no amount we can believe (`mc` is the callback's, unsigned).
 */
export function attemptOutcomeOf(outcome: IpnOutcome): "failed" | "used" | undefined {
  return outcome === "failed" || outcome === "used" ? outcome : undefined;
}

/**
 * /transaction/search answers a finished-but-unpaid STK push with a 4xx and M-Pesa's words.
 * Only these three are final; "no payment record found" and "transaction was timed out" are not
 * (the shopper may still pay), so they read as pending; a timed-out prompt is still worth telling
 * the shopper, who may ask for another.
 */
const TERMINAL_STK: { needle: string; code: string; fr: string; en: string }[] = [
  { needle: "canceled by the user", code: "stk_cancelled", fr: "Le paiement a été refusé sur le téléphone.", en: "The payment was declined on the phone." },
  { needle: "incorrect pin", code: "stk_wrong_pin", fr: "Code PIN M-Pesa incorrect.", en: "Incorrect M-Pesa PIN." },
  { needle: "balance is insufficient", code: "stk_insufficient_funds", fr: "Solde M-Pesa insuffisant.", en: "Insufficient M-Pesa balance." },
];

/** The failure codes a finished STK push is recorded with. */
export const STK_FAILURE_CODES = TERMINAL_STK.map((t) => t.code);

export type SearchFailure =
  | { status: "failed"; failureCode: string; failureMessage: string; userMessage: { fr: string; en: string } }
  | { status: "pending"; attemptOutcome?: "timed_out" };

export function statusFromSearchMessage(message: string): SearchFailure {
  const lower = message.toLowerCase();
  const hit = TERMINAL_STK.find((t) => lower.includes(t.needle));
  if (hit) return { status: "failed", failureCode: hit.code, failureMessage: message, userMessage: { fr: hit.fr, en: hit.en } };
  return lower.includes("timed out") ? { status: "pending", attemptOutcome: "timed_out" } : { status: "pending" };
}

/** iPay's payment_mode words → ours. */
export function methodFromMode(mode: string | undefined): string | undefined {
  const upper = (mode ?? "").toUpperCase();
  if (upper.includes("MPESA") || upper.includes("M-PESA")) return "mpesa";
  if (upper.includes("AIRTEL")) return "airtel";
  if (/CARD|VISA|MASTER/.test(upper)) return "card";
  return undefined;
}
