import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { COLLECTED_STATUSES, orders, payments, UNDECIDED_STATUSES } from "@/db/schema";
import type { TimeCursor } from "@/lib/dashboard/keyset";
import { refundMode } from "@/lib/dashboard/order-detail";
import { SOLD_OUT_FLAG } from "@/lib/products/stock";
import type { PaymentStatus, ProviderId } from "./types";

/**
 * The Exceptions queue: a payment whose `flag` says why a person must look at it is an open
 * exception until `flag_resolved_at` is set. This module reads the queue and says, for each
 * exception, what happened in plain words (message keys under `exceptions.reason`) and what can
 * be done about it; exception-actions.ts carries the chosen action out.
 */

export const EXCEPTION_ACTIONS = ["refund", "record_refund", "accept", "resolve"] as const;
export type ExceptionAction = (typeof EXCEPTION_ACTIONS)[number];

/** What `flag_resolution` records for each action (a refund that fell back to manual is refund_recorded). */
export const RESOLUTION_OF: Record<ExceptionAction, "refunded" | "refund_recorded" | "accepted" | "resolved"> = {
  refund: "refunded",
  record_refund: "refund_recorded",
  accept: "accepted",
  resolve: "resolved",
};

/** Accepting money or closing a case on a person's word needs the word written down. */
export const NOTE_REQUIRED: Record<ExceptionAction, boolean> = { refund: false, record_refund: false, accept: true, resolve: true };

/**
 * Flags that mean the provider holds money of the shopper's that the order does not need (all or
 * part of it). An order paid after its products sold out may need it back too: the merchant
 * either delivers later (resolve, with a note) or refunds.
 */
const MONEY_TO_RETURN = new Set(["double_payment", "overpaid", "paid_after_final", "shared_transaction", SOLD_OUT_FLAG]);

/**
 * Flags raised on a payment that stays undecided by design: closing one on a person's word also
 * closes the attempt (cancelled, with this failure code), or it would be re-checked, and
 * re-flagged, for as long as the provider keeps its answer. The order stays open to be paid.
 */
export const CANCEL_CODE_ON_RESOLVE: Record<string, string> = {
  underpaid: "underpaid_returned",
  amount_mismatch: "amount_mismatch",
  currency_mismatch: "currency_mismatch",
  sandbox_payment: "sandbox_payment",
};

const UNDECIDED: readonly PaymentStatus[] = UNDECIDED_STATUSES;
const REFUNDABLE: readonly PaymentStatus[] = ["paid", "partially_refunded"];
const COLLECTED: readonly PaymentStatus[] = COLLECTED_STATUSES;

export type Offer =
  | { action: "refund"; amountMinor: number }
  /** `books`: the payment is collected in our books, so a refund row is written; otherwise only the exception records it. */
  | { action: "record_refund"; amountMinor: number; books: boolean }
  | { action: "accept"; amountMinor: number }
  /** `cancels`: resolving also closes the undecided attempt (CANCEL_CODE_ON_RESOLVE). */
  | { action: "resolve"; cancels: boolean };

/** What the offers and the reason are computed from: one payment row and a few facts around it. */
export type ExceptionFacts = {
  flag: string;
  status: PaymentStatus;
  provider: ProviderId;
  amountMinor: number;
  currency: string;
  paidAmountMinor: number | null;
  providerReference: string | null;
  /** Refunds not failed: their sum and count. */
  refundedMinor: number;
  refundCount: number;
  hasAccount: boolean;
  /** The data of the flag's latest `flag` event: what the provider said (amount, currency) when it was raised. */
  flagData: Record<string, unknown> | null;
};

/**
 * What the provider said it received. Rows flagged before paid_amount_minor was stored with the
 * flag (underpaid, mismatches) keep it only in their flag event: it is read from there.
 */
export function receivedOf(facts: ExceptionFacts): { amountMinor: number | null; currency: string } {
  const provider = (facts.flagData?.provider ?? null) as { amount?: unknown; received?: unknown; currency?: unknown } | null;
  // Flag events say `received` (what was paid) beside `amount` (what the transaction was for); older ones only `amount`.
  const stated = provider?.received ?? provider?.amount;
  const fromEvent = typeof stated === "number" && Number.isSafeInteger(stated) && stated > 0 ? stated : null;
  const currency = typeof provider?.currency === "string" && provider.currency ? provider.currency : facts.currency;
  if (facts.paidAmountMinor !== null) return { amountMinor: facts.paidAmountMinor, currency };
  // A paid_after_final or double payment was collected in full at the provider.
  if (facts.flag === "paid_after_final" || facts.flag === "double_payment") return { amountMinor: fromEvent ?? facts.amountMinor, currency };
  return { amountMinor: fromEvent, currency };
}

/** The refund that puts the shopper back where they should be: the excess of an overpayment, else all that is left. */
function amountToReturn(facts: ExceptionFacts, refundable: number): number {
  if (facts.flag === "overpaid") return Math.min(Math.max(0, (facts.paidAmountMinor ?? facts.amountMinor) - facts.amountMinor), refundable);
  return refundable;
}

/**
 * Whether refundPayment will refund this amount through the provider's API. Mirrors its rule
 * (refundMode), and needs the provider's transaction id, which a shared_transaction row lost.
 */
function refundsByApi(facts: ExceptionFacts, amountMinor: number, refundable: number): boolean {
  if (!facts.hasAccount || !facts.providerReference) return false;
  const mode = refundMode(facts.provider, facts.refundCount);
  return mode === "api_any" || (mode === "api_full_only" && amountMinor === refundable);
}

/** The actions that make sense for this exception now, each with the amount it moves (from the database). */
export function offersFor(facts: ExceptionFacts): Offer[] {
  const offers: Offer[] = [];
  const undecided = UNDECIDED.includes(facts.status);
  if (MONEY_TO_RETURN.has(facts.flag)) {
    if (REFUNDABLE.includes(facts.status)) {
      const refundable = (facts.paidAmountMinor ?? facts.amountMinor) - facts.refundedMinor;
      const amount = amountToReturn(facts, refundable);
      if (amount > 0) {
        if (refundsByApi(facts, amount, refundable)) offers.push({ action: "refund", amountMinor: amount });
        offers.push({ action: "record_refund", amountMinor: amount, books: true });
      }
    } else if (!COLLECTED.includes(facts.status)) {
      // Money the provider holds but our books never counted (paid after we closed the attempt).
      const received = receivedOf(facts).amountMinor;
      if (received) offers.push({ action: "record_refund", amountMinor: received, books: false });
    }
  }
  if (facts.flag === "underpaid" && undecided) {
    const received = receivedOf(facts);
    if (received.amountMinor !== null && received.currency === facts.currency && received.amountMinor < facts.amountMinor) {
      offers.push({ action: "accept", amountMinor: received.amountMinor });
    }
  }
  offers.push({ action: "resolve", cancels: undecided && facts.flag in CANCEL_CODE_ON_RESOLVE });
  return offers;
}

/** Message keys under `exceptions.reason` and `exceptions.advice`, and the amounts they name (minor units). */
export type Reason = {
  key: string;
  adviceKey: string;
  amounts: { amount: number; received: number | null; difference: number | null; refunded: number };
  currency: string;
  receivedCurrency: string;
  /** paid_after_sold_out: the products the order bought more of than were left, and how many units were missing. */
  shortages: Shortage[];
};

export type Shortage = { name: string; missing: number };

const KNOWN_FLAGS = new Set(["double_payment", "overpaid", "underpaid", "amount_mismatch", "currency_mismatch", "paid_after_final", "shared_transaction", "sandbox_payment", SOLD_OUT_FLAG]);

/** What the flag event of a paid_after_sold_out recorded (lib/products/stock.ts), read defensively: it is stored JSON. */
function shortagesOf(facts: ExceptionFacts): Shortage[] {
  if (facts.flag !== SOLD_OUT_FLAG || !Array.isArray(facts.flagData?.products)) return [];
  return (facts.flagData.products as unknown[]).flatMap((p) => {
    const { name, missing } = (p ?? {}) as { name?: unknown; missing?: unknown };
    return typeof name === "string" && Number.isSafeInteger(missing) && (missing as number) > 0 ? [{ name, missing: missing as number }] : [];
  });
}

export function reasonFor(facts: ExceptionFacts): Reason {
  const received = receivedOf(facts);
  const known = KNOWN_FLAGS.has(facts.flag);
  let key = known ? facts.flag : "unknown";
  if (facts.flag === "double_payment" && !COLLECTED.includes(facts.status)) key = "double_payment_unsettled";
  if ((facts.flag === "underpaid" || facts.flag === "amount_mismatch") && received.amountMinor === null) key = `${facts.flag}_unknown`;
  return {
    key,
    adviceKey: known ? facts.flag : "unknown",
    amounts: {
      amount: facts.amountMinor,
      received: received.amountMinor,
      difference: received.amountMinor === null ? null : Math.abs(received.amountMinor - facts.amountMinor),
      refunded: facts.refundedMinor,
    },
    currency: facts.currency,
    receivedCurrency: received.currency,
    shortages: shortagesOf(facts),
  };
}

/** The partial index's predicate, written the same way so the planner uses payments_merchant_open_exceptions_idx. */
const isOpen = sql`${payments.flag} is not null and ${payments.flagResolvedAt} is null`;

/** One select for the queue and for an action's check: the payment, its order and the facts around it. */
function selectExceptions(db: Db) {
  return db
    .select({
      id: payments.id,
      orderId: payments.orderId,
      orderReference: orders.reference,
      orderStatus: orders.status,
      reference: payments.reference,
      provider: payments.provider,
      method: payments.method,
      status: payments.status,
      flag: sql<string>`${payments.flag}`,
      amountMinor: payments.amountMinor,
      currency: payments.currency,
      paidAmountMinor: payments.paidAmountMinor,
      providerReference: payments.providerReference,
      flagResolvedAt: payments.flagResolvedAt,
      flagResolution: payments.flagResolution,
      createdAt: payments.createdAt,
      updatedAt: payments.updatedAt,
      refundedMinor: sql<number>`coalesce((select sum(r.amount_minor) from refunds r where r.payment_id = ${payments.id} and r.status <> 'failed'), 0)`.mapWith(Number),
      refundCount: sql<number>`(select count(*) from refunds r where r.payment_id = ${payments.id} and r.status <> 'failed')`.mapWith(Number),
      hasAccount: sql<boolean>`exists (select 1 from provider_accounts a where a.merchant_id = ${payments.merchantId} and a.provider = ${payments.provider})`,
      flagData: sql<unknown>`(select e.data from payment_events e where e.payment_id = ${payments.id} and e.type = 'flag' and e.data->>'flag' = ${payments.flag} order by e.id desc limit 1)`,
      // Postgres keeps microseconds, a JS Date only milliseconds: the cursor keeps the exact text.
      cursorAt: sql<string>`${payments.updatedAt}::text`,
    })
    .from(payments)
    .innerJoin(orders, eq(orders.id, payments.orderId));
}

type SelectedRow = Awaited<ReturnType<ReturnType<typeof selectExceptions>["execute"]>>[number];

function withViews(row: SelectedRow) {
  // jsonb arrives parsed from both drivers; a string is tolerated all the same.
  const data = typeof row.flagData === "string" ? (JSON.parse(row.flagData) as unknown) : row.flagData;
  const facts: ExceptionFacts = { ...row, flagData: data && typeof data === "object" ? (data as Record<string, unknown>) : null };
  return { ...row, flagData: facts.flagData, received: receivedOf(facts), reason: reasonFor(facts), offers: offersFor(facts) };
}

export type ExceptionView = ReturnType<typeof withViews>;

/** A merchant's open exceptions, the most recently touched first, keyset-paged on (updated_at, id). */
export async function listExceptions(db: Db, merchantId: string, cursor?: TimeCursor, limit = 50): Promise<{ rows: ExceptionView[]; next?: TimeCursor }> {
  const rows = await selectExceptions(db)
    .where(
      and(
        eq(payments.merchantId, merchantId),
        isOpen,
        cursor ? sql`(${payments.updatedAt}, ${payments.id}) < (${cursor.at}::timestamptz, ${cursor.id})` : undefined,
      ),
    )
    .orderBy(desc(payments.updatedAt), desc(payments.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page.map(withViews), next: rows.length > limit && last ? { at: last.cursorAt, id: last.id } : undefined };
}

/** One payment's exception (open or not), only if it is this merchant's and flagged. */
export async function loadException(db: Db, merchantId: string, paymentId: string): Promise<ExceptionView | null> {
  const [row] = await selectExceptions(db).where(and(eq(payments.id, paymentId), eq(payments.merchantId, merchantId), sql`${payments.flag} is not null`));
  return row ? withViews(row) : null;
}

/** How many exceptions are open (the overview's figure), counted on the partial index. */
export async function countOpenExceptions(db: Db, merchantId: string): Promise<number> {
  return db.$count(payments, and(eq(payments.merchantId, merchantId), isOpen));
}
