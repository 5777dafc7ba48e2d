import { and, desc, eq } from "drizzle-orm";
import { payments } from "@/db/schema";
import type { ApiCall } from "../deps";
import type { RouteInput } from "../define-route";
import { notFound } from "../errors";
import type { Answer } from "../idempotency";
import { keysetPage, type ListQuery } from "../pagination";
import type { PaymentObject } from "../schemas";

type PaymentRow = typeof payments.$inferSelect;

/** A payment as the API shows it: amounts in minor units, the fee reported by the provider or else estimated. */
export function paymentView(p: PaymentRow): PaymentObject {
  return {
    id: p.id,
    object: "payment" as const,
    order: p.orderId,
    reference: p.reference,
    status: p.status,
    provider: p.provider,
    method: p.method,
    livemode: p.mode === "live",
    amount: p.amountMinor,
    currency: p.currency,
    fee: p.feeReportedMinor ?? p.feeEstimatedMinor,
    fee_estimated: p.feeReportedMinor === null,
    net: p.netMinor,
    settlement_date: p.settlementDate,
    settlement_reported: p.settlementReported,
    paid_at: p.paidAt?.toISOString() ?? null,
    created: p.createdAt.toISOString(),
  };
}

/** A key sees its own store's payments of its own mode only. */
const scope = (call: ApiCall) => and(eq(payments.merchantId, call.caller.merchantId), eq(payments.mode, call.caller.mode))!;

export async function listPayments(call: ApiCall, { query }: RouteInput<ListQuery, undefined>): Promise<Answer> {
  const db = call.deps.payments.db;
  const page = await keysetPage(db, payments, scope(call), query, (where, limit) =>
    db.select().from(payments).where(where).orderBy(desc(payments.createdAt), desc(payments.id)).limit(limit),
  );
  return { status: 200, body: { ...page, data: page.data.map(paymentView) } };
}

export async function findPayment(call: ApiCall, id: string): Promise<PaymentRow | null> {
  const [row] = await call.deps.payments.db.select().from(payments).where(and(scope(call), eq(payments.id, id)));
  return row ?? null;
}

export async function getPayment(call: ApiCall, { params }: RouteInput<undefined, undefined>): Promise<Answer> {
  const row = await findPayment(call, params.id!);
  if (!row) throw notFound("payment");
  return { status: 200, body: paymentView(row) };
}
