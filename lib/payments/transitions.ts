import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { orders, paymentEvents, payments } from "@/db/schema";
import type { PaymentStatus } from "./types";

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
  failed: [],
  cancelled: [],
  expired: [],
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
};

export type TransitionOutcome =
  | { applied: true; from: PaymentStatus; to: PaymentStatus }
  /** The payment was not in a state that may move to `to` (already final, a duplicate, a late event). */
  | { applied: false; reason: "not_allowed" | "not_found"; current?: PaymentStatus }
  /** Another payment already collected this order: the database refused a second one. */
  | { applied: false; reason: "order_already_paid"; current: PaymentStatus };

const ORDER_STATUS_FOR: Partial<Record<PaymentStatus, "paid" | "partially_refunded" | "refunded">> = {
  paid: "paid",
  partially_refunded: "partially_refunded",
  refunded: "refunded",
};

export async function applyTransition(db: Db, req: TransitionRequest): Promise<TransitionOutcome> {
  const allowedFrom = predecessorsOf(req.to);
  try {
    return await db.transaction(async (tx) => {
      const [before] = await tx
        .select({ status: payments.status, orderId: payments.orderId, merchantId: payments.merchantId })
        .from(payments)
        .where(eq(payments.id, req.paymentId))
        .for("update");
      if (!before) return { applied: false, reason: "not_found" } as const;
      if (!allowedFrom.includes(before.status)) return { applied: false, reason: "not_allowed", current: before.status } as const;

      const [updated] = await tx
        .update(payments)
        .set({ ...req.patch, status: req.to, updatedAt: new Date() })
        .where(and(eq(payments.id, req.paymentId), inArray(payments.status, allowedFrom)))
        .returning({ id: payments.id });
      if (!updated) return { applied: false, reason: "not_allowed", current: before.status } as const;

      await tx.insert(paymentEvents).values({
        paymentId: req.paymentId,
        merchantId: before.merchantId,
        type: "transition",
        fromStatus: before.status,
        toStatus: req.to,
        actor: req.actor,
        data: req.data ?? {},
      });
      const orderStatus = ORDER_STATUS_FOR[req.to];
      if (orderStatus) {
        await tx
          .update(orders)
          .set({ status: orderStatus, ...(req.to === "paid" ? { paidAt: req.patch?.paidAt ?? new Date() } : {}), updatedAt: new Date() })
          .where(eq(orders.id, before.orderId));
      }
      return { applied: true, from: before.status, to: req.to } as const;
    });
  } catch (error) {
    if (uniqueViolation(error, "payments_one_collected_per_order")) {
      const [row] = await db.select({ status: payments.status }).from(payments).where(eq(payments.id, req.paymentId));
      return { applied: false, reason: "order_already_paid", current: row?.status ?? "pending" };
    }
    throw error;
  }
}

/** Appends an event that is not a status change (init, notification, status check, flag…). */
export async function recordEvent(
  db: Db,
  event: { paymentId: string; merchantId: string; type: string; actor: string; data?: Record<string, unknown> },
): Promise<void> {
  await db.insert(paymentEvents).values({ ...event, data: event.data ?? {} });
}

/** Marks a payment for a person to look at, without moving its status. */
export async function flagPayment(db: Db, paymentId: string, flag: string): Promise<void> {
  await db.update(payments).set({ flag, updatedAt: sql`now()` }).where(eq(payments.id, paymentId));
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
