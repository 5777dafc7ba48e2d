import { errorMessage } from "@/lib/log";
import { crash } from "./crash";
import { reconcileOnce, runToHorizon } from "./horizon";
import { recheck, refund, replay, resolve, switchMode } from "./merchant";
import { noteRejections, judge } from "./oracle";
import { watchCollections } from "./owed";
import { crossReplay, deliver, deliverAll, fault, forge, present, stray, tamper } from "./provider";
import { answerPhone, cancel, checkout, closeTab, pay, retry, returnToShop } from "./shopper";
import { collectNotifications, newState, type ScheduleState } from "./state";
import { describeStep, type Step } from "./steps";
import { STEP_MS, type ScheduleWorld } from "./world";

type Runner<S extends Step> = (world: ScheduleWorld, state: ScheduleState, step: S) => Promise<boolean>;

/** What each step does; false when it found nothing to act on (a pick in an empty pool). */
const RUNNERS: { [K in Step["kind"]]: Runner<Extract<Step, { kind: K }>> } = {
  checkout,
  retry,
  pay,
  answerPhone,
  return: returnToShop,
  cancel,
  closeTab,
  deliver,
  deliverAll,
  tamper,
  forge,
  crossReplay,
  fault,
  stray,
  present,
  refund,
  replay,
  resolve,
  recheck,
  switchMode,
  wait: async (world, _state, step) => {
    world.clock.at += step.ms;
    return true;
  },
  reconcile: async (world) => {
    await reconcileOnce(world.deps(), world);
    return true;
  },
  crash,
};

/** Steps after which a provider may have collected money (owed.ts watches), or Caisse rejected a delivery (oracle.ts holds it to that). */
const MAY_COLLECT = new Set<Step["kind"]>(["pay", "answerPhone", "stray"]);
const MAY_REJECT = new Set<Step["kind"]>(["deliver", "deliverAll", "tamper", "forge", "crossReplay", "crash"]);

/** Milliseconds spent per step kind and in the horizon's reconciliation, over the whole run (SCHEDULE_PROFILE=1 prints them). */
export const TIME_SPENT: Record<string, number> = {};
const timed = (what: string, began: number) => void (TIME_SPENT[what] = (TIME_SPENT[what] ?? 0) + performance.now() - began);

export type ScheduleOutcome = { steps: number; skipped: number; sweeps: number | null; violations: string[]; trace: string[] };

/**
 * Runs one schedule in the world: its steps in order (each taking a virtual second, plus what
 * wait steps let pass), then the providers heal and reconciliation runs past the horizon, and
 * the outcome is judged. The schedule's rows are then retired (world.retire).
 */
export async function runSchedule(world: ScheduleWorld, schedule: Step[]): Promise<ScheduleOutcome> {
  await world.begin();
  const state = await newState(world);
  for (const [i, step] of schedule.entries()) {
    let acted = true;
    const began = performance.now();
    try {
      acted = await (RUNNERS[step.kind] as Runner<Step>)(world, state, step);
    } catch (error) {
      state.unexpected.push(`step ${i} (${describeStep(step)}) threw: ${errorMessage(error)}`);
    }
    timed(step.kind, began);
    if (acted) state.executed += 1;
    else state.skipped += 1;
    state.trace.push(`${i}. ${describeStep(step)}${acted ? "" : "  (nothing to act on)"}`);
    await collectNotifications(world, state);
    if (MAY_COLLECT.has(step.kind)) await watchCollections(world, state);
    if (MAY_REJECT.has(step.kind)) await noteRejections(world, state);
    world.clock.at += STEP_MS;
  }
  await world.heal();
  const orderIds = state.orders.map((o) => o.id);
  const horizonBegan = performance.now();
  // Payments made live are asked about only at the live stand-in, which refuses every call: no horizon decides them (oracle.ts judges them apart).
  const sweeps = await runToHorizon(world, (await world.paymentsOf(orderIds)).filter((p) => p.mode === "sandbox").map((p) => p.id));
  timed("horizon", horizonBegan);
  const violations = await judge(world, state);
  if (sweeps === null) violations.push("reconciliation still found work falling due after its last sweep");
  await world.retire(orderIds);
  return { steps: state.executed, skipped: state.skipped, sweeps, violations, trace: state.trace };
}
