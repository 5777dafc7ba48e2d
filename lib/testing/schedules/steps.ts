import type { PaymentMethod, ProviderId } from "@/lib/payments/types";

/**
 * The vocabulary of a schedule: what shoppers, providers, merchants, time and crashes may do
 * (generate.ts draws schedules from it). Steps name what they act on by a number, taken modulo
 * what exists when the step runs (the third payment of a schedule with two is its first): a
 * schedule is plain data, generated and shrunk without a model of the world, and every step
 * always means something.
 */

export type Merchant = "demo" | "autre";

/** A way to pay that the seeded merchants offer (routing.ts decides the same for a shopper). */
export type Option = { merchant: Merchant; provider: ProviderId; method: PaymentMethod; flow: "hosted" | "push" };

/** Each provider's ways to pay (iPay is the Kenyan merchant's, the others the Ivorian one's). */
export const OPTIONS: Record<ProviderId, Option[]> = {
  cinetpay: [
    { merchant: "demo", provider: "cinetpay", method: "mtn", flow: "hosted" },
    { merchant: "demo", provider: "cinetpay", method: "wave", flow: "hosted" },
  ],
  "orange-money": [{ merchant: "demo", provider: "orange-money", method: "orange_money", flow: "hosted" }],
  kkiapay: [
    { merchant: "demo", provider: "kkiapay", method: "mtn", flow: "hosted" },
    { merchant: "demo", provider: "kkiapay", method: "moov", flow: "hosted" },
  ],
  ipay: [
    { merchant: "autre", provider: "ipay", method: "mpesa", flow: "hosted" },
    { merchant: "autre", provider: "ipay", method: "mpesa", flow: "push" },
    { merchant: "autre", provider: "ipay", method: "card", flow: "hosted" },
    { merchant: "autre", provider: "ipay", method: "airtel", flow: "hosted" },
  ],
};
export const PROVIDERS = Object.keys(OPTIONS) as ProviderId[];

/** A checkout's way to pay: `n` modulo the number of providers names the provider, the rest its method. */
export function optionFor(n: number): Option {
  const options = OPTIONS[PROVIDERS[n % PROVIDERS.length]!];
  return options[Math.floor(n / PROVIDERS.length) % options.length]!;
}

/** Another way to pay for a merchant's order (a retry). */
export function retryOptionFor(merchant: Merchant, n: number): Option {
  const options = Object.values(OPTIONS).flat().filter((o) => o.merchant === merchant);
  return options[n % options.length]!;
}

/**
 * A provider-side fault, switched on for the provider's account until another fault step or the
 * schedule's end. fractionalFees and answersWithoutMoney are no outage but the provider's way of
 * answering (KKiaPay's status answer with "fees": 28.5; answers that leave out the amount or the
 * currency, as noMoneyInAnswer does for a while): they stay on through later faults and the
 * healing, until the next schedule.
 */
export const FAULT_KINDS = ["none", "status5xx", "statusTimeout", "rateLimited", "init5xx", "initTimeout", "noMoneyInAnswer", "fractionalFees", "answersWithoutMoney"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Where a crash stops the process: a notification's handling, a shopper's return, a reconciliation sweep, a refund. */
export const CRASH_TARGETS = ["notification", "return", "sweep", "refund"] as const;
export type CrashTarget = (typeof CRASH_TARGETS)[number];

export const REFUND_AMOUNTS = ["full", "half", "one", "over"] as const;
export type RefundAmount = (typeof REFUND_AMOUNTS)[number];

/** Virtual time a wait step lets pass: around each threshold the app keeps (10 s throttle, 15 s × 2ⁿ backoff, 1 min lease, provider windows). */
export const WAITS_MS = [1_000, 11_000, 31_000, 61_000, 3 * 60_000, 11 * 60_000, 31 * 60_000, 65 * 60_000] as const;

type Pick = number;

/**
 * Shopper steps name an order (the shopper is on its latest attempt); merchant and crash steps any
 * payment of the schedule; provider steps a held notification, or an order whose provider they bend.
 */
export type Step =
  // The shopper.
  | { kind: "checkout"; option: Pick; quantity: 1 | 2 }
  | { kind: "retry"; order: Pick; option: Pick }
  | { kind: "pay"; order: Pick; outcome: Pick }
  | { kind: "answerPhone"; order: Pick; approve: boolean }
  | { kind: "return"; order: Pick }
  | { kind: "cancel"; order: Pick; atProvider: boolean }
  | { kind: "closeTab"; order: Pick }
  // The provider, and whoever pretends to be it.
  | { kind: "deliver"; notification: Pick; times: 1 | 2 }
  | { kind: "deliverAll" }
  | { kind: "tamper"; notification: Pick; how: Pick }
  | { kind: "forge"; order: Pick; how: Pick }
  | { kind: "crossReplay"; notification: Pick; attempt: Pick }
  | { kind: "fault"; order: Pick; fault: FaultKind }
  | { kind: "stray"; amount: Pick; names: Pick | null }
  | { kind: "present"; transaction: Pick; attempt: Pick }
  // The merchant.
  | { kind: "refund"; payment: Pick; amount: RefundAmount; times: 1 | 2 | 3; sameKey: boolean }
  | { kind: "replay"; delivery: Pick }
  | { kind: "resolve"; exception: Pick; action: Pick }
  | { kind: "recheck"; payment: Pick }
  /** The owner switches the account of an attempt's provider to live (its live keys typed in) or back to sandbox (issue 12 item 11). */
  | { kind: "switchMode"; attempt: Pick; live: boolean }
  // Time, reconciliation, and the process dying.
  | { kind: "wait"; ms: number }
  | { kind: "reconcile" }
  | { kind: "crash"; target: CrashTarget; pick: Pick; after: number };

/** One line per step, for the trace a failure prints. */
export function describeStep(s: Step): string {
  const { kind, ...rest } = s;
  return `${kind} ${JSON.stringify(rest)}`;
}
