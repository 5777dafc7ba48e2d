import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { payments } from "@/db/schema";
import type { MerchantContext } from "@/lib/auth/membership";
import { can } from "@/lib/auth/permissions";
import { isCurrency, parseMoney } from "@/lib/money";
import type { PaymentDeps } from "@/lib/payments/accounts";
import { PaymentError } from "@/lib/payments/errors";
import { refreshPayment } from "@/lib/payments/refresh";
import { refundPayment } from "@/lib/payments/refunds";
import { ProviderError } from "@/lib/payments/types";
import { fieldErrorCodes, isPlainText, recordId } from "@/lib/validation";

/**
 * The logic behind the order page's buttons, free of Next so tests call it directly. Errors are
 * codes (translated by the caller); a PaymentError also carries its own FR/EN message. A refusal's
 * `current` holds what the server has now, shown in place of what was typed (changed meanwhile).
 */
export type ActionResult<T = object> =
  | ({ ok: true } & T)
  | { ok: false; error: string; fieldErrors?: Record<string, string>; message?: { fr: string; en: string }; fieldMessages?: Record<string, { fr: string; en: string }>; current?: Record<string, string> };

/** What every dashboard action answers a member whose role lacks the permission (lib/auth/permissions.ts). */
export const FORBIDDEN = { ok: false, error: "forbidden" } as const;

const paymentIdSchema = recordId;

/** The payment, only if it belongs to the session's merchant: anything else is "not found". */
async function ownPayment(deps: PaymentDeps, ctx: MerchantContext, paymentId: string) {
  const [row] = await deps.db
    .select({ id: payments.id, currency: payments.currency, orderId: payments.orderId })
    .from(payments)
    .where(and(eq(payments.id, paymentId), eq(payments.merchantId, ctx.merchant.id)));
  return row ?? null;
}

function failure(error: unknown): ActionResult<never> {
  if (error instanceof PaymentError) return { ok: false, error: error.code, message: error.userMessage };
  if (error instanceof ProviderError) return { ok: false, error: "provider_error" };
  throw error;
}

export async function recheckPayment(deps: PaymentDeps, ctx: MerchantContext, input: unknown): Promise<ActionResult<{ status: string; changed: boolean }>> {
  if (!can(ctx, "recheck")) return FORBIDDEN;
  const parsed = z.object({ paymentId: paymentIdSchema }).safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid_input" };
  const payment = await ownPayment(deps, ctx, parsed.data.paymentId);
  if (!payment) return { ok: false, error: "not_found" };
  try {
    // The status_check event records who asked; reconciliation and notifications use other actors.
    const outcome = await refreshPayment(deps, payment.id, `user:${ctx.user.id}`);
    return { ok: true, status: outcome.status, changed: outcome.changed };
  } catch (error) {
    return failure(error);
  }
}

const refundSchema = z.object({
  paymentId: paymentIdSchema,
  amount: z.string().trim().min(1, "amount_required").max(20, "amount_invalid"),
  reason: z.string().trim().max(200, "reason_too_long").refine((v) => isPlainText(v, true), "invalid").default(""),
  confirm: z.literal("yes", { error: "confirm_required" }),
  idempotencyKey: z.string().trim().regex(/^[A-Za-z0-9_-]{8,64}$/).optional(),
});

export async function refundOrderPayment(deps: PaymentDeps, ctx: MerchantContext, input: unknown): Promise<ActionResult<{ kind: "api" | "manual" | "pending"; status: string }>> {
  // Staff may look at refunds but never make one, whatever the browser sends.
  if (!can(ctx, "refund")) return FORBIDDEN;
  const parsed = refundSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, error: "invalid_input", fieldErrors: fieldErrorCodes(parsed.error) };
  }
  const payment = await ownPayment(deps, ctx, parsed.data.paymentId);
  if (!payment) return { ok: false, error: "not_found" };
  const amountMinor = isCurrency(payment.currency) ? parseMoney(parsed.data.amount, payment.currency) : null;
  if (!amountMinor) return { ok: false, error: "invalid_input", fieldErrors: { amount: "amount_invalid" } };
  try {
    const result = await refundPayment(deps, {
      merchantId: ctx.merchant.id,
      paymentId: payment.id,
      amountMinor,
      reason: parsed.data.reason,
      userId: ctx.user.id,
      idempotencyKey: parsed.data.idempotencyKey,
    });
    return { ok: true, kind: result.refundStatus === "pending" ? "pending" : result.kind, status: result.status };
  } catch (error) {
    const out = failure(error);
    if (!out.ok && out.error === "refund_amount_invalid") return { ...out, fieldErrors: { amount: "refund_amount_invalid" } };
    return out;
  }
}
