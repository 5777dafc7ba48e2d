import { and, asc, eq, lte, ne, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { payments, refunds } from "@/db/schema";
import { newId } from "@/lib/ids";
import { errorMessage, logger } from "@/lib/log";
import { contextFor, loadAccount, type LoadedAccount, type PaymentDeps } from "./accounts";
import { PaymentError } from "./errors";
import { nextCheckDelayMs, now, paymentHandle, type PaymentRow } from "./handle";
import { getProvider } from "./registry";
import { insertWebhookEvent, refundSnapshot } from "@/lib/webhooks/events";
import { applyTransition, eventInsert, recordEvent } from "./transitions";
import { ProviderError, type PaymentStatus, type ProviderId } from "./types";

/**
 * Refunds, safe against double submits, concurrent owners and providers that time out:
 * 1. under a lock on the payment, the refund is written first — `pending` with its idempotency
 *    key when the provider will be called, `succeeded` at once when it is a manual record — so a
 *    second submit finds it, and the database (trigger refunds_within_collected) refuses any
 *    total beyond what was collected;
 * 2. the provider is called outside the lock; its answer settles the refund;
 * 3. a refund whose call timed out, or that the provider left pending, stays pending and is
 *    followed by reconciliation (followPendingRefunds) until it is final.
 */
export type RefundRequest = {
  merchantId: string;
  paymentId: string;
  amountMinor: number;
  reason: string;
  userId: string | null;
  /** The merchant's one intent (a form's one-time token): the same key never refunds twice. */
  idempotencyKey?: string;
  /** Record a refund made outside Caisse (mobile money transfer…) even where an API exists. */
  manual?: boolean;
  /** Who the events name when no user asked (an API key: `api:<key id>`). */
  actor?: string;
};

export type RefundOutcome = { refundId: string; kind: "api" | "manual"; refundStatus: "succeeded" | "pending" | "failed"; status: PaymentStatus };

/** A payment can be refunded while some of what it collected is left. */
const REFUNDABLE: PaymentStatus[] = ["paid", "partially_refunded"];

const notRefundable = () => new PaymentError("not_refundable", { fr: "Seul un paiement encaissé peut être remboursé.", en: "Only a collected payment can be refunded." });
const tooMuch = () => new PaymentError("refund_amount_invalid", { fr: "Le montant dépasse ce qui reste à rembourser.", en: "The amount exceeds what is left to refund." });

const actorOf = (req: RefundRequest) => req.userId ?? req.actor ?? "system";

type Reserved = { refund: typeof refunds.$inferSelect; payment: PaymentRow; existing: boolean };

export async function refundPayment(deps: PaymentDeps, req: RefundRequest): Promise<RefundOutcome> {
  if (!Number.isSafeInteger(req.amountMinor) || req.amountMinor <= 0) throw tooMuch();
  const account = await loadAccount(deps, req.merchantId, (await providerOf(deps.db, req)) ?? "cinetpay");
  const reserved = await reserve(deps, req, account);
  const { refund, payment } = reserved;
  if (reserved.existing) return outcomeOf(deps.db, refund);
  if (refund.kind === "manual") return outcomeOf(deps.db, refund);

  const provider = getProvider(payment.provider);
  try {
    const result = await provider.refund!({ payment: paymentHandle(payment, deps.encryptionKey), amountMinor: refund.amountMinor, reason: req.reason }, contextFor(deps, account!, "init", payment.mode));
    await recordEvent(deps.db, { paymentId: payment.id, merchantId: payment.merchantId, type: "refund", actor: actorOf(req), data: { refundId: refund.id, amount: refund.amountMinor, status: result.status, trace: result.trace } });
    return await settle(deps, refund, result.status, { providerReference: result.providerReference, actor: actorOf(req) });
  } catch (error) {
    const pe = error instanceof ProviderError ? error : new ProviderError(payment.provider, "internal_error", errorMessage(error), true);
    await recordEvent(deps.db, { paymentId: payment.id, merchantId: payment.merchantId, type: "refund", actor: actorOf(req), data: { refundId: refund.id, amount: refund.amountMinor, error: pe.code, trace: pe.details.trace } });
    // A definite refusal settles it; an outage may have reached the provider: follow it up.
    const settled = await settle(deps, refund, pe.retryable ? "pending" : "failed", { failureCode: pe.code, actor: actorOf(req) });
    if (!pe.retryable) throw new PaymentError(pe.code, pe.details.userMessage ?? { fr: "Le fournisseur a refusé le remboursement.", en: "The provider refused the refund." });
    return settled;
  }
}

async function providerOf(db: Db, req: RefundRequest): Promise<ProviderId | null> {
  const [row] = await db.select({ provider: payments.provider }).from(payments).where(and(eq(payments.id, req.paymentId), eq(payments.merchantId, req.merchantId)));
  if (!row) throw new PaymentError("payment_not_found", { fr: "Paiement introuvable.", en: "Payment not found." });
  return row.provider;
}

/** Step 1, under the payment's row lock: one refund row per intent, within what is left. */
async function reserve(deps: PaymentDeps, req: RefundRequest, account: LoadedAccount | null): Promise<Reserved> {
  return deps.db.transaction(async (tx) => {
    const [payment] = await tx.select().from(payments).where(and(eq(payments.id, req.paymentId), eq(payments.merchantId, req.merchantId))).for("update");
    if (!payment) throw new PaymentError("payment_not_found", { fr: "Paiement introuvable.", en: "Payment not found." });
    if (req.idempotencyKey) {
      const [existing] = await tx.select().from(refunds).where(and(eq(refunds.paymentId, payment.id), eq(refunds.idempotencyKey, req.idempotencyKey)));
      if (existing) return { refund: existing, payment, existing: true };
    }
    if (!REFUNDABLE.includes(payment.status)) throw notRefundable();
    const taken = await tx.select({ amount: refunds.amountMinor }).from(refunds).where(and(eq(refunds.paymentId, payment.id), ne(refunds.status, "failed")));
    const collected = payment.paidAmountMinor ?? payment.amountMinor;
    const remaining = collected - taken.reduce((sum, r) => sum + r.amount, 0);
    if (req.amountMinor > remaining) throw tooMuch();
    const provider = getProvider(payment.provider);
    const full = req.amountMinor === remaining;
    const credentials = account?.credentials[payment.mode];
    if (!req.manual && provider.refund && account && !credentials?.ok) {
      // The keys of the mode this payment was made in are gone: say so rather than record a manual refund unasked.
      throw new PaymentError("credentials_missing", {
        fr: `Les identifiants ${payment.mode === "live" ? "de production" : "sandbox"} de ce compte ${provider.displayName} sont absents ou illisibles : rétablissez-les dans les réglages, ou enregistrez un remboursement manuel.`,
        en: `This ${provider.displayName} account's ${payment.mode} credentials are missing or unreadable: restore them in Settings, or record a manual refund.`,
      });
    }
    const hasAccount = Boolean(credentials?.ok);
    const viaApi =
      !req.manual &&
      hasAccount &&
      Boolean(provider.refund) &&
      (provider.capabilities.refunds === "partial" || (provider.capabilities.refunds === "full" && full && taken.length === 0 && req.amountMinor === payment.amountMinor));
    const [refund] = await tx
      .insert(refunds)
      .values({
        id: newId("rfd"),
        paymentId: payment.id,
        merchantId: payment.merchantId,
        kind: viaApi ? "api" : "manual",
        status: viaApi ? "pending" : "succeeded",
        amountMinor: req.amountMinor,
        currency: payment.currency,
        idempotencyKey: req.idempotencyKey ?? null,
        reason: req.reason,
        instructions: viaApi ? null : manualInstructions(payment.provider),
        createdBy: req.userId,
        // Followed up if this process dies before the provider's answer is recorded.
        nextCheckAt: viaApi ? new Date(now(deps).getTime() + nextCheckDelayMs(1)) : null,
      })
      .returning();
    if (!viaApi) {
      await refundWebhook(tx as unknown as Db, refund!.id, "refund.succeeded");
      await eventInsert(tx as unknown as Db, { paymentId: payment.id, merchantId: payment.merchantId, type: "refund", actor: actorOf(req), data: { refundId: refund!.id, amount: refund!.amountMinor, manual: true } });
      await moveRefunded(tx as unknown as Db, payment.id, actorOf(req), refund!);
    }
    return { refund: refund!, payment, existing: false };
  });
}

/**
 * The payment follows its refunds, made ones only (a pending one may never be): refunded once they
 * cover what was collected. Its net (what the merchant is paid out for it: settlements, exports,
 * the overview's rollups) loses the amount. The order follows too, except while the refunds only
 * return an overpayment's excess (it was paid in full). Called inside the transaction that records
 * the refund as made.
 */
async function moveRefunded(db: Db, paymentId: string, actor: string, refund: typeof refunds.$inferSelect) {
  const [payment] = await db.select().from(payments).where(eq(payments.id, paymentId)).for("update");
  const made = await db.select({ amount: refunds.amountMinor }).from(refunds).where(and(eq(refunds.paymentId, paymentId), eq(refunds.status, "succeeded")));
  const refunded = made.reduce((sum, r) => sum + r.amount, 0);
  const collected = payment!.paidAmountMinor ?? payment!.amountMinor;
  const excess = Math.max(0, collected - payment!.amountMinor);
  // The excess of an overpayment was never in the net (price − fee): only what goes beyond it lowers it.
  // Lowered before the move, so the move's webhook event (its snapshot of the payment) shows the new net.
  const lowered = Math.max(0, refunded - excess) - Math.max(0, refunded - refund.amountMinor - excess);
  if (lowered > 0) await db.update(payments).set({ netMinor: sql`${payments.netMinor} - ${lowered}` }).where(eq(payments.id, paymentId));
  await applyTransition(db, {
    paymentId,
    to: refunded >= collected ? "refunded" : "partially_refunded",
    actor,
    data: { refundId: refund.id, amount: refund.amountMinor },
    keepOrder: refunded <= excess,
  });
}

/** The refund's webhook event (lib/webhooks), written in the transaction that settles it, with the payment's mode. */
async function refundWebhook(db: Db, refundId: string, type: "refund.succeeded" | "refund.failed"): Promise<void> {
  await insertWebhookEvent(db, type, "refund", sql`select r.merchant_id, p.mode, ${refundSnapshot("r")} as snapshot from refunds r join payments p on p.id = r.payment_id where r.id = ${refundId}`);
}

/** Step 2: the provider's answer (or the follow-up's) settles a pending refund once. */
async function settle(
  deps: PaymentDeps,
  refund: typeof refunds.$inferSelect,
  status: "succeeded" | "pending" | "failed",
  options: { providerReference?: string; failureCode?: string; actor: string },
): Promise<RefundOutcome> {
  if (status === "pending") {
    await deps.db
      .update(refunds)
      .set({ checkAttempts: sql`${refunds.checkAttempts} + 1`, nextCheckAt: new Date(now(deps).getTime() + nextCheckDelayMs(refund.checkAttempts + 1)), failureCode: options.failureCode ?? null })
      .where(and(eq(refunds.id, refund.id), eq(refunds.status, "pending")));
    return outcomeOf(deps.db, refund);
  }
  await deps.db.transaction(async (tx) => {
    const moved = await tx
      .update(refunds)
      .set({ status, providerReference: options.providerReference ?? null, failureCode: options.failureCode ?? null, nextCheckAt: null })
      .where(and(eq(refunds.id, refund.id), eq(refunds.status, "pending")))
      .returning();
    if (moved.length === 0) return;
    await refundWebhook(tx as unknown as Db, refund.id, status === "succeeded" ? "refund.succeeded" : "refund.failed");
    if (status !== "succeeded") return;
    await moveRefunded(tx as unknown as Db, refund.paymentId, options.actor, moved[0]!);
  });
  return outcomeOf(deps.db, refund);
}

async function outcomeOf(db: Db, refund: typeof refunds.$inferSelect): Promise<RefundOutcome> {
  const [row] = await db
    .select({ refundStatus: refunds.status, kind: refunds.kind, status: payments.status })
    .from(refunds)
    .innerJoin(payments, eq(payments.id, refunds.paymentId))
    .where(eq(refunds.id, refund.id));
  if (row!.refundStatus === "failed") throw new PaymentError("refund_failed", { fr: "Le fournisseur a refusé le remboursement.", en: "The provider refused the refund." });
  return { refundId: refund.id, kind: row!.kind, refundStatus: row!.refundStatus, status: row!.status };
}

/**
 * Step 3 (reconciliation): asks the provider about refunds still pending. Adapters that can tell
 * (refundStatus) settle them; a provider that cannot be asked keeps them pending and visible, and
 * they still count against what can be refunded.
 */
export async function followPendingRefunds(deps: PaymentDeps, limit = 20): Promise<number> {
  const due = await deps.db
    .select({ refund: refunds, payment: payments })
    .from(refunds)
    .innerJoin(payments, eq(payments.id, refunds.paymentId))
    .where(and(eq(refunds.status, "pending"), eq(refunds.kind, "api"), lte(refunds.nextCheckAt, now(deps))))
    .orderBy(asc(refunds.nextCheckAt))
    .limit(limit);
  let settled = 0;
  for (const { refund, payment } of due) {
    const provider = getProvider(payment.provider);
    const account = await loadAccount(deps, payment.merchantId, payment.provider);
    if (!provider.refundStatus || !account) {
      await settle(deps, refund, "pending", { actor: "reconciliation", failureCode: refund.failureCode ?? "not_followable" });
      continue;
    }
    try {
      const answer = await provider.refundStatus({ payment: paymentHandle(payment, deps.encryptionKey), amountMinor: refund.amountMinor }, contextFor(deps, account, "status", payment.mode));
      await recordEvent(deps.db, { paymentId: payment.id, merchantId: payment.merchantId, type: "refund_check", actor: "reconciliation", data: { refundId: refund.id, status: answer.status, trace: answer.trace } });
      // A failed refund is an answer here, not an error: the merchant sees it on the order.
      await settle(deps, refund, answer.status, { providerReference: answer.providerReference, actor: "reconciliation" }).catch((error: unknown) => {
        if (!(error instanceof PaymentError)) throw error;
      });
      if (answer.status !== "pending") settled++;
    } catch (error) {
      logger("refunds").warn({ refundId: refund.id, err: error instanceof ProviderError ? error.code : errorMessage(error) }, "refund follow-up failed");
      await settle(deps, refund, "pending", { actor: "reconciliation", failureCode: refund.failureCode ?? undefined });
    }
  }
  return settled;
}

function manualInstructions(provider: ProviderId): string {
  return provider === "cinetpay" || provider === "orange-money"
    ? "Pas d'API de remboursement : renvoyez le montant au client par transfert mobile money depuis votre compte marchand, puis conservez la référence du transfert. / No refund API: send the amount back to the customer by mobile money transfer from your merchant account, and keep the transfer reference."
    : "Remboursement manuel enregistré. / Manual refund recorded.";
}
