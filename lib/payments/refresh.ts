import { and, eq, sql } from "drizzle-orm";
import { payments } from "@/db/schema";
import { writeTogether } from "@/db/write-together";
import { contextFor, loadAccount, type LoadedAccount, type PaymentDeps } from "./accounts";
import { PaymentError } from "./errors";
import { estimateFee } from "./fees";
import { nextCheckDelayMs, now, paymentHandle, type Loaded, type PaymentRow } from "./handle";
import { getProvider } from "./registry";
import { estimateSettlementDate } from "./settlement";
import { applyTransition, eventInsert, flagPayment, isFinal, recordEvent } from "./transitions";
import { ProviderError, type PaymentStatus, type StatusResult } from "./types";

export type RefreshOutcome = { status: PaymentStatus; changed: boolean; flag?: string };

/**
 * `candidateProviderReference`: a provider id we learned from an untrusted source (KKiaPay's
 * callback query or widget event). It is only kept if the provider's own status API accepts it
 * as this payment's (the adapter checks the transaction carries our reference).
 */
export async function refreshPayment(
  deps: PaymentDeps,
  paymentId: string,
  actor: string,
  options: { candidateProviderReference?: string; loaded?: Loaded } = {},
): Promise<RefreshOutcome> {
  // A caller that has just read the row and its account (a notification) hands them over.
  let row = options.loaded?.payment.id === paymentId ? options.loaded.payment : (await deps.db.select().from(payments).where(eq(payments.id, paymentId)))[0];
  if (!row) throw new PaymentError("payment_not_found", { fr: "Paiement introuvable.", en: "Payment not found." });
  const account = options.loaded?.payment.id === paymentId ? options.loaded.account : await loadAccount(deps, row.merchantId, row.provider);
  if (!account) throw new PaymentError("provider_unavailable", { fr: "Compte fournisseur introuvable.", en: "Provider account not found." });
  const provider = getProvider(row.provider);
  const candidate = !row.providerReference ? options.candidateProviderReference : undefined;
  if (candidate) row = { ...row, providerReference: candidate };

  let result: StatusResult;
  try {
    result = await provider.getStatus(paymentHandle(row, deps.encryptionKey), contextFor(deps, account, "status", row.mode));
    if (candidate) {
      await deps.db.update(payments).set({ providerReference: candidate }).where(and(eq(payments.id, row.id), sql`${payments.providerReference} is null`));
    }
  } catch (error) {
    const pe = error instanceof ProviderError ? error : new ProviderError(row.provider, "internal_error", String(error), true);
    await writeTogether(deps.db, [
      deps.db
        .update(payments)
        .set({ lastCheckedAt: now(deps), checkAttempts: row.checkAttempts + 1, nextCheckAt: new Date(now(deps).getTime() + nextCheckDelayMs(row.checkAttempts + 1)) })
        .where(eq(payments.id, row.id)),
      eventInsert(deps.db, { paymentId: row.id, merchantId: row.merchantId, type: "status_check", actor, data: { error: pe.code, message: pe.message, trace: pe.details.trace } }),
    ]);
    throw pe;
  }
  return applyStatus(deps, row, account, result, actor);
}

async function applyStatus(deps: PaymentDeps, row: PaymentRow, account: LoadedAccount, result: StatusResult, actor: string): Promise<RefreshOutcome> {
  const at = now(deps);
  const undecided = !isFinal(result.status);
  // Independent writes: the ledger row and the check bookkeeping go out as one statement.
  await writeTogether(deps.db, [
    eventInsert(deps.db, {
      paymentId: row.id,
      merchantId: row.merchantId,
      type: "status_check",
      actor,
      data: { providerStatus: result.providerStatus, status: result.status, amount: result.amountMinor, currency: result.currency, trace: result.trace },
    }),
    deps.db
      .update(payments)
      .set({
        lastCheckedAt: at,
        checkAttempts: row.checkAttempts + 1,
        nextCheckAt: undecided ? new Date(at.getTime() + nextCheckDelayMs(row.checkAttempts + 1)) : null,
        ...(result.providerReference && !row.providerReference ? { providerReference: result.providerReference } : {}),
      })
      .where(eq(payments.id, row.id)),
  ]);

  let target = result.status;
  // A provider window that closed without a decision: Orange keeps INITIATED forever, others say nothing.
  if (undecided && row.expiresAt && at.getTime() > row.expiresAt.getTime() + 2 * 60_000) target = "expired";

  if (target === "paid") {
    const mismatch =
      result.currency !== undefined && result.currency !== row.currency
        ? "currency_mismatch"
        : result.amountMinor !== undefined && result.amountMinor !== row.amountMinor
          ? "amount_mismatch"
          : result.paidAmountMinor !== undefined && result.paidAmountMinor < row.amountMinor
            ? "underpaid"
            : null;
    if (mismatch) {
      // Never paid on a disagreement about money: a person decides.
      await flagPayment(deps.db, row.id, mismatch);
      await recordEvent(deps.db, {
        paymentId: row.id,
        merchantId: row.merchantId,
        type: "flag",
        actor,
        data: { flag: mismatch, ours: { amount: row.amountMinor, currency: row.currency }, provider: { amount: result.amountMinor ?? result.paidAmountMinor, currency: result.currency } },
      });
      return { status: row.status, changed: false, flag: mismatch };
    }
  }

  if (target === row.status) return { status: row.status, changed: false };

  const paidPatch =
    target === "paid"
      ? (() => {
          const feeEstimated = estimateFee(row.amountMinor, account);
          const fee = result.feeMinor ?? feeEstimated;
          return {
            paidAt: at,
            feeReportedMinor: result.feeMinor ?? null,
            feeEstimatedMinor: feeEstimated,
            netMinor: row.amountMinor - fee,
            settlementDate: result.settlementDate ?? estimateSettlementDate(at, account.settlementDelayDays),
            settlementReported: Boolean(result.settlementDate),
            paidAmountMinor: result.paidAmountMinor ?? null,
            flag: result.paidAmountMinor !== undefined && result.paidAmountMinor > row.amountMinor ? "overpaid" : null,
            ...(result.method ? { method: result.method } : {}),
          };
        })()
      : {};
  const failurePatch =
    target === "failed" || target === "cancelled" ? { failureCode: result.failureCode ?? null, failureMessage: result.failureMessage ?? null } : {};

  const outcome = await applyTransition(deps.db, {
    paymentId: row.id,
    to: target,
    actor,
    patch: { ...paidPatch, ...failurePatch, nextCheckAt: isFinal(target) ? null : undefined },
    data: { providerStatus: result.providerStatus },
  });
  if (outcome.applied) return { status: target, changed: true };
  if (outcome.reason === "order_already_paid") {
    // The shopper paid twice for one order: the money is real, so it must be seen and refunded.
    await flagPayment(deps.db, row.id, "double_payment");
    await recordEvent(deps.db, { paymentId: row.id, merchantId: row.merchantId, type: "flag", actor, data: { flag: "double_payment" } });
    return { status: outcome.current, changed: false, flag: "double_payment" };
  }
  if (outcome.reason === "not_allowed" && target === "paid" && outcome.current && isFinal(outcome.current) && outcome.current !== "paid") {
    await flagPayment(deps.db, row.id, "paid_after_final");
    await recordEvent(deps.db, { paymentId: row.id, merchantId: row.merchantId, type: "flag", actor, data: { flag: "paid_after_final", current: outcome.current } });
    return { status: outcome.current, changed: false, flag: "paid_after_final" };
  }
  await recordEvent(deps.db, { paymentId: row.id, merchantId: row.merchantId, type: "ignored", actor, data: { wanted: target, current: outcome.current ?? null } });
  return { status: outcome.current ?? row.status, changed: false };
}

