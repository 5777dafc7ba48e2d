import { credentialMatches } from "../accounts";
import { apiFault, mergeFaults } from "../faults";
import type { SandboxDeps } from "../types";
import { authenticate } from "./auth";
import { nowOf } from "./clock";
import { environmentCurrency } from "./environments";
import { orangeError } from "./errors";
import { createTransaction, findByReference } from "./store";
import { readBody, statusBody, webPaymentBody } from "./validation";

export function paymentPageUrl(deps: SandboxDeps, payToken: string): string {
  return `${deps.origin}/sandbox/orange-money/payment/pay_token/${payToken}`;
}

/** POST /orange-money-webpay/{dev|cc}/v1/webpayment */
export async function handleWebPayment(req: Request, environment: string, deps: SandboxDeps): Promise<Response> {
  const expectedCurrency = environmentCurrency(environment);
  if (!expectedCurrency) return orangeError("notFound", `No WebPay API is published for '${environment}'`);
  if (req.method !== "POST") return orangeError("methodNotAllowed", "Use POST");
  const caller = await authenticate(req, deps);
  if (caller instanceof Response) return caller;
  const fault = await apiFault(caller.faults.init, req);
  if (fault) return fault;

  const body = await readBody(req, webPaymentBody, "WebPaymentInfo");
  if (body instanceof Response) return body;
  if (!credentialMatches(caller.account.credentials.merchantKey, body.merchant_key)) {
    return orangeError("accessDenied", "The merchant_key does not belong to this application");
  }
  if (body.currency !== expectedCurrency) {
    return orangeError("invalidBodyField", `Key: 'WebPaymentInfo.Currency' Error:currency ${body.currency} is not accepted on /${environment}/, only ${expectedCurrency}`);
  }
  const txn = await createTransaction(deps, caller.account.publicId, body, environment, nowOf(deps));
  // Orange requires order_id to be unique; the seed saw a 403 for a reused one.
  if (!txn) return orangeError("accessDenied", `order_id ${body.order_id} has already been used: order_id must be unique`);

  return Response.json(
    { status: 201, message: "OK", pay_token: txn.token, payment_url: paymentPageUrl(deps, txn.token), notif_token: txn.state.notifToken },
    { status: 201 },
  );
}

/** POST /orange-money-webpay/{dev|cc}/v1/transactionstatus: answers 201, like creation. */
export async function handleTransactionStatus(req: Request, environment: string, deps: SandboxDeps): Promise<Response> {
  if (!environmentCurrency(environment)) return orangeError("notFound", `No WebPay API is published for '${environment}'`);
  if (req.method !== "POST") return orangeError("methodNotAllowed", "Use POST");
  const caller = await authenticate(req, deps);
  if (caller instanceof Response) return caller;

  const body = await readBody(req, statusBody, "GetTransactionStatusInfo");
  if (body instanceof Response) return body;
  const txn = await findByReference(deps, caller.account.publicId, body.order_id);
  const matches = txn && txn.state.environment === environment && credentialMatches(txn.token, body.pay_token) && txn.amountMinor === body.amount;
  const fault = await apiFault(mergeFaults(caller.faults, txn?.faults).statusApi, req);
  if (fault) return fault;
  // The three fields identify the transaction together: a wrong amount finds nothing.
  if (!matches) return orangeError("notFound", "No transaction matches this order_id, amount and pay_token");

  return Response.json({ status: txn.status, order_id: txn.merchantReference, ...(txn.providerTransactionId ? { txnid: txn.providerTransactionId } : {}) }, { status: 201 });
}
