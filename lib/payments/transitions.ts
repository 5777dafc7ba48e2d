import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { paymentEvents, payments } from "@/db/schema";
import { paidOrderMessagesSql } from "@/lib/mail/paid-order";
import { shortageData, SOLD_OUT_FLAG, takeStockCtes } from "@/lib/products/stock";
import { paymentSnapshot, webhookEventSql, type WebhookEventType } from "@/lib/webhooks/events";
import type { PaymentStatus } from "./types";
import { rowsOf } from "@/db/rows";

/**
 * The status graph. Nothing else in Caisse changes a payment's status: every move is one
 * conditional UPDATE (the row must still be in an allowed predecessor state) plus an event row,
 * in one transaction, so concurrent notifications and reconciliation can race freely.
 */
const NEXT: Record<PaymentStatus, readonly PaymentStatus[]> = {
  created: ["pending", "waiting_for_customer", "paid", "failed", "cancelled", "expired"],
  pending: ["waiting_for_customer", "paid", "failed", "cancelled", "expired"],
  // WAITING_FOR_CUSTOMER is never a failure: it may go back to pending (Orange: confirmed, processing).
  waiting_for_customer: ["pending", "paid", "failed", "cancelled", "expired"],
  paid: ["partially_refunded", "refunded"],
  partially_refunded: ["partially_refunded", "refunded"],
  // Money the provider confirms after we gave up on an attempt (a late notification, a prompt
  // approved after the shopper pressed cancel) still lands: the payment is collected.
  failed: ["paid"],
  cancelled: ["paid"],
  expired: ["paid"],
  refunded: [],
};

export function canTransition(from: PaymentStatus, to: PaymentStatus): boolean {
  return NEXT[from].includes(to);
}

export function predecessorsOf(to: PaymentStatus): PaymentStatus[] {
  return (Object.keys(NEXT) as PaymentStatus[]).filter((from) => NEXT[from].includes(to));
}

export function isFinal(status: PaymentStatus): boolean {
  return !["created", "pending", "waiting_for_customer"].includes(status);
}

type PaymentPatch = Partial<
  Pick<
    typeof payments.$inferInsert,
    | "providerReference"
    | "providerReferenceRule"
    | "attemptOutcome"
    | "failureCode"
    | "failureMessage"
    | "feeReportedMinor"
    | "feeEstimatedMinor"
    | "netMinor"
    | "settlementDate"
    | "settlementReported"
    | "paidAt"
    | "paidAmountMinor"
    | "method"
    | "flag"
    | "nextCheckAt"
  >
>;

export type TransitionRequest = {
  paymentId: string;
  to: PaymentStatus;
  actor: string;
  patch?: PaymentPatch;
  data?: Record<string, unknown>;
  /** Leave the order as it is (a refund of an overpayment's excess: the order was paid in full). */
  keepOrder?: boolean;
};

export type TransitionOutcome =
  | { applied: true; from: PaymentStatus; to: PaymentStatus }
  /** The payment was not in a state that may move to `to` (already final, a duplicate, a late event). */
  | { applied: false; reason: "not_allowed" | "not_found"; current?: PaymentStatus }
  /** Another payment already collected this order: the database refused a second one. */
  | { applied: false; reason: "order_already_paid"; current: PaymentStatus }
  /** Another payment already collected this provider transaction: the database refused it. */
  | { applied: false; reason: "transaction_already_collected"; current: PaymentStatus };

const ORDER_STATUS_FOR: Partial<Record<PaymentStatus, "paid" | "partially_refunded" | "refunded">> = {
  paid: "paid",
  partially_refunded: "partially_refunded",
  refunded: "refunded",
};

/** The webhook event a move reports (lib/webhooks): a partial refund is a payment.refunded too, its status tells. */
const WEBHOOK_EVENT_FOR: Partial<Record<PaymentStatus, WebhookEventType>> = {
  paid: "payment.paid",
  failed: "payment.failed",
  partially_refunded: "payment.refunded",
  refunded: "payment.refunded",
};

/** Column name of a payments field, as drizzle's snake_case casing writes it. */
const column = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
/** Raw SQL parameters bypass drizzle's column mappers: dates travel as ISO strings on both drivers. */
const param = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

/**
 * One statement (so one round trip, atomic on its own): lock the row, move it only from an
 * allowed predecessor, and — only if it moved — append the transition event and update the
 * order. Under READ COMMITTED the lock re-reads a row changed concurrently and the UPDATE
 * re-checks its status, exactly as the SELECT … FOR UPDATE then UPDATE of a transaction would.
 *
 * The move that pays the order also takes its products' stock (lib/products/stock.ts) in this
 * same statement: the order moves to paid exactly once, so stock is taken exactly once. Whether
 * the order moves is decided from the locked row before the payment's UPDATE (`order_moves`),
 * because that UPDATE must already know whether units were short, to raise the exception on the
 * payment (a row is updated once per statement).
 */
export async function applyTransition(db: Db, req: TransitionRequest): Promise<TransitionOutcome> {
  const allowedFrom = predecessorsOf(req.to);
  const orderStatus = ORDER_STATUS_FOR[req.to];
  const paying = req.to === "paid";
  const patch = Object.entries(req.patch ?? {}).filter(([, value]) => value !== undefined);
  const patchFlag = patch.find(([key]) => key === "flag");
  // The flag the payment will carry, as the UPDATE leaves it: the patch's, else the one it has.
  const flagAfter = (row: string) => (patchFlag ? sql`${patchFlag[1]}::text` : sql.raw(`${row}.flag`));
  const assignments = patch
    .filter(([key]) => !(paying && key === "flag"))
    .map(([key, value]) => sql`${sql.identifier(column(key))} = ${param(value)}`);
  if (paying) {
    // Paid with units short (another order took the last ones): an exception for the merchant,
    // unless the payment carries one already (a payment holds one at a time; the flag event
    // still records the shortage). A resolved one (an accepted underpayment) gives way.
    const raise = sql`(select yes from raise)`;
    // A new flag is a new exception, open: the person closed the old one (a cancelled attempt's
    // mismatch), not the double payment or overpayment it has become.
    const opens = patchFlag ? sql`(${raise} or ${patchFlag[1]}::text is distinct from payments.flag)` : raise;
    assignments.push(sql`flag = case when ${raise} then ${SOLD_OUT_FLAG} else ${flagAfter("payments")} end`);
    for (const resolution of ["flag_resolved_at", "flag_resolution", "flag_resolved_by", "flag_note"]) {
      assignments.push(sql`${sql.identifier(resolution)} = case when ${opens} then null else ${sql.identifier(resolution)} end`);
    }
  }
  const set = sql.join([...assignments, sql`status = ${req.to}::payment_status`, sql`updated_at = now()`], sql`, `);
  const allowed = allowedFrom.length > 0 ? sql.join(allowedFrom.map((status) => sql`${status}::payment_status`), sql`, `) : sql`null`;
  const paidAtValue = param(req.patch?.paidAt ?? new Date());
  const paidAt = paying ? sql`, paid_at = ${paidAtValue}` : sql``;
  const stock = paying
    ? sql`${takeStockCtes}, raise as (
        select exists (select 1 from short) and (${flagAfter("b")} is null or ${patchFlag ? sql`false` : sql`b.flag_resolved_at is not null`}) as yes
        from before b
      ), sold_out_event as (
        insert into payment_events (payment_id, merchant_id, type, actor, data)
        select b.id, b.merchant_id, 'flag', ${req.actor}::text, ${shortageData}
        from before b where exists (select 1 from short)
        returning id
      ),`
    : sql``;
  // The receipt and the merchants' alerts are written by this statement: a paid order always has
  // them, a transition that did not happen never does.
  const paidMail = paying && !req.keepOrder ? sql`, ${paidOrderMessagesSql(sql.raw("order_moved"), sql`(select id from before)`)}` : sql``;
  // The merchant's webhooks too (the outbox): the move's event, and an exception the move opened
  // (a new flag, or one a person had resolved that is raised again).
  const webhookType = WEBHOOK_EVENT_FOR[req.to];
  const webhooks = sql`${
    webhookType ? sql`, ${webhookEventSql("payment_webhook", webhookType, "payment", sql`select m.merchant_id, m.mode, ${paymentSnapshot("m")} as snapshot from moved m`)}` : sql``
  }, ${webhookEventSql(
    "exception_webhook",
    "exception.opened",
    "payment",
    sql`select m.merchant_id, m.mode, ${paymentSnapshot("m")} as snapshot from moved m join before b on b.id = m.id
        where m.flag is not null and m.flag_resolved_at is null and (b.flag is distinct from m.flag or b.flag_resolved_at is not null)`,
  )}`;
  // An API checkout session whose order this move pays is complete: its event, in the same statement.
  const sessionWebhook =
    paying && !req.keepOrder
      ? sql`, ${webhookEventSql(
          "session_webhook",
          "checkout.session.completed",
          "checkout_session",
          sql`select cs.merchant_id, cs.mode, to_jsonb(cs) || jsonb_build_object('payment_id', (select id from before), 'completed_at', ${paidAtValue}::timestamptz) as snapshot
              from checkout_sessions cs where cs.order_id in (select id from order_moved)`,
        )}`
      : sql``;
  try {
    const result = await db.execute(sql`
      with before as (
        select id, status, order_id, merchant_id, flag, flag_resolved_at from payments where id = ${req.paymentId} for update
      ), order_moves as (
        select b.order_id from before b
        where ${orderStatus && !req.keepOrder ? sql`true` : sql`false`} and b.status in (${allowed})
          -- A second payment of an order (flagged double_payment) never moves the order: its
          -- refund must not mark the order refunded, and it takes no stock.
          and ${flagAfter("b")} is distinct from 'double_payment'
      ), ${stock} moved as (
        update payments set ${set}
        where id = (select id from before) and status in (${allowed})
        returning *
      ), event as (
        insert into payment_events (payment_id, merchant_id, type, from_status, to_status, actor, data)
        select b.id, b.merchant_id, 'transition', b.status, ${req.to}::payment_status, ${req.actor}::text, ${JSON.stringify(req.data ?? {})}::jsonb
        from before b where exists (select 1 from moved)
        returning id
      ), order_moved as (
        update orders set status = ${orderStatus ?? null}::order_status${paidAt}, updated_at = now()
        where id = (select order_id from order_moves)
        returning id
      )${paidMail}${webhooks}${sessionWebhook}
      select b.status::text as status, exists (select 1 from moved) as applied,
             (select count(*) from event)::int as events, (select count(*) from order_moved)::int as orders
      from before b`);
    const rows = rowsOf<{ status: PaymentStatus; applied: boolean }>(result);
    const [before] = rows;
    if (!before) return { applied: false, reason: "not_found" };
    if (!before.applied) return { applied: false, reason: "not_allowed", current: before.status };
    return { applied: true, from: before.status, to: req.to };
  } catch (error) {
    for (const [constraint, reason] of [
      ["payments_one_collected_per_order", "order_already_paid"],
      ["payments_one_collection_per_transaction", "transaction_already_collected"],
    ] as const) {
      if (!uniqueViolation(error, constraint)) continue;
      const [row] = await db.select({ status: payments.status }).from(payments).where(eq(payments.id, req.paymentId));
      return { applied: false, reason, current: row?.status ?? "pending" };
    }
    throw error;
  }
}

export type PaymentEvent = { paymentId: string; merchantId: string; type: string; actor: string; data?: Record<string, unknown> };

/** The insert of an event that is not a status change, unsent: for writeTogether beside other writes. */
export function eventInsert(db: Db, event: PaymentEvent) {
  return db.insert(paymentEvents).values({ ...event, data: event.data ?? {} });
}

/** Appends an event that is not a status change (init, notification, status check, flag…). */
export async function recordEvent(db: Db, event: PaymentEvent): Promise<void> {
  await eventInsert(db, event);
}

/**
 * Marks a payment for a person to look at (an open exception), without moving its status.
 * Whether it changed anything: the same flag again (every re-check of a disagreeing payment)
 * neither writes nor reopens an exception a person already resolved.
 */
export async function flagPayment(db: Db, paymentId: string, flag: string, extra: { paidAmountMinor?: number } = {}): Promise<boolean> {
  const paidAmount = extra.paidAmountMinor !== undefined ? sql`, paid_amount_minor = ${extra.paidAmountMinor}` : sql``;
  // One statement: the exception and its webhook event (lib/webhooks) are written together or not at all.
  const result = await db.execute(sql`
    with flagged as (
      update payments
      set flag = ${flag}, flag_resolved_at = null, flag_resolution = null, flag_resolved_by = null, flag_note = null${paidAmount}, updated_at = now()
      where id = ${paymentId} and flag is distinct from ${flag}
      returning *
    ), ${webhookEventSql("exception_webhook", "exception.opened", "payment", sql`select f.merchant_id, f.mode, ${paymentSnapshot("f")} as snapshot from flagged f`)}
    select count(*)::int as flagged from flagged`);
  const rows = rowsOf<{ flagged: number }>(result);
  return (rows[0]?.flagged ?? 0) > 0;
}

export function uniqueViolation(error: unknown, constraint: string): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: string }).code;
    const name = (e as { constraint?: string; constraint_name?: string }).constraint ?? (e as { constraint_name?: string }).constraint_name;
    if (code === "23505" && name === constraint) return true;
    if (code === "23505" && String((e as Error).message ?? "").includes(constraint)) return true;
  }
  return false;
}
