import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { payments, refunds } from "@/db/schema";
import { PaymentError } from "@/lib/payments/errors";
import { refundPayment } from "@/lib/payments/refunds";
import { ProviderError } from "@/lib/payments/types";
import { isPlainText, recordId } from "@/lib/validation";
import type { ApiCall } from "../deps";
import type { RouteInput } from "../define-route";
import { ApiError, invalid, notFound } from "../errors";
import type { Answer } from "../idempotency";
import type { RefundObject } from "../schemas";
import { findPayment } from "./payments";

type RefundRow = typeof refunds.$inferSelect;

export function refundView(r: RefundRow): RefundObject {
  return {
    id: r.id,
    object: "refund" as const,
    payment: r.paymentId,
    amount: r.amountMinor,
    currency: r.currency,
    status: r.status,
    /** api: through the provider; manual: recorded, the money is sent back by hand (instructions). */
    kind: r.kind,
    reason: r.reason,
    instructions: r.instructions,
    failure_code: r.failureCode,
    created: r.createdAt.toISOString(),
  };
}

export const createRefundBody = z.strictObject({
  payment: recordId.describe("The id of the payment to refund (`pay_…`)."),
  amount: z
    .number()
    .int()
    .positive()
    .max(Number.MAX_SAFE_INTEGER)
    .describe("How much to send back, in the currency's minor unit: at most what is left of the payment."),
  reason: z
    .string()
    .trim()
    .max(200)
    .refine((v) => isPlainText(v, true), "control characters")
    .default("")
    .describe("Why, shown in the dashboard and to the provider when it takes one."),
});

/**
 * POST /refunds: the dashboard's refund service (lib/payments/refunds.ts), with its lock on the
 * payment and its cap on what was collected. The request's Idempotency-Key also becomes the
 * refund's own, so even a lost answer row never refunds twice.
 */
export async function createRefund(call: ApiCall, { body: input, idempotencyKey }: RouteInput<undefined, z.output<typeof createRefundBody>>): Promise<Answer> {
  const payment = await findPayment(call, input.payment);
  if (!payment) throw notFound("payment", "payment");
  try {
    const outcome = await refundPayment(call.deps.payments, {
      merchantId: call.caller.merchantId,
      paymentId: payment.id,
      amountMinor: input.amount,
      reason: input.reason,
      userId: null,
      actor: `api:${call.caller.keyId}`,
      // Scoped to the payment, not the API key: a retry sent with the store's other key (one
      // rotated after a lost answer) finds the first refund instead of making a second.
      idempotencyKey: idempotencyKey ? `api:${idempotencyKey}` : undefined,
    });
    const [row] = await call.deps.payments.db.select().from(refunds).where(eq(refunds.id, outcome.refundId));
    if (row!.amountMinor !== input.amount) {
      throw new ApiError(409, "idempotency_error", "idempotency_key_reused", "This Idempotency-Key was used with another request: use a new key for a new request.");
    }
    return { status: 201, body: refundView(row!) };
  } catch (error) {
    if (error instanceof PaymentError && error.code === "payment_not_found") throw notFound("payment", "payment");
    // The service's refusals (not refundable, beyond what is left, the provider said no): the request was understood.
    if (error instanceof PaymentError) throw invalid(error.code, error.userMessage.en, error.code === "refund_amount_invalid" ? "amount" : null, 422);
    if (error instanceof ProviderError) throw new ApiError(502, "api_error", "provider_error", "The provider could not be reached: try again later.");
    throw error;
  }
}

export async function getRefund(call: ApiCall, { params }: RouteInput<undefined, undefined>): Promise<Answer> {
  const id = params.id!;
  const [row] = await call.deps.payments.db
    .select({ refund: refunds })
    .from(refunds)
    .innerJoin(payments, eq(payments.id, refunds.paymentId))
    .where(and(eq(refunds.id, id), eq(refunds.merchantId, call.caller.merchantId), eq(payments.mode, call.caller.mode)));
  if (!row) throw notFound("refund");
  return { status: 200, body: refundView(row.refund) };
}
