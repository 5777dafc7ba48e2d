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
  ],
};
const PROVIDERS = Object.keys(OPTIONS) as ProviderId[];

/** A checkout's way to pay: each provider as likely as the others. */
export function optionFor(n: number): Option {
  const options = OPTIONS[PROVIDERS[n % PROVIDERS.length]!];
  return options[Math.floor(n / PROVIDERS.length) % options.length]!;
}

/** Another way to pay for a merchant's order (a retry). */
export function retryOptionFor(merchant: Merchant, n: number): Option {
  const options = Object.values(OPTIONS).flat().filter((o) => o.merchant === merchant);
  return options[n % options.length]!;
}

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
  // Time, reconciliation, and the process dying.
  | { kind: "wait"; ms: number }
  | { kind: "reconcile" }
  | { kind: "crash"; target: CrashTarget; pick: Pick; after: number };

const pick = fc.nat({ max: 999 });
const wait = fc.record({ kind: fc.constant("wait" as const), ms: fc.constantFrom(...WAITS_MS) });

/**
 * Where the process dies: after how many statements of the work. Most of the work's boundaries
 * sit in its first few statements (a notification: triage, record, the check's bookkeeping, the
 * transition); a sweep runs longer. Past the work's end nothing dies (it completes).
 */
const crashPoint = fc.oneof({ weight: 3, arbitrary: fc.nat({ max: 8 }) }, { weight: 1, arbitrary: fc.nat({ max: 30 }) });

/** What one shopper does on order `order` after checking out: in order, with time passing between. */
const shopperStep = (order: number): fc.Arbitrary<Step> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant("pay" as const), order: fc.constant(order), outcome: pick }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("answerPhone" as const), order: fc.constant(order), approve: fc.boolean() }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant("return" as const), order: fc.constant(order) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("cancel" as const), order: fc.constant(order), atProvider: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("closeTab" as const), order: fc.constant(order) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("retry" as const), order: fc.constant(order), option: pick }) },
    { weight: 2, arbitrary: wait },
  );

const deliver = fc.record({ kind: fc.constant("deliver" as const), notification: pick, times: fc.constantFrom<1 | 2>(1, 2) });
const deliverAll = fc.constant({ kind: "deliverAll" as const });
const reconcile = fc.constant({ kind: "reconcile" as const });

/** Everyone else, at any moment: providers, attackers, the merchant, time, reconciliation, crashes. */
const otherStep: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: deliver },
  { weight: 6, arbitrary: deliverAll },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("tamper" as const), notification: pick, how: pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("forge" as const), order: pick, how: pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("crossReplay" as const), notification: pick, attempt: pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("fault" as const), order: pick, fault: fc.constantFrom(...FAULT_KINDS) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("stray" as const), amount: pick, names: fc.option(pick, { nil: null }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("present" as const), transaction: pick, attempt: pick }) },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant("refund" as const), payment: pick, amount: fc.constantFrom(...REFUND_AMOUNTS), times: fc.constantFrom<1 | 2 | 3>(1, 2, 3), sameKey: fc.boolean() }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("replay" as const), delivery: pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("resolve" as const), exception: pick, action: pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("recheck" as const), payment: pick }) },
  { weight: 3, arbitrary: wait },
  { weight: 4, arbitrary: reconcile },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("crash" as const), target: fc.constantFrom(...CRASH_TARGETS), pick, after: crashPoint }) },
);

/**
 * A provider outage, as one piece: a fault at the provider an order pays through, what happens
 * meanwhile (notifications arrive, reconciliation runs, time passes), and most often the recovery.
 * Drawn step by step, a fault and a delivery under it seldom meet.
 */
const outage: fc.Arbitrary<Step[]> = fc
  .tuple(
    pick,
    fc.constantFrom<FaultKind>("status5xx", "statusTimeout", "rateLimited", "omitAmount", "omitCurrency", "init5xx"),
    fc.array(fc.oneof({ weight: 3, arbitrary: deliverAll }, { weight: 2, arbitrary: deliver }, { weight: 1, arbitrary: reconcile }, { weight: 1, arbitrary: wait }), { minLength: 1, maxLength: 3 }),
    fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  )
  .map(([order, fault, meanwhile, recovers]): Step[] => [
    { kind: "fault", order, fault },
    ...meanwhile,
    ...(recovers ? [{ kind: "fault" as const, order, fault: "none" as const }] : []),
  ]);

const others = fc
  .array(fc.oneof({ weight: 6, arbitrary: otherStep.map((step) => [step]) }, { weight: 1, arbitrary: outage }), { minLength: 2, maxLength: 10 })
  .map((pieces) => pieces.flat());

const checkout = fc.record({ kind: fc.constant("checkout" as const), option: pick, quantity: fc.constantFrom<1 | 2>(1, 2) });

/**
 * A schedule: one to three shoppers check out (orders 0, 1, 2), then each shopper's own steps, in
 * their order, are interleaved at random with everyone else's. Shoppers' steps rarely compose
 * into a story when drawn one by one from the whole vocabulary (a cancel, then a late payment, of
 * the same payment); drawn per shopper, they do.
 */
export const scheduleArbitrary: fc.Arbitrary<Step[]> = fc
  .integer({ min: 1, max: 3 })
  .chain((shoppers) =>
    fc.tuple(
      fc.array(checkout, { minLength: shoppers, maxLength: shoppers }),
      fc.tuple(...Array.from({ length: shoppers }, (_, order) => fc.array(shopperStep(order), { minLength: 1, maxLength: 5 }))),
      others,
      fc.array(fc.nat(), { minLength: 20, maxLength: 20 }),
    ),
  )
  .map(([checkouts, journeys, others, choices]) => [...checkouts, ...interleave([...journeys, others], choices)]);

/** Merges queues, each kept in its own order, taking the next step from the queue `choices` names. */
function interleave(queues: Step[][], choices: number[]): Step[] {
  const left = queues.map((q) => [...q]);
  const out: Step[] = [];
  for (let i = 0; left.some((q) => q.length); i++) {
    const open = left.filter((q) => q.length);
    out.push(open[(choices[i % choices.length] ?? 0) % open.length]!.shift()!);
  }
  return out;
}

/** One line per step, for the trace a failure prints. */
export function describeStep(s: Step): string {
  const { kind, ...rest } = s;
  return `${kind} ${JSON.stringify(rest)}`;
}
