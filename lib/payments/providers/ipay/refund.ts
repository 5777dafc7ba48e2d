import type { ProviderContext, RefundInput, RefundResult } from "@/lib/payments/types";
import { toWireAmount } from "./amounts";
import { post } from "./client";
import { ipayError, rejected } from "./errors";
import { refundRequestSchema, refundResponseSchema, type IpayCredentials } from "./schemas";
import { refundHash } from "./signature";

/**
 * /transaction/refund is keyed by the transaction code (txncd) that search reported; the hash
 * does not cover the amount, which we always send so a partial refund is explicit.
 */
export async function refundPayment(input: RefundInput, ctx: ProviderContext<IpayCredentials>): Promise<RefundResult> {
  const code = input.payment.providerReference;
  if (!code) {
    throw rejected("missing_transaction_code", { fr: "Ce paiement n'a pas de code de transaction iPay : remboursement impossible.", en: "This payment has no iPay transaction code: it cannot be refunded." });
  }
  const vid = ctx.credentials.vendorId;
  const body = refundRequestSchema.parse({ code, vid, amount: toWireAmount(input.amountMinor), hash: refundHash({ code, vid }, ctx.credentials.securityKey) });
  const res = await post(ctx, "/transaction/refund", body);
  if (res.status === 200) {
    const ok = refundResponseSchema.safeParse(res.json);
    if (ok.success) {
      const reference = ok.data.data?.refund_code ?? ok.data.data?.refund_id;
      return { status: "succeeded", ...(reference ? { providerReference: reference } : {}), trace: res.trace };
    }
    return { status: "failed", trace: res.trace };
  }
  // A refusal about this refund (too much, not refundable, unknown code) is an answer, not an outage.
  if ([400, 404, 409].includes(res.status)) return { status: "failed", trace: res.trace };
  throw ipayError(res.status, res.json, res.trace);
}
