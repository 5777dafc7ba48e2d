import { apiFault, getAccountFaults, mergeFaults, omitFromAnswer, overRateLimit } from "@/lib/sandbox/faults";
import type { SandboxDeps } from "@/lib/sandbox/types";
import { authenticate } from "./auth";
import { kkiapayError } from "./errors";
import { apiBodySchema } from "./schemas";
import { findTransaction, stateOf, transition, type KkiapayTransaction } from "./store";

/** POST /api/v1/transactions/status and /revert, as api(-sandbox).kkiapay.me serves them. */
export async function handleApi(req: Request, action: "status" | "revert", deps: SandboxDeps): Promise<Response> {
  if (req.method !== "POST") return kkiapayError("methodNotAllowed");
  const account = await authenticate(req, deps);
  if (!account) return kkiapayError("unauthorized");

  const accountFaults = await getAccountFaults(deps, "kkiapay", account.publicId);
  if (await overRateLimit(deps, "kkiapay", account.publicId, accountFaults)) return kkiapayError("tooManyRequests", {}, { "retry-after": "60" });

  const body = apiBodySchema.safeParse(await req.json().catch(() => null));
  if (!body.success) return kkiapayError("badRequest");
  const txn = await findTransaction(deps, body.data.transactionId);

  const faults = mergeFaults(accountFaults, txn?.faults);
  if (action === "status") {
    const fault = await apiFault(faults.statusApi, req);
    if (fault) return fault;
  }
  if (!txn) return kkiapayError("notFound", { transactionId: body.data.transactionId });
  if (txn.accountId !== account.publicId) return kkiapayError("notYours", { transactionId: txn.token });
  // The verify object has no currency field to leave out.
  return action === "status" ? Response.json(omitFromAnswer(withFaultyFees(verifyObject(txn), faults.fractionalFees), faults, { amount: "amount" })) : revert(txn, deps);
}

/** The fractionalFees fault: half a franc more in a paid transaction's fees, as KKiaPay has reported them. */
function withFaultyFees(answer: Record<string, unknown>, fractional: boolean | undefined): Record<string, unknown> {
  return fractional && typeof answer.fees === "number" && answer.fees > 0 ? { ...answer, fees: answer.fees + 0.5 } : answer;
}

/** The verify object of §3.2. Note: no currency field; KKiaPay works in FCFA only. */
export function verifyObject(txn: KkiapayTransaction): Record<string, unknown> {
  const state = stateOf(txn);
  const request = txn.request as { name?: string; email?: string; reason?: string };
  const fees = txn.feeMinor ?? 0;
  const performedAt = state.performedAt ?? txn.createdAt.toISOString();
  const paid = txn.status === "SUCCESS" || txn.status === "REVERTED";
  return {
    performed_at: performedAt,
    received_at: txn.createdAt.getTime(),
    type: "DEBIT",
    status: txn.status,
    source: state.source ?? "MOBILE_MONEY",
    // Operator names are per country at KKiaPay ("mtn-benin" style); ours are "<operator>-<iso>".
    source_common_name: txn.method === "card" ? "visa" : `${txn.method ?? "mtn"}-${(state.country ?? "bj").toLowerCase()}`,
    amount: txn.amountMinor,
    fees: paid ? fees : 0,
    net: paid ? txn.amountMinor - fees : 0,
    income: paid ? txn.amountMinor - fees : 0,
    feeSupportedBy: "merchant",
    country: state.country ?? null,
    reason: request.reason ?? null,
    failureCode: txn.status === "FAILED" ? (state.failureCode ?? null) : null,
    failureMessage: txn.status === "FAILED" ? (state.failureMessage ?? null) : null,
    state: state.stateData ?? null,
    partnerId: state.partnerId ?? "",
    externalTransactionId: txn.providerTransactionId,
    transactionId: txn.token,
    performedAt,
    client: { fullname: request.name ?? "", phone: txn.phone ?? "", email: request.email ?? "" },
  };
}

/** Only a successful mobile-money debit can be reverted, once; KKiaPay keeps its fees. */
async function revert(txn: KkiapayTransaction, deps: SandboxDeps): Promise<Response> {
  if (txn.status !== "SUCCESS" || stateOf(txn).source === "CARD") return kkiapayError("notEligible", { transactionId: txn.token });
  const now = deps.now?.() ?? new Date();
  const reverted = await transition(deps, txn, "SUCCESS", "REVERTED", { revertedAt: now.toISOString() });
  if (!reverted) return kkiapayError("notEligible", { transactionId: txn.token });
  return Response.json({ code: "SUCCESS", description: "REVERTED", transactionId: txn.token });
}
