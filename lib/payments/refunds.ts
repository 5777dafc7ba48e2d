import { and, eq, inArray } from "drizzle-orm";
import { payments, refunds } from "@/db/schema";
import { newId } from "@/lib/ids";
import { contextFor, loadAccount, type PaymentDeps } from "./accounts";
import { PaymentError } from "./errors";
import { paymentHandle } from "./handle";
import { getProvider } from "./registry";
import { applyTransition, recordEvent } from "./transitions";
import type { PaymentStatus, ProviderId } from "./types";

export type RefundRequest = { merchantId: string; paymentId: string; amountMinor: number; reason: string; userId: string | null };

export async function refundPayment(deps: PaymentDeps, req: RefundRequest): Promise<{ refundId: string; kind: "api" | "manual"; status: PaymentStatus }> {
  const [row] = await deps.db.select().from(payments).where(and(eq(payments.id, req.paymentId), eq(payments.merchantId, req.merchantId)));
  if (!row) throw new PaymentError("payment_not_found", { fr: "Paiement introuvable.", en: "Payment not found." });
  if (row.status !== "paid" && row.status !== "partially_refunded") {
    throw new PaymentError("not_refundable", { fr: "Seul un paiement encaissé peut être remboursé.", en: "Only a collected payment can be refunded." });
  }
  const done = await deps.db.select({ amount: refunds.amountMinor }).from(refunds).where(and(eq(refunds.paymentId, row.id), inArray(refunds.status, ["pending", "succeeded"])));
  const remaining = row.amountMinor - done.reduce((sum, r) => sum + r.amount, 0);
  if (!Number.isSafeInteger(req.amountMinor) || req.amountMinor <= 0 || req.amountMinor > remaining) {
    throw new PaymentError("refund_amount_invalid", { fr: "Le montant dépasse ce qui reste à rembourser.", en: "The amount exceeds what is left to refund." });
  }
  const provider = getProvider(row.provider);
  const account = await loadAccount(deps, row.merchantId, row.provider);
  const full = req.amountMinor === remaining;
  const viaApi = Boolean(provider.refund && account && (provider.capabilities.refunds === "partial" || (provider.capabilities.refunds === "full" && full && done.length === 0)));
  const refundId = newId("rfd");

  let status: "succeeded" | "pending" | "failed" = "succeeded";
  let providerReference: string | undefined;
  if (viaApi) {
    const result = await provider.refund!({ payment: paymentHandle(row, deps.encryptionKey), amountMinor: req.amountMinor, reason: req.reason }, contextFor(deps, account!, "init", row.mode));
    status = result.status;
    providerReference = result.providerReference;
    await recordEvent(deps.db, { paymentId: row.id, merchantId: row.merchantId, type: "refund", actor: req.userId ?? "system", data: { refundId, amount: req.amountMinor, status, trace: result.trace } });
  } else {
    await recordEvent(deps.db, { paymentId: row.id, merchantId: row.merchantId, type: "refund", actor: req.userId ?? "system", data: { refundId, amount: req.amountMinor, manual: true } });
  }
  await deps.db.insert(refunds).values({
    id: refundId,
    paymentId: row.id,
    merchantId: row.merchantId,
    kind: viaApi ? "api" : "manual",
    status,
    amountMinor: req.amountMinor,
    currency: row.currency,
    providerReference,
    reason: req.reason,
    instructions: viaApi ? null : manualInstructions(row.provider),
    createdBy: req.userId,
  });
  if (status === "failed") throw new PaymentError("refund_failed", { fr: "Le fournisseur a refusé le remboursement.", en: "The provider refused the refund." });
  if (status === "pending") return { refundId, kind: "api", status: row.status };
  const to: PaymentStatus = full ? "refunded" : "partially_refunded";
  await applyTransition(deps.db, { paymentId: row.id, to, actor: req.userId ?? "system", data: { refundId, amount: req.amountMinor } });
  return { refundId, kind: viaApi ? "api" : "manual", status: to };
}

function manualInstructions(provider: ProviderId): string {
  return provider === "cinetpay" || provider === "orange-money"
    ? "Pas d'API de remboursement : renvoyez le montant au client par transfert mobile money depuis votre compte marchand, puis conservez la référence du transfert. / No refund API: send the amount back to the customer by mobile money transfer from your merchant account, and keep the transfer reference."
    : "Remboursement manuel enregistré. / Manual refund recorded.";
}
