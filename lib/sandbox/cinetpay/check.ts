import { z } from "zod";
import { apiFault, mergeFaults, omitFromAnswer, type Faults } from "@/lib/sandbox/faults";
import type { SandboxDeps } from "@/lib/sandbox/types";
import { answer, apiResponseId, cinetpayDate, errorAnswer } from "./answers";
import { gate } from "./gate";
import { findByReference, findByToken, stateOf, type Txn } from "./store";

const checkSchema = z.looseObject({
  transaction_id: z.union([z.string().trim().min(1), z.number().int()]).transform(String).optional(),
  token: z.string().trim().min(1).optional(),
});

const SETTLEMENT_DAYS = 2;

function dayPlus(date: Date, days: number): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + days));
  return `${d.toISOString().slice(0, 10)} 00:00:00`;
}

/** The §1.4 answer: amounts as strings, `payment_date` a single space until paid. */
function checkAnswer(txn: Txn, now: Date, faults: Faults): Response {
  const state = stateOf(txn);
  const paidAt = state.paidAt ? new Date(state.paidAt) : null;
  const metadata = txn.request.metadata;
  return answer(200, {
    code: state.code,
    message: state.message,
    data: omitFromAnswer({
      amount: String(state.wireAmount),
      currency: txn.currency,
      status: txn.status,
      payment_method: txn.method ?? "",
      description: String(txn.request.description ?? ""),
      metadata: typeof metadata === "string" ? metadata : null,
      operator_id: txn.providerTransactionId ?? null,
      payment_date: paidAt ? cinetpayDate(paidAt) : " ",
      fund_availability_date: dayPlus(paidAt ?? txn.createdAt, SETTLEMENT_DAYS),
    }, faults, { amount: "amount", currency: "currency" }),
    api_response_id: apiResponseId(now),
  });
}

/** POST /v2/payment/check by transaction_id or by payment token. */
export async function checkPayment(req: Request, deps: SandboxDeps): Promise<Response> {
  const call = await gate(req, deps);
  if (call instanceof Response) return call;
  const parsed = checkSchema.safeParse(call.body);
  if (!parsed.success || (!parsed.data.transaction_id && !parsed.data.token)) {
    return errorAnswer("fields", "transaction_id or token is required");
  }
  const { transaction_id, token } = parsed.data;
  const byToken = token ? await findByToken(deps, token) : null;
  const txn = transaction_id ? await findByReference(deps, call.account.publicId, transaction_id) : byToken?.accountId === call.account.publicId ? byToken : null;
  const faults = mergeFaults(call.faults, txn?.faults);
  const fault = await apiFault(faults.statusApi, req);
  if (fault) return fault;
  if (!txn) return errorAnswer("notFound", "No transaction found for this site_id");
  return checkAnswer(txn, deps.now?.() ?? new Date(), faults);
}
