import { and, asc, desc, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import * as s from "@/db/schema";
import { recheckPayment } from "@/lib/dashboard/payment-actions";
import { replayNotification } from "@/lib/dashboard/queues";
import { randomToken } from "@/lib/ids";
import { PaymentError } from "@/lib/payments/errors";
import { resolveException } from "@/lib/payments/exception-actions";
import { loadException } from "@/lib/payments/exceptions";
import type { PaymentRow } from "@/lib/payments/handle";
import { refundPayment } from "@/lib/payments/refunds";
import { pick, type ScheduleState } from "./state";
import type { RefundAmount, Step } from "./steps";
import type { ScheduleWorld } from "./world";

/**
 * The merchant's side, through the functions behind the dashboard's buttons, as the seeded owner:
 * refunds (one, a double submit, two owners at once), replays of stored deliveries, exception
 * resolutions, re-checks.
 */

type StepOf<K extends Step["kind"]> = Extract<Step, { kind: K }>;

export const ownerOf = (world: ScheduleWorld, row: Pick<PaymentRow, "merchantId">) => world.owners[row.merchantId === world.merchants.demo ? "demo" : "autre"];

/** Any payment of the schedule's orders, second collections the app created included. */
export async function paymentOf(world: ScheduleWorld, state: ScheduleState, n: number): Promise<PaymentRow | undefined> {
  const rows = await world.paymentsOf(state.orders.map((o) => o.id));
  return pick(rows.sort((x, y) => x.id.localeCompare(y.id)), n);
}

function refundAmount(row: PaymentRow, amount: RefundAmount): number {
  const collected = row.paidAmountMinor ?? row.amountMinor;
  if (amount === "full") return collected;
  if (amount === "half") return Math.max(1, Math.floor(collected / 2));
  return amount === "one" ? 1 : collected + 1;
}

export async function refund(world: ScheduleWorld, state: ScheduleState, step: StepOf<"refund">): Promise<boolean> {
  const row = await paymentOf(world, state, step.payment);
  if (!row) return false;
  const key = randomToken(12);
  const owner = ownerOf(world, row);
  await Promise.all(
    Array.from({ length: step.times }, (_, i) =>
      refundPayment(world.deps(), {
        merchantId: row.merchantId,
        paymentId: row.id,
        amountMinor: refundAmount(row, step.amount),
        reason: "schedule",
        userId: owner.user.id,
        // The same key: one form submitted twice; another key: two owners at once.
        idempotencyKey: step.sameKey ? key : `${key}${i}`,
      }).catch((error: unknown) => {
        if (!(error instanceof PaymentError)) throw error;
      }),
    ),
  );
  if (step.sameKey) {
    // One intent, however often it is submitted, is one refund.
    const made = await world.database.db.$count(s.refunds, and(eq(s.refunds.paymentId, row.id), eq(s.refunds.idempotencyKey, key)));
    if (made > 1) state.unexpected.push(`one refund form of ${row.id} submitted ${step.times} times made ${made} refunds`);
  }
  return true;
}

/** Replays a stored delivery (forged ones included; delivery 0 is the latest logged); each replay must leave its event, and change no verdict. */
export async function replay(world: ScheduleWorld, state: ScheduleState, step: StepOf<"replay">): Promise<boolean> {
  const ids = (await world.paymentsOf(state.orders.map((o) => o.id))).map((p) => p.id);
  if (ids.length === 0) return false;
  const rows = await world.database.db.select().from(s.notifications).where(inArray(s.notifications.paymentId, ids)).orderBy(desc(s.notifications.receivedAt), asc(s.notifications.id));
  const delivery = pick(rows, step.delivery);
  if (!delivery?.paymentId) return false;
  const replays = () => world.database.db.$count(s.paymentEvents, and(eq(s.paymentEvents.paymentId, delivery.paymentId!), eq(s.paymentEvents.type, "replay")));
  const before = await replays();
  const result = await replayNotification(world.deps(), ownerOf(world, { merchantId: delivery.merchantId ?? "" }), { notificationId: delivery.id });
  const after = await replays();
  const replayed = result.ok || result.error === "replay_forged" || result.error === "provider_error";
  if (replayed && after !== before + 1) state.unexpected.push(`replay of ${delivery.id} left ${after - before} replay events, not 1`);
  return true;
}

/** An owner resolves an open exception with one of the actions it offers. */
export async function resolve(world: ScheduleWorld, state: ScheduleState, step: StepOf<"resolve">): Promise<boolean> {
  const orderIds = state.orders.map((o) => o.id);
  if (orderIds.length === 0) return false;
  const open = await world.database.db
    .select({ id: s.payments.id, merchantId: s.payments.merchantId })
    .from(s.payments)
    .where(and(inArray(s.payments.orderId, orderIds), isNotNull(s.payments.flag), isNull(s.payments.flagResolvedAt)))
    .orderBy(asc(s.payments.id));
  const target = pick(open, step.exception);
  const view = target && (await loadException(world.database.db, target.merchantId, target.id));
  const offer = view && pick(view.offers, step.action);
  if (!target || !offer) return false;
  const result = await resolveException(world.deps(), ownerOf(world, target), { paymentId: target.id, action: offer.action, token: randomToken(12), note: "decided during a schedule" });
  if (result.ok) {
    // A decision the app accepted closes the exception, saying what was done (issue 12 item 5).
    const [after] = await world.database.db.select({ at: s.payments.flagResolvedAt, how: s.payments.flagResolution }).from(s.payments).where(eq(s.payments.id, target.id));
    if (!after?.at || !after.how) state.unexpected.push(`resolving ${target.id}'s exception (${offer.action}) answered ${result.outcome} and left it ${after?.at ? "closed without a resolution" : "open"}`);
  }
  return true;
}

/** The owner switches the account an attempt was made through to live, or back to sandbox. */
export async function switchMode(world: ScheduleWorld, state: ScheduleState, step: StepOf<"switchMode">): Promise<boolean> {
  const attempt = pick(state.attempts, step.attempt);
  if (!attempt) return false;
  await world.switchMode(attempt.option.merchant, attempt.option.provider, step.live);
  return true;
}

export async function recheck(world: ScheduleWorld, state: ScheduleState, step: StepOf<"recheck">): Promise<boolean> {
  const row = await paymentOf(world, state, step.payment);
  if (!row) return false;
  await recheckPayment(world.deps(), ownerOf(world, row), { paymentId: row.id });
  return true;
}
