import type { PaymentHandle, ProviderContext, StatusEvidence, StatusResult } from "@/lib/payments/types";
import { fromWireAmount } from "./amounts";
import { combinedTrace, post } from "./client";
import { errorText, ipayError, unexpectedAnswer } from "./errors";
import { askIpn, ipnIdsFor } from "./ipn";
import { searchRequestSchema, searchResponseSchema, storedSchema, type IpayCredentials } from "./schemas";
import { searchHash } from "./signature";
import { attemptOutcomeOf, methodFromMode, statusFromSearchMessage } from "./status";

/** iPay drops punctuation from oids; we search with what it kept. */
function searchOid(payment: PaymentHandle): string {
  const stored = storedSchema.safeParse(payment.stored);
  return (stored.success && stored.data.oid ? stored.data.oid : payment.reference).replace(/[^A-Za-z0-9]/g, "");
}

/**
 * /transaction/search is the truth: 404 until money arrived, 200 with the amount actually paid,
 * or a 4xx carrying M-Pesa's words when an STK push ended without payment.
 */
export async function searchStatus(payment: PaymentHandle, ctx: ProviderContext<IpayCredentials>): Promise<StatusResult> {
  const oid = searchOid(payment);
  const vid = ctx.credentials.vendorId;
  const res = await post(ctx, "/transaction/search", searchRequestSchema.parse({ oid, vid, hash: searchHash({ oid, vid }, ctx.credentials.securityKey) }), true);
  if (res.status === 200) {
    const found = searchResponseSchema.safeParse(res.json);
    const paid = found.success && found.data.data.amount !== undefined ? fromWireAmount(found.data.data.amount) : null;
    if (!found.success || paid === null) throw unexpectedAnswer("unreadable /transaction/search record", res.trace);
    const d = found.data.data;
    return {
      status: "paid",
      providerStatus: "found",
      // iPay reports only what was paid; the service compares it with the price (less/more).
      paidAmountMinor: paid,
      ...(d.currency ? { currency: d.currency } : {}),
      ...(d.code ? { providerReference: d.code } : {}),
      ...(methodFromMode(d.mode) ? { method: methodFromMode(d.mode) } : {}),
      trace: res.trace,
    };
  }
  if (res.status === 404) return { status: "pending", providerStatus: "not_found", trace: res.trace };
  if (res.status >= 400 && res.status < 500 && res.status !== 401 && res.status !== 403 && res.status !== 429) {
    const message = errorText(res.json, res.text.slice(0, 200));
    const mapped = statusFromSearchMessage(message);
    return mapped.status === "failed"
      ? { status: "failed", providerStatus: message, failureCode: mapped.failureCode, failureMessage: mapped.failureMessage, trace: res.trace }
      : { status: "pending", providerStatus: message, ...(mapped.attemptOutcome ? { attemptOutcome: mapped.attemptOutcome } : {}), trace: res.trace };
  }
  throw ipayError(res.status, res.json, res.trace);
}

/**
 * The status check, with the callback's ids when a callback triggered it. Search decides the
 * status and the amount: it is asked with a signed request and reports what iPay collected, and
 * the service reads its amount against ours (less → underpaid and not paid, more → paid and
 * flagged overpaid). The IPN only answers a code for ids anyone can send, with no amount (`mc`
 * is the callback's own, unsigned claim); so it is asked only when search found no payment, to
 * tell the shopper that this attempt failed or its code was used, while the payment stays open
 * for search or its window to decide.
 */
export async function ipayStatus(payment: PaymentHandle, ctx: ProviderContext<IpayCredentials>, evidence?: StatusEvidence): Promise<StatusResult> {
  const searched = await searchStatus(payment, ctx);
  // Search already named how the attempt ended (an STK prompt that timed out): the IPN adds nothing.
  const ids = searched.status === "pending" && !searched.attemptOutcome ? ipnIdsFor(searchOid(payment), evidence) : null;
  if (!ids) return searched;
  const ipn = await askIpn(ids, ctx);
  const attemptOutcome = attemptOutcomeOf(ipn.outcome);
  return {
    status: "pending",
    providerStatus: ipn.code,
    ...(attemptOutcome ? { attemptOutcome } : {}),
    trace: combinedTrace({ search: searched.trace, ipn: ipn.trace }),
  };
}
