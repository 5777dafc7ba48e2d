import { and, eq, inArray, ne, sql } from "drizzle-orm";
import { COLLECTED_STATUSES, payments, UNDECIDED_STATUSES } from "@/db/schema";
import { writeTogether } from "@/db/write-together";
import { errorMessage, logger } from "@/lib/log";
import { contextFor, loadAccount, type LoadedAccount, type PaymentDeps } from "./accounts";
import { bindingVerdict, TRANSACTION_NOT_OURS, type BindingRule } from "./binding";
import { keptCandidates, storedWith } from "./candidates";
import { PaymentError } from "./errors";
import { estimateFee } from "./fees";
import { nextCheckDelayMs, now, paymentHandle, type Loaded, type PaymentRow } from "./handle";
import { lateCheckAt } from "./late-checks";
import { moneyDisagreement, moneyStated, storableMinor } from "./money-check";
import { getProvider } from "./registry";
import { estimateSettlementDate } from "./settlement";
import { applyTransition, eventInsert, flagPayment, isFinal, recordEvent, type PaymentEvent } from "./transitions";
import { ProviderError, type PaymentStatus, type StatusEvidence, type StatusResult } from "./types";
import { newId, newPaymentReference } from "@/lib/ids";

/** `providerStatus`: the provider's own word, when it answered (a shopper's cancel depends on it). */
export type RefreshOutcome = { status: PaymentStatus; changed: boolean; flag?: string; providerStatus?: string };
export type RefreshOptions = { evidence?: StatusEvidence; loaded?: Loaded };

/** A provider transaction id learned from outside, and the rule that tied it to this payment. */
type Binding = { providerReference: string; rule?: BindingRule };

/**
 * Asks the provider's status API about a payment and applies the answer. The status API is the
 * only thing that moves a payment. `evidence.providerReference`: a provider id learned from a
 * delivery or a shopper's URL (KKiaPay): it is asked about, and kept only when the provider's
 * answer binds it to this payment (lib/payments/binding.ts).
 */
export async function refreshPayment(deps: PaymentDeps, paymentId: string, actor: string, options: RefreshOptions = {}): Promise<RefreshOutcome> {
  // A caller that has just read the row and its account (a notification) hands them over.
  let row = options.loaded?.payment.id === paymentId ? options.loaded.payment : await readRow(deps, paymentId);
  if (!row) throw notFound();
  const account = options.loaded?.payment.id === paymentId ? options.loaded.account : await loadAccount(deps, row.merchantId, row.provider);
  if (!account) throw new PaymentError("provider_unavailable", { fr: "Compte fournisseur introuvable.", en: "Provider account not found." });
  // A transaction presented now, or one a shopper's URL presented while the provider could not
  // be asked (kept unsigned on the payment, still bound only by the provider's answer).
  const presented = options.evidence?.providerReference ?? keptCandidates(row)[0];
  const candidate = presented && presented !== row.providerReference ? presented : undefined;
  if (candidate) {
    const decided = await checkCandidate(deps, row, account, actor, candidate, options.evidence);
    if (decided) return decided;
    // The payment's own transaction is asked about next, as the row is now (without that id): an
    // id anyone can name on a URL that collected nothing must neither hide the payment's own
    // answer nor decide the payment (its window, its late check) in its place.
    row = await readRow(deps, paymentId);
    if (!row) throw notFound();
  }
  const own = options.evidence?.providerReference ? { fields: options.evidence.fields } : options.evidence;
  const result = await askProvider(deps, row, account, actor, own);
  // A transaction already tied to this payment must still say it is ours when it names anyone.
  if (typeof result.claimedReference === "string" && result.claimedReference !== "" && !referencesOf(row).includes(result.claimedReference)) {
    return refuseBinding(deps, row, actor, row.providerReference ?? "", "carries_another_reference", result);
  }
  return withProviderStatus(result, await applyStatus(deps, row, account, result, actor));
}

/**
 * The provider's status answer about the payment, or about `candidate` for it. A failure is
 * recorded as a check and thrown, except the provider's word that a candidate is another
 * account's transaction, thrown as it is for the caller to refuse.
 */
async function askProvider(deps: PaymentDeps, row: PaymentRow, account: LoadedAccount, actor: string, evidence: StatusEvidence | undefined, candidate?: string): Promise<StatusResult> {
  try {
    const asked = candidate ? { ...row, providerReference: candidate } : row;
    return await getProvider(row.provider).getStatus(paymentHandle(asked, deps.encryptionKey), contextFor(deps, account, "status", row.mode), evidence);
  } catch (error) {
    const pe = error instanceof ProviderError ? error : new ProviderError(row.provider, "internal_error", errorMessage(error), true);
    if (candidate && pe.code === TRANSACTION_NOT_OURS) throw pe;
    // The transaction asked about is kept for the next check to ask about again.
    const kept = candidate ? storedWith(row, { add: candidate }) : undefined;
    await writeTogether(deps.db, [
      deps.db
        .update(payments)
        .set({ ...checked(deps, row, actor, pe), ...(kept ? { stored: kept } : {}) })
        .where(eq(payments.id, row.id)),
      eventInsert(deps.db, { paymentId: row.id, merchantId: row.merchantId, type: "status_check", actor, data: { error: pe.code, message: pe.message, trace: pe.details.trace } }),
    ]);
    throw pe;
  }
}

/**
 * Asks about a transaction learned from outside. Its outcome when that transaction decided the
 * payment (bound to it, or a collection of its own), null when it collected nothing for it
 * (refused, or another of its transactions without money): the caller then asks about the
 * payment's own.
 */
async function checkCandidate(deps: PaymentDeps, row: PaymentRow, account: LoadedAccount, actor: string, candidate: string, evidence: StatusEvidence | undefined): Promise<RefreshOutcome | null> {
  if (await boundElsewhere(deps, row, candidate)) {
    await refuseCandidate(deps, row, actor, candidate, "bound_to_another_payment");
    return null;
  }
  let result: StatusResult;
  try {
    result = await askProvider(deps, row, account, actor, evidence, candidate);
  } catch (error) {
    if (!(error instanceof ProviderError) || error.code !== TRANSACTION_NOT_OURS) throw error;
    await refuseCandidate(deps, row, actor, candidate, error.code);
    return null;
  }
  const verdict = bindingVerdict(row, result);
  if (!verdict.ok) {
    await refuseCandidate(deps, row, actor, candidate, verdict.reason, result);
    return null;
  }
  if (row.providerReference) {
    // Another transaction of this payment (the widget used again while a first prompt was
    // pending, two tabs): only money changes anything. It replaces the one we knew unless the
    // payment is collected already, in which case it is a second collection of its own. So is one
    // whose answer states no money: nothing yet says which of the two collected, and checked here
    // once and then forgotten its money would be lost if the other one pays.
    if (result.status !== "paid") {
      await otherTransaction(deps, row, actor, candidate, result);
      return null;
    }
    if (COLLECTED.includes(row.status) || !moneyStated(result)) {
      return withProviderStatus(result, await recordSecondCollection(deps, row, account, result, actor, { providerReference: candidate, rule: verdict.rule }));
    }
  }
  return withProviderStatus(result, await applyStatus(deps, row, account, result, actor, { providerReference: candidate, rule: verdict.rule }));
}

const notFound = () => new PaymentError("payment_not_found", { fr: "Paiement introuvable.", en: "Payment not found." });
const readRow = async (deps: PaymentDeps, paymentId: string): Promise<PaymentRow | undefined> => (await deps.db.select().from(payments).where(eq(payments.id, paymentId)))[0];

const withProviderStatus = (result: StatusResult, outcome: RefreshOutcome): RefreshOutcome => ({ ...outcome, providerStatus: result.providerStatus });

const COLLECTED: readonly PaymentStatus[] = COLLECTED_STATUSES;

/** Keeps a transaction id a shopper's URL named, unsigned, for a later check to ask about (candidates.ts). */
export async function keepCandidate(deps: PaymentDeps, row: PaymentRow, providerReference: string): Promise<void> {
  if (providerReference === row.providerReference) return;
  const stored = storedWith(row, { add: providerReference });
  if (stored) await deps.db.update(payments).set({ stored }).where(eq(payments.id, row.id));
}

/**
 * A check's bookkeeping, whatever its answer. An undecided payment gets its next check (the
 * statement that makes it final clears it). A closed one keeps its late check (late-checks.ts)
 * until reconciliation has run it; a late check the provider could not answer is tried again
 * while the attempt was closed less than a day ago. Decided in SQL on the row as it is now: a
 * check that read the row before a person closed it must not schedule anything on it.
 */
function checked(deps: PaymentDeps, row: PaymentRow, actor: string, error?: ProviderError) {
  const at = now(deps);
  const next = new Date(at.getTime() + nextCheckDelayMs(row.checkAttempts + 1)).toISOString();
  const lateCheckRan = actor === "reconciliation";
  const retryLate = error?.retryable === true;
  return {
    lastCheckedAt: at,
    checkAttempts: sql`${payments.checkAttempts} + 1`,
    nextCheckAt: sql`case
      when ${inArray(payments.status, [...UNDECIDED_STATUSES])} then ${next}::timestamptz
      when ${retryLate} and ${payments.updatedAt} > ${at.toISOString()}::timestamptz - interval '1 day' then ${next}::timestamptz
      when ${lateCheckRan} or ${error !== undefined} then null
      else ${payments.nextCheckAt} end`,
  };
}

/** A transaction of this payment other than the one it is bound to, that collected nothing: noted, and no longer kept. */
async function otherTransaction(deps: PaymentDeps, row: PaymentRow, actor: string, providerReference: string, result: StatusResult): Promise<void> {
  await noteDropped(deps, row, providerReference, {
    paymentId: row.id,
    merchantId: row.merchantId,
    type: "status_check",
    actor,
    data: { otherTransaction: providerReference, providerStatus: result.providerStatus, status: result.status, trace: result.trace },
  });
}

/**
 * A payment already collected, and another of its transactions collected too (the same widget
 * paid in two tabs): the money is real, so it gets a payment row of its own, paid and flagged
 * double_payment like any second payment of the order, for the merchant to refund. Also the
 * payment not collected yet, when the answer states no money: the row holds the transaction until
 * an answer states it, and pays the order then if no other payment has.
 */
async function recordSecondCollection(deps: PaymentDeps, row: PaymentRow, account: LoadedAccount, result: StatusResult, actor: string, binding: Binding): Promise<RefreshOutcome> {
  // Decided before any row exists: money that disagrees with the price (a 1-franc transaction
  // naming a paid payment's reference), or test money on a live account, gets no payment of its
  // own that would stay open; the paid payment records it for the merchant's eyes. An answer that
  // states no money proves nothing either way: the transaction gets its row, flagged and checked
  // again until an answer states it.
  const disagreement = moneyStated(result) ? moneyDisagreement(row, result) : null;
  const refusal = disagreement ?? (row.mode === "sandbox" && account.mode === "live" ? "sandbox_payment" : null);
  if (refusal) {
    await recordEvent(deps.db, { paymentId: row.id, merchantId: row.merchantId, type: "flag", actor, data: { flag: "second_transaction", refused: refusal, providerReference: binding.providerReference, amount: result.amountMinor ?? null, received: result.paidAmountMinor ?? null, currency: result.currency ?? null } });
    return { status: row.status, changed: false, flag: "second_transaction" };
  }
  // One row per transaction, even when its webhook and a return present it at the same moment.
  const second = await deps.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`${row.provider}:${binding.providerReference}`}))`);
    const [taken] = await tx.select({ id: payments.id }).from(payments).where(and(eq(payments.provider, row.provider), eq(payments.providerReference, binding.providerReference))).limit(1);
    if (taken) return null;
    const [inserted] = await tx
      .insert(payments)
      .values({
        id: newId("pay"),
        orderId: row.orderId,
        merchantId: row.merchantId,
        providerAccountId: row.providerAccountId,
        provider: row.provider,
        mode: row.mode,
        method: row.method,
        reference: newPaymentReference(now(deps)),
        providerReference: binding.providerReference,
        providerReferenceRule: binding.rule ?? null,
        stored: { [SECOND_OF]: row.reference },
        amountMinor: row.amountMinor,
        currency: row.currency,
        customerPhone: row.customerPhone,
        status: "created",
        expiresAt: now(deps),
        nextCheckAt: new Date(now(deps).getTime() + nextCheckDelayMs(0)),
      })
      .returning();
    return inserted!;
  });
  if (!second) return { status: row.status, changed: false };
  await recordEvent(deps.db, { paymentId: second.id, merchantId: row.merchantId, type: "init_request", actor, data: { secondTransactionOf: row.id, providerReference: binding.providerReference } });
  await recordEvent(deps.db, { paymentId: row.id, merchantId: row.merchantId, type: "flag", actor, data: { flag: "second_transaction", providerReference: binding.providerReference, payment: second.id } });
  await applyStatus(deps, second, account, result, actor, binding);
  return { status: row.status, changed: false, flag: "second_transaction" };
}

/** A second collection's row carries the reference of the payment whose transaction it holds (which names that one). */
const SECOND_OF = "secondTransactionOf";
const referencesOf = (row: PaymentRow) => [row.reference, ...(typeof row.stored?.[SECOND_OF] === "string" ? [row.stored[SECOND_OF] as string] : [])];

async function boundElsewhere(deps: PaymentDeps, row: PaymentRow, providerReference: string): Promise<boolean> {
  const [other] = await deps.db
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.provider, row.provider), eq(payments.providerReference, providerReference), ne(payments.id, row.id)))
    .limit(1);
  return Boolean(other);
}

/** An event about a transaction, written with that transaction dropped from the URL ids (and `set`, a check's bookkeeping). */
async function noteDropped(deps: PaymentDeps, row: PaymentRow, providerReference: string, event: PaymentEvent, set: Record<string, unknown> = {}): Promise<void> {
  const stored = storedWith(row, { drop: providerReference });
  const changes = { ...set, ...(stored ? { stored } : {}) };
  await writeTogether(deps.db, [eventInsert(deps.db, event), ...(Object.keys(changes).length ? [deps.db.update(payments).set(changes).where(eq(payments.id, row.id))] : [])]);
}

/**
 * A provider transaction presented for a payment it does not belong to: recorded as a flag event
 * on the payment it was presented for (for the merchant's eyes), which itself stays as it was.
 */
function refusal(row: PaymentRow, actor: string, providerReference: string, reason: string, result?: StatusResult): PaymentEvent {
  const answer = result ? { providerStatus: result.providerStatus, amount: result.amountMinor ?? null, claimedReference: result.claimedReference ?? null, trace: result.trace } : {};
  return { paymentId: row.id, merchantId: row.merchantId, type: "flag", actor, data: { flag: "transaction_refused", reason, providerReference, ...answer } };
}

const warnRefused = (row: PaymentRow, reason: string) => logger("payments").warn({ paymentId: row.id, provider: row.provider, reason }, "provider transaction refused for this payment");

/** A transaction learned from outside and refused: the check goes on with the payment's own (refreshPayment). */
async function refuseCandidate(deps: PaymentDeps, row: PaymentRow, actor: string, providerReference: string, reason: string, result?: StatusResult): Promise<void> {
  await noteDropped(deps, row, providerReference, refusal(row, actor, providerReference, reason, result));
  warnRefused(row, reason);
}

/** The payment's own transaction refused (it names another payment, or another payment collected it). */
async function refuseBinding(deps: PaymentDeps, row: PaymentRow, actor: string, providerReference: string, reason: string, result: StatusResult): Promise<RefreshOutcome> {
  await noteDropped(deps, row, providerReference, refusal(row, actor, providerReference, reason, result), checked(deps, row, actor));
  const at = now(deps);
  if (!isFinal(row.status) && row.expiresAt && at.getTime() > row.expiresAt.getTime() + 2 * 60_000) {
    // The provider answered and the window is over: a refused transaction must not keep the attempt open.
    await applyTransition(deps.db, { paymentId: row.id, to: "expired", actor, patch: { nextCheckAt: lateCheckAt(row, at) }, data: { refused: reason } });
    return { status: "expired", changed: true, flag: "transaction_refused" };
  }
  warnRefused(row, reason);
  return { status: row.status, changed: false, flag: "transaction_refused" };
}

async function applyStatus(deps: PaymentDeps, row: PaymentRow, account: LoadedAccount, result: StatusResult, actor: string, binding?: Binding): Promise<RefreshOutcome> {
  const at = now(deps);
  const undecided = !isFinal(result.status);
  const fee = storableMinor(result.feeMinor);
  const learnedReference = binding?.providerReference ?? (!row.providerReference ? result.providerReference : undefined);
  const dropped = binding ? storedWith(row, { drop: binding.providerReference }) : undefined;
  // The ledger row and the check bookkeeping go out as one statement. The next check stays
  // scheduled even when the answer is final: only the statement that makes the payment final
  // clears it, so a crash or a failed transition in between leaves it to reconciliation.
  await writeTogether(deps.db, [
    eventInsert(deps.db, {
      paymentId: row.id,
      merchantId: row.merchantId,
      type: "status_check",
      actor,
      data: {
        providerStatus: result.providerStatus,
        status: result.status,
        amount: result.amountMinor,
        ...(result.paidAmountMinor !== undefined ? { received: result.paidAmountMinor } : {}),
        currency: result.currency,
        ...(binding ? { binding: binding.rule } : {}),
        ...(result.attemptOutcome ? { attemptOutcome: result.attemptOutcome } : {}),
        ...(fee.adjusted ? { adjusted: { fee: { reported: result.feeMinor, kept: fee.value ?? null } } } : {}),
        trace: result.trace,
      },
    }),
    deps.db
      .update(payments)
      .set({
        ...checked(deps, row, actor),
        ...(undecided ? { attemptOutcome: result.attemptOutcome ?? null } : {}),
        ...(dropped ? { stored: dropped } : {}),
        ...(learnedReference ? { providerReference: sql`coalesce(${payments.providerReference}, ${learnedReference})` } : {}),
        ...(binding?.rule ? { providerReferenceRule: sql`coalesce(${payments.providerReferenceRule}, ${binding.rule})` } : {}),
      })
      .where(eq(payments.id, row.id)),
  ]);
  if (fee.adjusted) logger("payments").warn({ paymentId: row.id, provider: row.provider, reported: result.feeMinor, kept: fee.value ?? null }, "provider fee not storable as minor units; adjusted");

  let target = result.status;
  // A provider window that closed without a decision: Orange keeps INITIATED forever, others say nothing.
  if (undecided && row.expiresAt && at.getTime() > row.expiresAt.getTime() + 2 * 60_000) target = "expired";

  if (target === "paid" && COLLECTED.includes(row.status)) {
    // Collected already: a later answer (a recheck, an unsigned callback) never rewrites its money.
    const disagreement = moneyDisagreement(row, result);
    if (disagreement) {
      await recordEvent(deps.db, { paymentId: row.id, merchantId: row.merchantId, type: "ignored", actor, data: { disagreement, amount: result.amountMinor ?? null, received: result.paidAmountMinor ?? null } });
    }
    return { status: row.status, changed: false };
  }

  if (target === "paid" && row.mode === "sandbox" && account.mode === "live") {
    // Test money on an account now live (a sandbox page still open): never pays an order.
    if (await flagPayment(deps.db, row.id, "sandbox_payment")) {
      await recordEvent(deps.db, { paymentId: row.id, merchantId: row.merchantId, type: "flag", actor, data: { flag: "sandbox_payment", accountMode: account.mode } });
    }
    return { status: row.status, changed: false, flag: "sandbox_payment" };
  }

  if (target === "paid") {
    const mismatch = moneyDisagreement(row, result);
    if (mismatch) {
      // Never paid on a disagreement about money: a person decides (the Exceptions queue).
      const flagged = await flagPayment(deps.db, row.id, mismatch, { paidAmountMinor: storableMinor(result.paidAmountMinor).value });
      if (flagged) {
        await recordEvent(deps.db, {
          paymentId: row.id,
          merchantId: row.merchantId,
          type: "flag",
          actor,
          data: { flag: mismatch, ours: { amount: row.amountMinor, currency: row.currency }, provider: { amount: result.amountMinor ?? null, received: result.paidAmountMinor ?? null, currency: result.currency ?? null } },
        });
      }
      return { status: row.status, changed: false, flag: mismatch };
    }
  }

  if (target === row.status) return { status: row.status, changed: false };

  const paidPatch =
    target === "paid"
      ? {
          ...paidFields(row, account, result, fee.value, at),
          // The transaction that collected is the payment's, even if another one was known before.
          ...(binding ? { providerReference: binding.providerReference, providerReferenceRule: binding.rule ?? null } : {}),
        }
      : {};
  // The operator the shopper actually tried, when the provider names it (CinetPay's payment_method
  // on a refused attempt): kept on failures as on collections, so success per operator counts both.
  const failurePatch =
    target === "failed" || target === "cancelled"
      ? { failureCode: result.failureCode ?? null, failureMessage: result.failureMessage ?? null, ...(result.method ? { method: result.method } : {}) }
      : {};
  // Expired by our own window, the provider never said no: one late check after its window.
  const nextCheckAt = target === "expired" && result.status !== "expired" ? lateCheckAt(row, at) : isFinal(target) ? null : undefined;
  const patch = { ...paidPatch, ...failurePatch, nextCheckAt, attemptOutcome: isFinal(target) ? null : undefined };
  const data = { providerStatus: result.providerStatus, ...(isFinal(row.status) ? { late: true } : {}) };

  const outcome = await applyTransition(deps.db, { paymentId: row.id, to: target, actor, patch, data });
  if (outcome.applied) return { status: target, changed: true };
  if (outcome.reason === "order_already_paid") {
    // The shopper paid twice for one order: the money is real, so it is recorded as collected
    // and flagged for a refund; the order stays with the payment that paid it first.
    const second = await applyTransition(deps.db, { paymentId: row.id, to: "paid", actor, patch: { ...patch, flag: "double_payment" }, data: { ...data, flag: "double_payment" } });
    await recordEvent(deps.db, { paymentId: row.id, merchantId: row.merchantId, type: "flag", actor, data: { flag: "double_payment" } });
    return { status: second.applied ? "paid" : (second.current ?? row.status), changed: second.applied, flag: "double_payment" };
  }
  if (outcome.reason === "transaction_already_collected") {
    // Another payment already collected this provider transaction: it is not ours to collect.
    if (learnedReference) {
      await deps.db
        .update(payments)
        .set({ providerReference: null, providerReferenceRule: null })
        .where(and(eq(payments.id, row.id), eq(payments.providerReference, learnedReference), sql`${payments.status} in ('created', 'pending', 'waiting_for_customer')`));
    }
    return refuseBinding(deps, row, actor, learnedReference ?? row.providerReference ?? "", "transaction_already_collected", result);
  }
  if (target === "paid" && binding && outcome.current && COLLECTED.includes(outcome.current)) {
    // Another answer collected this payment while this one was on its way (two transactions of
    // one payment answered together): this transaction's money is a collection of its own.
    const [now_] = await deps.db.select().from(payments).where(eq(payments.id, row.id));
    if (now_ && now_.providerReference !== binding.providerReference) return recordSecondCollection(deps, now_, account, result, actor, binding);
  }
  await recordEvent(deps.db, { paymentId: row.id, merchantId: row.merchantId, type: "ignored", actor, data: { wanted: target, current: outcome.current ?? null } });
  return { status: outcome.current ?? row.status, changed: false };
}

function paidFields(row: PaymentRow, account: LoadedAccount, result: StatusResult, feeReported: number | undefined, at: Date) {
  const feeEstimated = estimateFee(row.amountMinor, account);
  const received = storableMinor(result.paidAmountMinor).value;
  return {
    paidAt: at,
    feeReportedMinor: feeReported ?? null,
    feeEstimatedMinor: feeEstimated,
    netMinor: row.amountMinor - (feeReported ?? feeEstimated),
    settlementDate: result.settlementDate ?? estimateSettlementDate(at, account.settlementDelayDays, account.timeZone),
    settlementReported: Boolean(result.settlementDate),
    paidAmountMinor: received ?? null,
    flag: received !== undefined && received > row.amountMinor ? "overpaid" : undefined,
    ...(result.method ? { method: result.method } : {}),
  };
}
