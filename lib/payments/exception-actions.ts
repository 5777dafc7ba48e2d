import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { merchants, payments, providerAccounts, refunds } from "@/db/schema";
import type { MerchantContext } from "@/lib/auth/membership";
import { can } from "@/lib/auth/permissions";
import { fieldErrorCodes, isPlainText, recordId } from "@/lib/validation";
import type { PaymentDeps } from "./accounts";
import { PaymentError } from "./errors";
import { CANCEL_CODE_ON_RESOLVE, EXCEPTION_ACTIONS, loadException, NOTE_REQUIRED, RESOLUTION_OF, type ExceptionAction, type ExceptionView, type Offer } from "./exceptions";
import { estimateFee } from "./fees";
import { now } from "./handle";
import { refundPayment, type RefundRequest } from "./refunds";
import { estimateSettlementDate } from "./settlement";
import { applyTransition } from "./transitions";
import { ProviderError } from "./types";
import { rowsOf } from "@/db/rows";

/**
 * Resolving an exception: owner only, scoped to the session's merchant, audited as a
 * payment_events row of type "exception", and exactly once.
 *
 * Order of work: the exception is *claimed* first (one conditional UPDATE that sets
 * flag_resolved_* where it is still open, with its event in the same statement), then the action
 * runs. Two owners, or one double click, race on that UPDATE and only one proceeds, so money is
 * never returned twice for one exception. If the action fails (the provider refuses, the payment
 * moved on), the claim is released and the exception is open again, with an event saying why.
 */

export type ExceptionOutcome = "refunded" | "refund_pending" | "refund_recorded" | "accepted" | "resolved" | "repeated";
export const EXCEPTION_OUTCOMES: readonly ExceptionOutcome[] = ["refunded", "refund_pending", "refund_recorded", "accepted", "resolved", "repeated"];

/** Same shape as the dashboard's ActionResult: error codes are translated under dashboardErrors. */
export type ExceptionResult =
  | { ok: true; outcome: ExceptionOutcome }
  | { ok: false; error: string; fieldErrors?: Record<string, string>; message?: { fr: string; en: string } };

const inputSchema = z.object({
  paymentId: recordId,
  action: z.enum(EXCEPTION_ACTIONS),
  // Rendered once per form: a double submit carries the same token, a new page a new one.
  token: z.string().regex(/^[A-Za-z0-9-]{16,64}$/, "token_invalid"),
  note: z.string().trim().max(500, "note_too_long").refine((v) => isPlainText(v, true), "invalid").default(""),
});

type Actor = { merchantId: string; userId: string; note: string; key: string };

export async function resolveException(deps: PaymentDeps, ctx: Pick<MerchantContext, "role" | "merchant" | "user">, input: unknown): Promise<ExceptionResult> {
  // Staff see the queue; whatever the browser sends, they never act on it.
  if (!can(ctx, "exceptions")) return { ok: false, error: "forbidden" };
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid_input", fieldErrors: fieldErrorCodes(parsed.error) };
  const { paymentId, action, token, note } = parsed.data;
  const actor: Actor = { merchantId: ctx.merchant.id, userId: ctx.user.id, note, key: `exception:${action}:${token}` };

  const exception = await loadException(deps.db, ctx.merchant.id, paymentId);
  if (!exception) return { ok: false, error: "not_found" };
  if (exception.flagResolvedAt) return alreadyResolved(deps.db, paymentId, actor.key);
  const offer = exception.offers.find((o) => o.action === action);
  if (!offer) return { ok: false, error: "action_unavailable" };
  if (NOTE_REQUIRED[action] && !note) return { ok: false, error: "invalid_input", fieldErrors: { note: "note_required" } };

  const claimedAt = await claim(deps.db, exception, offer, actor);
  if (!claimedAt) return alreadyResolved(deps.db, paymentId, actor.key);
  let outcome: ExceptionOutcome | { refused: string; message?: { fr: string; en: string } };
  try {
    outcome = await carryOut(deps, exception, offer, actor);
  } catch (error) {
    if (error instanceof PaymentError) outcome = { refused: error.code, message: error.userMessage };
    else if (error instanceof ProviderError) outcome = { refused: "provider_error" };
    else {
      await release(deps.db, exception, action, actor, claimedAt, "internal_error");
      throw error;
    }
  }
  if (typeof outcome === "object") {
    await release(deps.db, exception, action, actor, claimedAt, outcome.refused);
    return { ok: false, error: outcome.refused, ...(outcome.message ? { message: outcome.message } : {}) };
  }
  // A refund the provider could not make by API was recorded as manual: say so in the resolution.
  if (outcome === "refund_recorded" && action === "refund") {
    await deps.db.update(payments).set({ flagResolution: "refund_recorded" }).where(and(eq(payments.id, paymentId), sql`${payments.flagResolvedAt} = ${claimedAt}::timestamptz`));
  }
  return { ok: true, outcome };
}

/** The same form sent twice gets the first answer's success; anyone else's action came first. */
async function alreadyResolved(db: Db, paymentId: string, key: string): Promise<ExceptionResult> {
  const rows = await rowsOf(
    await db.execute(sql`
      select data->>'action' as action from payment_events
      where payment_id = ${paymentId} and type = 'exception' and data->>'key' = ${key}
      order by id desc limit 1`),
  );
  const last = rows[0] as { action: string } | undefined;
  return last && last.action !== "reopen" ? { ok: true, outcome: "repeated" } : { ok: false, error: "already_resolved" };
}

const amountOf = (offer: Offer) => ("amountMinor" in offer ? offer.amountMinor : null);

/**
 * Closes the exception if it is still open with the flag the person saw, and writes the
 * decision's event, in one statement. Returns the resolution time as PostgreSQL's text (exact to
 * the microsecond, for release), or null when someone else got there first.
 */
async function claim(db: Db, exception: ExceptionView, offer: Offer, actor: Actor): Promise<string | null> {
  const data = { action: offer.action, note: actor.note || null, amount: amountOf(offer), flag: exception.flag, key: actor.key };
  const rows = await rowsOf(
    await db.execute(sql`
      with claimed as (
        update payments
        set flag_resolved_at = now(), flag_resolution = ${RESOLUTION_OF[offer.action]}, flag_resolved_by = ${actor.userId},
            flag_note = ${actor.note || null}, updated_at = now()
        where id = ${exception.id} and merchant_id = ${actor.merchantId} and flag = ${exception.flag} and flag_resolved_at is null
        returning id, merchant_id, flag_resolved_at
      ), event as (
        insert into payment_events (payment_id, merchant_id, type, actor, data)
        select id, merchant_id, 'exception', ${`user:${actor.userId}`}, ${JSON.stringify(data)}::jsonb from claimed
        returning id
      )
      select flag_resolved_at::text as at, (select count(*) from event)::int as events from claimed`),
  );
  return (rows[0] as { at: string } | undefined)?.at ?? null;
}

/** Opens the exception again after its action failed, if the claim is still ours, and says why. */
async function release(db: Db, exception: ExceptionView, action: ExceptionAction, actor: Actor, claimedAt: string, error: string): Promise<void> {
  const data = { action: "reopen", note: null, amount: null, failed: action, error, flag: exception.flag, key: actor.key };
  await db.execute(sql`
    with released as (
      update payments
      set flag_resolved_at = null, flag_resolution = null, flag_resolved_by = null, flag_note = null, updated_at = now()
      where id = ${exception.id} and flag_resolved_at = ${claimedAt}::timestamptz and flag_resolved_by = ${actor.userId}
      returning id, merchant_id
    )
    insert into payment_events (payment_id, merchant_id, type, actor, data)
    select id, merchant_id, 'exception', ${`user:${actor.userId}`}, ${JSON.stringify(data)}::jsonb from released`);
}

async function carryOut(deps: PaymentDeps, exception: ExceptionView, offer: Offer, actor: Actor): Promise<ExceptionOutcome | { refused: string }> {
  switch (offer.action) {
    case "refund":
      return refund(deps, exception, offer.amountMinor, actor, false);
    case "record_refund":
      // Money our books never counted as collected is returned outside them: the exception's event records it.
      return offer.books ? refund(deps, exception, offer.amountMinor, actor, true) : "refund_recorded";
    case "accept":
      return acceptUnderpayment(deps, exception, offer.amountMinor, actor);
    case "resolve":
      if (offer.cancels) {
        // Not applied means the payment reached a final status meanwhile: nothing is left to close.
        await applyTransition(deps.db, {
          paymentId: exception.id,
          to: "cancelled",
          actor: `user:${actor.userId}`,
          patch: { failureCode: CANCEL_CODE_ON_RESOLVE[exception.flag], failureMessage: actor.note, nextCheckAt: null },
          data: { exception: exception.flag },
        });
      }
      return "resolved";
  }
}

async function refund(deps: PaymentDeps, exception: ExceptionView, amountMinor: number, actor: Actor, manual: boolean): Promise<ExceptionOutcome> {
  // idempotencyKey and manual: the refund core's options (a double submit finds its first refund; a manual record never calls the API).
  const request: RefundRequest & { idempotencyKey: string; manual: boolean } = {
    merchantId: actor.merchantId,
    paymentId: exception.id,
    amountMinor,
    reason: actor.note || exception.flag,
    userId: actor.userId,
    idempotencyKey: actor.key,
    manual,
  };
  const result = await refundPayment(deps, request);
  if (result.kind === "manual") return "refund_recorded";
  const [row] = await deps.db.select({ status: refunds.status }).from(refunds).where(eq(refunds.id, result.refundId));
  return row?.status === "pending" ? "refund_pending" : "refunded";
}

/**
 * The payment becomes paid with what was received as its collected amount: fee, net and
 * settlement date computed on that amount, as a status check computes them for a full payment.
 * The transition also marks the order paid.
 */
async function acceptUnderpayment(deps: PaymentDeps, exception: ExceptionView, receivedMinor: number, actor: Actor): Promise<ExceptionOutcome | { refused: string }> {
  const [contract] = await deps.db
    .select({ feeRateBps: providerAccounts.feeRateBps, feeFixedMinor: providerAccounts.feeFixedMinor, settlementDelayDays: providerAccounts.settlementDelayDays, timeZone: merchants.timeZone })
    .from(providerAccounts)
    .innerJoin(payments, and(eq(payments.merchantId, providerAccounts.merchantId), eq(payments.provider, providerAccounts.provider)))
    .innerJoin(merchants, eq(merchants.id, providerAccounts.merchantId))
    .where(eq(payments.id, exception.id));
  if (!contract) return { refused: "provider_unavailable" };
  const at = now(deps);
  const fee = estimateFee(receivedMinor, contract);
  const outcome = await applyTransition(deps.db, {
    paymentId: exception.id,
    to: "paid",
    actor: `user:${actor.userId}`,
    patch: {
      paidAmountMinor: receivedMinor,
      feeEstimatedMinor: fee,
      netMinor: receivedMinor - fee,
      settlementDate: estimateSettlementDate(at, contract.settlementDelayDays, contract.timeZone),
      paidAt: at,
      nextCheckAt: null,
    },
    data: { exception: exception.flag, accepted: receivedMinor },
  });
  if (outcome.applied) return "accepted";
  return { refused: outcome.reason === "order_already_paid" ? "order_already_paid" : "not_acceptable" };
}

