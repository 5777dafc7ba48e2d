import fc from "fast-check";
import { CRASH_TARGETS, FAULT_KINDS, PROVIDERS, REFUND_AMOUNTS, WAITS_MS, type FaultKind, type Step } from "./steps";

/** How schedules are drawn (fast-check arbitraries) from the vocabulary of steps.ts. */

const pick = fc.nat({ max: 999 });
const KKIAPAY_OPTION = PROVIDERS.indexOf("kkiapay");
const wait = fc.record({ kind: fc.constant("wait" as const), ms: fc.constantFrom(...WAITS_MS) });

/**
 * Where the process dies: after how many statements of the work. Most of the work's boundaries
 * sit in its first few statements (a notification: triage, record, the check's bookkeeping, the
 * transition); a sweep runs longer. Past the work's end nothing dies (it completes).
 */
const crashPoint = fc.oneof({ weight: 3, arbitrary: fc.nat({ max: 8 }) }, { weight: 1, arbitrary: fc.nat({ max: 30 }) });

const on = (order: number) => ({
  pay: fc.record({ kind: fc.constant("pay" as const), order: fc.constant(order), outcome: pick }),
  answer: fc.record({ kind: fc.constant("answerPhone" as const), order: fc.constant(order), approve: fc.boolean() }),
  back: fc.constant<Step>({ kind: "return", order }),
  cancel: fc.record({ kind: fc.constant("cancel" as const), order: fc.constant(order), atProvider: fc.boolean() }),
  closeTab: fc.constant<Step>({ kind: "closeTab", order }),
  retry: fc.record({ kind: fc.constant("retry" as const), order: fc.constant(order), option: pick }),
});

/**
 * A KKiaPay shopper pays and closes the tab, and the webhook, the only word Caisse gets of the
 * transaction, arrives while the status API is down; then the API recovers (issue 12 item 2: the
 * signed id must carry every later check). Drawn from separate steps, the three seldom meet.
 */
const webhookDuringOutage = (order: number): fc.Arbitrary<Step[]> =>
  fc.constantFrom<0 | 1>(0, 1).map((outcome): Step[] => [
    { kind: "pay", order, outcome },
    { kind: "closeTab", order },
    { kind: "fault", order, fault: "status5xx" },
    { kind: "deliverAll" },
    { kind: "fault", order, fault: "none" },
  ]);

/**
 * What a shopper does on their order after checking out, as the small sequences shoppers
 * actually go through: pay and come back (or close the tab), leave a prompt waiting and answer
 * it late, cancel (before or after paying), try another method; at KKiaPay, also pay while its
 * status API is down.
 */
const shopperAct = (order: number, provider: number): fc.Arbitrary<Step[]> => {
  const o = on(order);
  return fc.oneof(
    ...(provider === KKIAPAY_OPTION ? [{ weight: 2, arbitrary: webhookDuringOutage(order) }] : []),
    { weight: 5, arbitrary: fc.tuple(o.pay, o.back).map((xs) => [...xs]) },
    { weight: 2, arbitrary: fc.tuple(o.pay, o.closeTab).map((xs) => [...xs]) },
    { weight: 2, arbitrary: fc.tuple(o.pay, wait, o.answer, fc.option(o.back, { freq: 2 })).map(([p, w, a, b]) => [p, w, a, ...(b ? [b] : [])]) },
    { weight: 2, arbitrary: fc.tuple(o.pay, o.cancel, fc.option(o.answer, { freq: 2 })).map(([p, c, a]) => [p, c, ...(a ? [a] : [])]) },
    { weight: 1, arbitrary: fc.tuple(o.cancel, o.pay, fc.option(o.back, { freq: 2 })).map(([c, p, b]) => [c, p, ...(b ? [b] : [])]) },
    { weight: 1, arbitrary: fc.tuple(o.retry, o.pay, o.back).map((xs) => [...xs]) },
    { weight: 1, arbitrary: fc.oneof(o.pay, o.back, o.cancel, o.answer, wait).map((x) => [x]) },
  );
};

const deliver = fc.record({ kind: fc.constant("deliver" as const), notification: pick, times: fc.constantFrom<1 | 2>(1, 2) });
const deliverAll = fc.constant({ kind: "deliverAll" as const });
const reconcile = fc.constant({ kind: "reconcile" as const });
const refund = fc.record({ kind: fc.constant("refund" as const), payment: pick, amount: fc.constantFrom(...REFUND_AMOUNTS), times: fc.constantFrom<1 | 2 | 3>(1, 2, 3), sameKey: fc.boolean() });
const replay = fc.record({ kind: fc.constant("replay" as const), delivery: pick });
const resolve = fc.record({ kind: fc.constant("resolve" as const), exception: pick, action: pick });
/**
 * The merchant goes live while payments made in sandbox are open (issue 12 item 11: they are still
 * asked about in sandbox, with the sandbox keys), and sometimes back to sandbox later.
 */
const goLive: fc.Arbitrary<Step[]> = fc
  .tuple(pick, fc.boolean())
  .map(([attempt, back]): Step[] => [{ kind: "switchMode", attempt, live: true }, ...(back ? [{ kind: "switchMode" as const, attempt, live: false }] : [])]);

/**
 * A provider outage while a shopper pays, as one piece: a fault at the order's provider, what
 * happens meanwhile (notifications arrive, reconciliation runs, time passes), and most often the
 * recovery. Drawn step by step, a fault and a delivery under it seldom meet.
 */
const outage = (order: number): fc.Arbitrary<Step[]> =>
  fc
    .tuple(
      fc.oneof(
        { weight: 3, arbitrary: fc.constant<FaultKind>("status5xx") },
        { weight: 2, arbitrary: fc.constant<FaultKind>("noMoneyInAnswer") },
        { weight: 1, arbitrary: fc.constantFrom<FaultKind>("statusTimeout", "init5xx") },
        { weight: 1, arbitrary: fc.constant<FaultKind>("rateLimited") },
      ),
      fc.array(fc.oneof({ weight: 3, arbitrary: deliverAll }, { weight: 2, arbitrary: deliver }, { weight: 1, arbitrary: reconcile }, { weight: 1, arbitrary: wait }), { minLength: 1, maxLength: 3 }),
      fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    )
    .map(([fault, meanwhile, recovers]): Step[] => [
      { kind: "fault", order, fault },
      ...meanwhile,
      ...(fault === "rateLimited" ? rateLimitMet(order) : []),
      ...(recovers ? [{ kind: "fault" as const, order, fault: "none" as const }] : []),
    ]);

/**
 * Under a rate limit, reconciliation meets the 429 itself (issue 12 item 10): the provider's
 * notifications arrive (their checks meet the limit; their retries fall due with the order's
 * checks), the merchant's re-check buttons spend the account's minute, a sweep then has several
 * calls to make, and more sweeps follow every 12 s, within the minute the provider asked for (a
 * failed check is due again 15 or 30 s later). Steps drawn one by one seldom put a sweep after
 * the provider's few calls a minute are spent (none in the 50 schedules of CI's PGlite seed).
 */
const rateLimitMet = (order: number): Step[] => [
  { kind: "deliverAll" },
  { kind: "wait", ms: 31_000 },
  { kind: "recheck", payment: order },
  { kind: "recheck", payment: order },
  ...Array.from({ length: 4 }, (): Step[] => [{ kind: "reconcile" }, { kind: "wait", ms: 11_000 }]).flat(),
];

/** Once the shopper is done, the merchant acts: often after the provider's notifications came in. */
const merchantEpisode: fc.Arbitrary<Step[]> = fc
  .tuple(fc.boolean(), fc.array(fc.oneof({ weight: 3, arbitrary: refund }, { weight: 1, arbitrary: replay }, { weight: 1, arbitrary: resolve }), { minLength: 1, maxLength: 2 }))
  .map(([notified, acts]) => [...(notified ? [{ kind: "deliverAll" as const }] : []), ...acts]);

/**
 * One shopper's story: one or two of their acts; often a provider outage during it; sometimes the
 * merchant's acts on the payment afterwards.
 */
const journey = (order: number, provider: number): fc.Arbitrary<Step[]> =>
  fc
    .tuple(fc.array(shopperAct(order, provider), { minLength: 1, maxLength: 2 }), fc.option(outage(order), { freq: 2 }), fc.nat(), fc.option(merchantEpisode, { freq: 3 }))
    .map(([acts, during, at, afterwards]) => {
      const steps = acts.flat();
      // The outage comes after the shopper's first step, mostly: the provider's hiccup meets the payment's notifications.
      const cut = during ? 1 + (at % steps.length) : steps.length;
      return [...steps.slice(0, cut), ...(during ?? []), ...steps.slice(cut), ...(afterwards ?? [])];
    });

/**
 * Someone pays once at KKiaPay's widget with the merchant's public key and no reference, then puts
 * that transaction on orders' return URLs (issue 12 item 1): often on orders of their own, checked
 * out just before at the price they paid (the reproduction: two unpaid orders, one
 * transaction), else on the schedule's. `present`'s transaction 0 is the latest one opened, its
 * attempt 0 the latest KKiaPay attempt.
 */
const attack: fc.Arbitrary<Step[]> = fc
  .tuple(pick, fc.array(pick, { minLength: 1, maxLength: 3 }), fc.oneof({ weight: 2, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }), fc.constantFrom<1 | 2>(1, 2))
  .map(([amount, targets, ownOrders, quantity]): Step[] =>
    ownOrders
      ? [
          { kind: "checkout", option: KKIAPAY_OPTION, quantity },
          { kind: "checkout", option: KKIAPAY_OPTION, quantity },
          // STRAY_AMOUNTS (provider.ts) lists one order's price, then two's.
          { kind: "stray", amount: quantity - 1, names: null },
          { kind: "present", transaction: 0, attempt: 0 },
          { kind: "present", transaction: 0, attempt: 1 },
        ]
      : [{ kind: "stray", amount, names: null }, ...targets.map((attempt) => ({ kind: "present" as const, transaction: 0, attempt }))],
  );

/** Everyone else, at any moment: providers, attackers, the merchant, time, reconciliation, crashes. */
const OTHERS: fc.WeightedArbitrary<Step[]>[] = [
  { weight: 5, arbitrary: deliver.map((x) => [x]) },
  { weight: 5, arbitrary: deliverAll.map((x) => [x]) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("tamper" as const), notification: pick, how: pick }).map((x) => [x]) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("forge" as const), order: pick, how: pick }).map((x) => [x]) },
  // The merchant replays the delivery just logged, a forged one here (issue 12 item 7: it must stay rejected).
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("forge" as const), order: pick, how: pick }).map((x): Step[] => [x, { kind: "replay", delivery: 0 }]) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("crossReplay" as const), notification: pick, attempt: pick }).map((x) => [x]) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("fault" as const), order: pick, fault: fc.constantFrom(...FAULT_KINDS) }).map((x) => [x]) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("stray" as const), amount: pick, names: fc.option(pick, { nil: null }) }).map((x) => [x]) },
  { weight: 2, arbitrary: attack },
  { weight: 2, arbitrary: refund.map((x) => [x]) },
  { weight: 2, arbitrary: replay.map((x) => [x]) },
  { weight: 1, arbitrary: resolve.map((x) => [x]) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("recheck" as const), payment: pick }).map((x) => [x]) },
  { weight: 2, arbitrary: goLive },
  { weight: 3, arbitrary: wait.map((x) => [x]) },
  { weight: 3, arbitrary: reconcile.map((x) => [x]) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("crash" as const), target: fc.constantFrom(...CRASH_TARGETS), pick, after: crashPoint }).map((x) => [x]) },
];

/**
 * Swarm testing: each schedule draws from a random part of the vocabulary only, so what it does
 * draw comes often enough to meet (many crashes in one schedule, many replays in another) instead
 * of every kind once in a while everywhere.
 */
const others: fc.Arbitrary<Step[]> = fc
  .subarray(OTHERS, { minLength: 3 })
  .chain((enabled) => fc.array(fc.oneof(...enabled), { minLength: 1, maxLength: 7 }))
  .map((pieces) => pieces.flat());

/**
 * How the schedule's provider answers all along, in a third of schedules: without the money in
 * its status answers (issue 12 item 8: never paid on such an answer), or for KKiaPay also with
 * fractional fees (item 4: stored without failing the payment). An outage meets a payment's paid
 * answer only now and then; a way of answering meets every one.
 */
const quirk = (fault: FaultKind): Step[] => [{ kind: "fault", order: 0, fault }];
const quirks = (provider: number): fc.Arbitrary<Step[]> =>
  fc.oneof(
    { weight: provider === KKIAPAY_OPTION ? 4 : 2, arbitrary: fc.constant<Step[]>([]) },
    { weight: 1, arbitrary: fc.constant(quirk("answersWithoutMoney")) },
    ...(provider === KKIAPAY_OPTION ? [{ weight: 1, arbitrary: fc.constant(quirk("fractionalFees")) }] : []),
  );

/**
 * A schedule: one or two shoppers check out through one provider (orders 0 and 1), then each
 * shopper's story, kept in its order, is interleaved at random with everyone else's steps.
 * Stories drawn per shopper compose (a cancel, then the same payment approved late) where steps
 * drawn one by one from the whole vocabulary seldom would.
 */
/**
 * The provider a schedule's shoppers pay through. KKiaPay and iPay twice as often: KKiaPay's
 * transactions arrive from outside (the widget), so binding them, their second collections and
 * their lost ids hold most of the money path's rules; iPay has six outcomes to learn, and the
 * only unsigned callbacks.
 */
const FOCUS = fc.oneof(...PROVIDERS.map((provider, i) => ({ weight: provider === "kkiapay" || provider === "ipay" ? 2 : 1, arbitrary: fc.constant(i) })));

export const scheduleArbitrary: fc.Arbitrary<Step[]> = fc
  .tuple(FOCUS, fc.oneof({ weight: 3, arbitrary: fc.constant(1) }, { weight: 2, arbitrary: fc.constant(2) }))
  .chain(([provider, shoppers]) =>
    fc.tuple(
      fc.array(
        fc.record({ kind: fc.constant("checkout" as const), option: pick.map((n) => n * PROVIDERS.length + provider), quantity: fc.constantFrom<1 | 2>(1, 2) }),
        { minLength: shoppers, maxLength: shoppers },
      ),
      fc.tuple(...Array.from({ length: shoppers }, (_, order) => journey(order, provider))),
      others,
      fc.array(fc.nat(), { minLength: 24, maxLength: 24 }),
      quirks(provider),
    ),
  )
  .map(([checkouts, journeys, everyoneElse, choices, quirk]) => [...checkouts, ...quirk, ...interleave([...journeys, everyoneElse], choices)]);

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
