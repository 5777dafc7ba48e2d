import fc from "fast-check";
import type { PaymentMethod, ProviderId } from "@/lib/payments/types";

/**
 * The vocabulary of a schedule: what shoppers, providers, merchants, time and crashes may do.
 * Steps name what they act on by a number (`pick`), taken modulo what exists when the step runs
 * (the third payment of a schedule with two is its first): a schedule is plain data, generated
 * and shrunk without a model of the world, and every step always means something.
 */

export type Merchant = "demo" | "autre";

/** A way to pay that the seeded merchants offer (routing.ts decides the same for a shopper). */
export type Option = { merchant: Merchant; provider: ProviderId; method: PaymentMethod; flow: "hosted" | "push" };

export const OPTIONS: Record<Merchant, Option[]> = {
  demo: [
    { merchant: "demo", provider: "cinetpay", method: "mtn", flow: "hosted" },
    { merchant: "demo", provider: "orange-money", method: "orange_money", flow: "hosted" },
    { merchant: "demo", provider: "kkiapay", method: "mtn", flow: "hosted" },
    { merchant: "demo", provider: "kkiapay", method: "moov", flow: "hosted" },
  ],
  autre: [
    { merchant: "autre", provider: "ipay", method: "mpesa", flow: "hosted" },
    { merchant: "autre", provider: "ipay", method: "mpesa", flow: "push" },
    { merchant: "autre", provider: "ipay", method: "card", flow: "hosted" },
  ],
};

/** A provider-side fault, switched on for the provider's account until another fault step or the schedule's end. */
export const FAULT_KINDS = ["none", "status5xx", "statusTimeout", "rateLimited", "init5xx", "initTimeout", "omitAmount", "omitCurrency"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Where a crash stops the process: a notification's handling, a shopper's return, a reconciliation sweep, a refund. */
export const CRASH_TARGETS = ["notification", "return", "sweep", "refund"] as const;
export type CrashTarget = (typeof CRASH_TARGETS)[number];

export const REFUND_AMOUNTS = ["full", "half", "one", "over"] as const;
export type RefundAmount = (typeof REFUND_AMOUNTS)[number];

/** Virtual time a wait step lets pass: around each threshold the app keeps (10 s throttle, 15 s × 2ⁿ backoff, 1 min lease, provider windows). */
export const WAITS_MS = [1_000, 11_000, 31_000, 61_000, 3 * 60_000, 11 * 60_000, 31 * 60_000, 65 * 60_000] as const;

type Pick = number;

export type Step =
  // The shopper.
  | { kind: "checkout"; merchant: Merchant; option: Pick; quantity: 1 | 2 }
  | { kind: "retry"; order: Pick; option: Pick }
  | { kind: "pay"; attempt: Pick; outcome: Pick }
  | { kind: "answerPhone"; attempt: Pick; approve: boolean }
  | { kind: "return"; attempt: Pick }
  | { kind: "cancel"; attempt: Pick; atProvider: boolean }
  | { kind: "closeTab"; attempt: Pick }
  // The provider, and whoever pretends to be it.
  | { kind: "deliver"; notification: Pick; times: 1 | 2 }
  | { kind: "deliverAll" }
  | { kind: "tamper"; notification: Pick; how: Pick }
  | { kind: "forge"; attempt: Pick; how: Pick }
  | { kind: "crossReplay"; notification: Pick; attempt: Pick }
  | { kind: "fault"; provider: ProviderId; fault: FaultKind }
  | { kind: "stray"; amount: Pick; names: Pick | null }
  | { kind: "present"; transaction: Pick; attempt: Pick }
  // The merchant.
  | { kind: "refund"; attempt: Pick; amount: RefundAmount; times: 1 | 2 | 3; sameKey: boolean }
  | { kind: "replay"; delivery: Pick }
  | { kind: "resolve"; exception: Pick; action: Pick }
  | { kind: "recheck"; attempt: Pick }
  // Time, reconciliation, and the process dying.
  | { kind: "wait"; ms: number }
  | { kind: "reconcile" }
  | { kind: "crash"; target: CrashTarget; pick: Pick; after: number };

const pick = fc.nat({ max: 999 });
const merchant = fc.constantFrom<Merchant>("demo", "autre");

const checkout = fc.record({ kind: fc.constant("checkout" as const), merchant, option: pick, quantity: fc.constantFrom<1 | 2>(1, 2) });

/** Longest crash point tried: the handlers run fewer statements than this, so some crashes never happen (the work completes). */
const MAX_CRASH_AFTER = 24;

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: checkout },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("retry" as const), order: pick, option: pick }) },
  { weight: 10, arbitrary: fc.record({ kind: fc.constant("pay" as const), attempt: pick, outcome: pick }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("answerPhone" as const), attempt: pick, approve: fc.boolean() }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("return" as const), attempt: pick }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("cancel" as const), attempt: pick, atProvider: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("closeTab" as const), attempt: pick }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("deliver" as const), notification: pick, times: fc.constantFrom<1 | 2>(1, 2) }) },
  { weight: 6, arbitrary: fc.constant({ kind: "deliverAll" as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("tamper" as const), notification: pick, how: pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("forge" as const), attempt: pick, how: pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("crossReplay" as const), notification: pick, attempt: pick }) },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant("fault" as const), provider: fc.constantFrom<ProviderId>("cinetpay", "orange-money", "kkiapay", "ipay"), fault: fc.constantFrom(...FAULT_KINDS) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("stray" as const), amount: pick, names: fc.option(pick, { nil: null }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("present" as const), transaction: pick, attempt: pick }) },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant("refund" as const), attempt: pick, amount: fc.constantFrom(...REFUND_AMOUNTS), times: fc.constantFrom<1 | 2 | 3>(1, 1, 2, 3), sameKey: fc.boolean() }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("replay" as const), delivery: pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("resolve" as const), exception: pick, action: pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("recheck" as const), attempt: pick }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("wait" as const), ms: fc.constantFrom(...WAITS_MS) }) },
  { weight: 4, arbitrary: fc.constant({ kind: "reconcile" as const }) },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant("crash" as const), target: fc.constantFrom(...CRASH_TARGETS), pick, after: fc.nat({ max: MAX_CRASH_AFTER }) }),
  },
);

/** A schedule: a checkout or two first (so most steps have a payment to act on), then anything. */
export const scheduleArbitrary: fc.Arbitrary<Step[]> = fc
  .tuple(fc.array(checkout, { minLength: 1, maxLength: 2 }), fc.array(step, { minLength: 4, maxLength: 18 }))
  .map(([first, rest]) => [...first, ...rest]);

/** One line per step, for the trace a failure prints. */
export function describeStep(s: Step): string {
  const { kind, ...rest } = s;
  return `${kind} ${JSON.stringify(rest)}`;
}
