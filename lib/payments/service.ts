import { and, eq, inArray, sql } from "drizzle-orm";
import { merchants, notifications, orders, payments, providerAccounts, refunds } from "@/db/schema";
import { writeTogether } from "@/db/write-together";
import { decryptJson, encryptJson } from "@/lib/crypto";
import { newId, newPaymentReference } from "@/lib/ids";
import { contextFor, loadAccount, openAccount, type AccountRow, type LoadedAccount, type PaymentDeps } from "./accounts";
import { estimateFee } from "./fees";
import { redact, redactBody } from "./redact";
import { getProvider } from "./registry";
import { estimateSettlementDate } from "./settlement";
import { applyTransition, eventInsert, flagPayment, isFinal, recordEvent } from "./transitions";
import {
  ProviderError,
  type InboundRequest,
  type NextAction,
  type PaymentHandle,
  type PaymentMethod,
  type PaymentStatus,
  type ProviderId,
  type StatusResult,
} from "./types";

export type { PaymentDeps } from "./accounts";

type PaymentRow = typeof payments.$inferSelect;
/** A payment row and its provider account, as just read by the caller. */
type Loaded = { payment: PaymentRow; account: LoadedAccount };

/** A failure the shopper or merchant can read; `code` is stable for tests and translations. */
export class PaymentError extends Error {
  constructor(
    readonly code: string,
    readonly userMessage: { fr: string; en: string },
  ) {
    super(code);
    this.name = "PaymentError";
  }
}

const now = (deps: PaymentDeps) => deps.now?.() ?? new Date();

/** When reconciliation looks again at a payment still undecided: 15 s, 30 s, 1 min … capped at 30 min. */
export function nextCheckDelayMs(attempts: number): number {
  return Math.min(15_000 * 2 ** Math.max(0, attempts), 30 * 60_000);
}

export function paymentHandle(row: PaymentRow, encryptionKey: string): PaymentHandle {
  return {
    reference: row.reference,
    amountMinor: row.amountMinor,
    currency: row.currency,
    providerToken: row.providerToken,
    providerReference: row.providerReference,
    stored: row.stored,
    storedSecret: row.storedSecretEncrypted ? decryptJson<Record<string, string>>(row.storedSecretEncrypted, encryptionKey) : null,
    phone: row.customerPhone,
  };
}

// ---------------------------------------------------------------------------------------------
// start

export type StartInput = { merchantId: string; orderId: string; provider: ProviderId; method: PaymentMethod; flow?: "hosted" | "push" };
export type StartResult = { paymentId: string; reference: string; action: NextAction; status: PaymentStatus };

type OrderRow = typeof orders.$inferSelect;
type StartOrder = Pick<
  OrderRow,
  "id" | "merchantId" | "status" | "reference" | "amountMinor" | "currency" | "customerName" | "customerEmail" | "customerPhone" | "customerCountry" | "locale"
>;
/**
 * What a checkout has just written and read itself (the order it created, its merchant and the
 * account it routed to), handed over so that the payment starts without reading them again.
 */
export type StartLoaded = { order: StartOrder; merchant: { slug: string; name: string }; account: AccountRow };

async function loadForStart(deps: PaymentDeps, input: StartInput): Promise<{ order: StartOrder; merchant: { slug: string; name: string }; account: LoadedAccount | null } | null> {
  const [row] = await deps.db
    .select({ order: orders, merchant: { slug: merchants.slug, name: merchants.name }, account: providerAccounts })
    .from(orders)
    .innerJoin(merchants, eq(merchants.id, orders.merchantId))
    .leftJoin(providerAccounts, and(eq(providerAccounts.merchantId, orders.merchantId), eq(providerAccounts.provider, input.provider)))
    .where(and(eq(orders.id, input.orderId), eq(orders.merchantId, input.merchantId)));
  return row ? { ...row, account: row.account ? openAccount(deps, row.account) : null } : null;
}

/**
 * Creates the payment row first (our reference exists before the provider hears of it), then
 * asks the provider to initialize. The amount always comes from the order in the database.
 */
export async function startPayment(deps: PaymentDeps, input: StartInput, loaded?: StartLoaded): Promise<StartResult> {
  const found =
    loaded && loaded.order.id === input.orderId && loaded.order.merchantId === input.merchantId && loaded.account.provider === input.provider
      ? { ...loaded, account: openAccount(deps, loaded.account) }
      : await loadForStart(deps, input);
  if (!found) throw new PaymentError("order_not_found", { fr: "Commande introuvable.", en: "Order not found." });
  const { order: orderRow, merchant, account } = found;
  if (orderRow.status !== "open") {
    throw new PaymentError("order_not_open", { fr: "Cette commande est déjà réglée ou annulée.", en: "This order is already paid or cancelled." });
  }
  if (!account || !account.enabled) {
    throw new PaymentError("provider_unavailable", { fr: "Ce moyen de paiement n'est pas disponible.", en: "This payment method is not available." });
  }
  const provider = getProvider(input.provider);
  if (!provider.capabilities.methods.includes(input.method)) {
    throw new PaymentError("method_unavailable", { fr: "Ce moyen de paiement n'est pas proposé.", en: "This payment method is not offered." });
  }
  const amountCheck = provider.checkAmount(orderRow.amountMinor, orderRow.currency);
  if (!amountCheck.ok) throw new PaymentError(amountCheck.code, amountCheck.message);

  const paymentId = newId("pay");
  const reference = newPaymentReference(now(deps));
  const returnUrl = `${deps.appUrl}/orders/${orderRow.id}/return?p=${paymentId}`;
  const notify = `${deps.appUrl}/api/webhooks/${input.provider}/${merchant.slug}`;
  const initInput = {
    reference,
    amountMinor: orderRow.amountMinor,
    currency: orderRow.currency,
    description: `Commande ${orderRow.reference} ${merchant.name}`.replace(/[#/$_&]/g, " "),
    method: input.method,
    flow: input.flow,
    customer: { name: orderRow.customerName, email: orderRow.customerEmail, phone: orderRow.customerPhone, country: orderRow.customerCountry },
    locale: (orderRow.locale === "en" ? "en" : "fr") as "fr" | "en",
    merchantName: merchant.name,
    // Orange's notification names no order: our reference rides in the URL it posts to.
    urls: { notify: input.provider === "orange-money" ? `${notify}?ref=${reference}` : notify, return: returnUrl, cancel: `${returnUrl}&cancelled=1` },
  };
  await writeTogether(deps.db, [
    deps.db.insert(payments).values({
      id: paymentId,
      orderId: orderRow.id,
      merchantId: input.merchantId,
      providerAccountId: account.id,
      provider: input.provider,
      method: input.method,
      reference,
      amountMinor: orderRow.amountMinor,
      currency: orderRow.currency,
      customerPhone: orderRow.customerPhone,
      status: "created",
    }),
    eventInsert(deps.db, { paymentId, merchantId: input.merchantId, type: "init_request", actor: "checkout", data: redact({ ...initInput }) }),
  ]);

  try {
    const result = await provider.initialize(initInput, contextFor(deps, account, "init"));
    const windowMs = (provider.capabilities.windowMinutes ?? 30) * 60_000;
    await writeTogether(deps.db, [
      deps.db
        .update(payments)
        .set({
          providerToken: result.providerToken ?? null,
          providerReference: result.providerReference ?? null,
          stored: result.stored ?? {},
          storedSecretEncrypted: result.storedSecret ? encryptJson(result.storedSecret, deps.encryptionKey) : null,
          nextAction: result.action,
          expiresAt: result.expiresAt ?? new Date(now(deps).getTime() + windowMs),
          nextCheckAt: new Date(now(deps).getTime() + nextCheckDelayMs(0)),
        })
        .where(eq(payments.id, paymentId)),
      eventInsert(deps.db, { paymentId, merchantId: input.merchantId, type: "init_response", actor: input.provider, data: { trace: result.trace, action: result.action.type } }),
    ]);
    await applyTransition(deps.db, { paymentId, to: result.status, actor: input.provider });
    return { paymentId, reference, action: result.action, status: result.status };
  } catch (error) {
    const pe = error instanceof ProviderError ? error : new ProviderError(input.provider, "internal_error", String(error), false);
    await recordEvent(deps.db, { paymentId, merchantId: input.merchantId, type: "init_response", actor: input.provider, data: { error: pe.code, message: pe.message, trace: pe.details.trace } });
    await applyTransition(deps.db, { paymentId, to: "failed", actor: input.provider, patch: { failureCode: pe.code, failureMessage: pe.message } });
    throw new PaymentError(pe.code, pe.details.userMessage ?? {
      fr: "Le service de paiement n'a pas répondu. Réessayez dans un instant ou choisissez un autre moyen.",
      en: "The payment service did not answer. Try again in a moment or choose another method.",
    });
  }
}

// ---------------------------------------------------------------------------------------------
// refresh: the provider's status API is the only thing that moves a payment

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
    result = await provider.getStatus(paymentHandle(row, deps.encryptionKey), contextFor(deps, account, "status"));
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

// ---------------------------------------------------------------------------------------------
// notifications (ARCHITECTURE.md §5)

export type NotificationAnswer = { status: number; body: string; contentType: string };

const answer = (status: number, body = "OK", contentType = "text/plain"): NotificationAnswer => ({ status, body, contentType });

export async function handleNotification(deps: PaymentDeps, providerId: ProviderId, merchantSlug: string, request: InboundRequest): Promise<NotificationAnswer> {
  const provider = getProvider(providerId);
  const parsed = safeParse(() => provider.parseNotification(request));
  // The merchant, its account for this provider and the payment named by our reference in one
  // round trip; the account is only opened (decrypted, checked) where it is needed.
  const [merchant] = await deps.db
    .select({ id: merchants.id, account: providerAccounts, payment: payments })
    .from(merchants)
    .leftJoin(providerAccounts, and(eq(providerAccounts.merchantId, merchants.id), eq(providerAccounts.provider, providerId)))
    .leftJoin(
      payments,
      parsed?.lookup.reference
        ? and(eq(payments.merchantId, merchants.id), eq(payments.provider, providerId), eq(payments.reference, parsed.lookup.reference))
        : sql`false`,
    )
    .where(eq(merchants.slug, merchantSlug));
  if (!merchant) return answer(404, "unknown merchant");

  if (parsed === null) return answer(200); // a ping (CinetPay checks the URL answers)
  if (parsed === undefined) {
    await logDelivery(deps, providerId, merchant.id, null, request, "rejected", "unparseable");
    return answer(400, "unparseable notification");
  }

  const payment = merchant.payment ?? (await findPayment(deps, providerId, merchant.id, parsed.lookup));
  if (!payment) {
    await logDelivery(deps, providerId, merchant.id, null, request, "rejected", "unknown payment");
    return answer(404, "unknown payment");
  }
  if (!merchant.account) return answer(404, "unknown account");
  const account = openAccount(deps, merchant.account);

  const verdict = provider.verifyNotification(request, paymentHandle(payment, deps.encryptionKey), contextFor(deps, account, "status"));
  if (verdict === "forged") {
    await logDelivery(deps, providerId, merchant.id, payment.id, request, "rejected", "authentication failed");
    await recordEvent(deps.db, { paymentId: payment.id, merchantId: merchant.id, type: "notification", actor: providerId, data: { verdict, body: redactBody(request.body), query: redact(request.query) } });
    const ack = provider.acknowledge?.("forged");
    return answer(ack?.status ?? 401, ack?.body ?? "unauthorized", ack?.contentType);
  }

  const deliveryId = await recordDelivery(deps, {
    id: newId("ntf"),
    provider: providerId,
    merchantId: merchant.id,
    paymentId: payment.id,
    dedupeKey: parsed.dedupeKey,
    verdict: verdict === "authentic" ? "authenticated" : "unverifiable",
    method: request.method,
    headers: redact(request.headers),
    body: request.body,
  }, { verdict, claimedStatus: parsed.claimedStatus, claimedAmount: parsed.claimedAmountMinor, body: redactBody(request.body), query: redact(request.query) });
  if (!deliveryId) {
    const ack = provider.acknowledge?.("duplicate");
    return answer(ack?.status ?? 200, ack?.body ?? "OK", ack?.contentType);
  }
  const delivery = { id: deliveryId };
  await processDelivery(deps, delivery.id, payment.id, verdict === "authentic" ? parsed.lookup.providerReference : undefined, { payment, account });
  const ack = provider.acknowledge?.("processed");
  return answer(ack?.status ?? 200, ack?.body ?? "OK", ack?.contentType);
}

/**
 * Records a delivery once per (provider, dedupe key) and, only when it is new, its notification
 * event, in one statement. The delivery's id when it was new, null for a duplicate.
 */
async function recordDelivery(deps: PaymentDeps, delivery: typeof notifications.$inferInsert & { id: string; paymentId: string; merchantId: string }, event: Record<string, unknown>): Promise<string | null> {
  const insert = deps.db.insert(notifications).values(delivery).onConflictDoNothing().returning({ id: notifications.id });
  const result = await deps.db.execute(sql`
    with delivery as (${insert.getSQL()})
    insert into payment_events (payment_id, merchant_id, type, actor, data)
    select ${delivery.paymentId}, ${delivery.merchantId}, 'notification', ${delivery.provider}, ${JSON.stringify(event)}::jsonb from delivery
    returning id`);
  const rows = Array.isArray(result) ? result : (result as { rows: unknown[] }).rows;
  return rows.length ? delivery.id : null;
}

/** Runs the status check a delivery triggered; a failure leaves it for reconciliation to retry. */
export async function processDelivery(deps: PaymentDeps, notificationId: string, paymentId: string, providerReference?: string, loaded?: Loaded): Promise<void> {
  try {
    await refreshPayment(deps, paymentId, "notification", { candidateProviderReference: providerReference, loaded });
    await deps.db.update(notifications).set({ verdict: "processed", processedAt: now(deps) }).where(eq(notifications.id, notificationId));
  } catch (error) {
    const [n] = await deps.db.select({ attempts: notifications.attempts }).from(notifications).where(eq(notifications.id, notificationId));
    await deps.db
      .update(notifications)
      .set({ attempts: (n?.attempts ?? 0) + 1, lastError: error instanceof Error ? error.message : String(error) })
      .where(eq(notifications.id, notificationId));
  }
}

function safeParse<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

/** A notified payment by the provider's own ids (our reference was already tried with the merchant). */
async function findPayment(deps: PaymentDeps, provider: ProviderId, merchantId: string, lookup: { providerToken?: string; providerReference?: string }) {
  const scope = and(eq(payments.provider, provider), eq(payments.merchantId, merchantId));
  const keys = [
    lookup.providerToken ? eq(payments.providerToken, lookup.providerToken) : undefined,
    lookup.providerReference ? eq(payments.providerReference, lookup.providerReference) : undefined,
  ];
  for (const key of keys) {
    if (!key) continue;
    const [row] = await deps.db.select().from(payments).where(and(scope, key)).limit(1);
    if (row) return row;
  }
  return null;
}

async function logDelivery(deps: PaymentDeps, provider: ProviderId, merchantId: string, paymentId: string | null, request: InboundRequest, verdict: "rejected", reason: string) {
  // Rejected deliveries get their own key: a forgery must never shadow the genuine notification.
  await deps.db.insert(notifications).values({
    id: newId("ntf"),
    provider,
    merchantId,
    paymentId,
    dedupeKey: `rejected:${newId("ntf")}`,
    verdict,
    method: request.method,
    headers: redact(request.headers),
    body: request.body,
    lastError: reason,
    processedAt: now(deps),
  });
}

// ---------------------------------------------------------------------------------------------
// return URLs: a shopper coming back proves nothing, it only triggers a status check

export async function handleReturn(
  deps: PaymentDeps,
  orderId: string,
  paymentId: string | null,
  options: { cancelled?: boolean; candidateProviderReference?: string } = {},
): Promise<void> {
  const cancelled = options.cancelled ?? false;
  const rows = await deps.db
    .select()
    .from(payments)
    .where(and(eq(payments.orderId, orderId), paymentId ? eq(payments.id, paymentId) : inArray(payments.status, ["created", "pending", "waiting_for_customer"])));
  for (const row of rows) {
    if (isFinal(row.status)) continue;
    const outcome = await refreshPayment(deps, row.id, "return", { candidateProviderReference: paymentId ? options.candidateProviderReference : undefined }).catch(() => null);
    // Orange: a cancel link leaves the transaction INITIATED; only then is it ours to cancel.
    if (cancelled && outcome && !isFinal(outcome.status)) {
      await applyTransition(deps.db, { paymentId: row.id, to: "cancelled", actor: "shopper", patch: { failureCode: "cancelled_by_shopper" } });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// refunds

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
    const result = await provider.refund!({ payment: paymentHandle(row, deps.encryptionKey), amountMinor: req.amountMinor, reason: req.reason }, contextFor(deps, account!, "init"));
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
