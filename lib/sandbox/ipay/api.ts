import { z } from "zod";
import { getAccountSettings, omitFromAnswer } from "../faults";
import type { SandboxDeps } from "../types";
import { parseWireAmount, toWireAmount } from "./amounts";
import { notifyMerchant } from "./callback";
import { OPEN_STATUSES, PAID_STATUSES, PAYBILL, STK_FAILURES, type SimStatus, type StkFailure } from "./codes";
import { expectedHash, expectedRefundHash, hashMatches, transactResponseHash } from "./hashes";
import { expireIfStale, normalizeMsisdn, pushWindow } from "./push";
import { findByCode, findByReference, findByToken, openSession, stripOid, updateSession, type Session } from "./store";
import { readSessionInput, sessionRequest, type InputError } from "./session-input";
import { apiError, apiOk, faultsFor, guard, missingFields, readParams, vendorAccount } from "./wire";

/** REST API below /payments/v2 (PROVIDERS.md §4.3). */
export async function handleApi(req: Request, path: string[], deps: SandboxDeps): Promise<Response | null> {
  if (req.method !== "POST") return null;
  switch (path.join("/")) {
    case "transact":
      return transact(req, deps);
    case "transact/push/mpesa":
      return pushMpesa(req, deps);
    case "transaction/search":
      return search(req, deps);
    case "transaction/refund":
      return refund(req, deps);
    default:
      return null;
  }
}

const HASH_MISMATCH = "Hash mismatch: the data sent does not match the hash";
const INPUT_ERRORS: Record<InputError, string> = {
  badAmount: "Invalid amount",
  badCurr: "Invalid currency: use KES or USD",
  badOid: "Invalid oid",
  badCbk: "Invalid callback url",
};

async function transact(req: Request, deps: SandboxDeps): Promise<Response> {
  const p = await readParams(req);
  const missing = missingFields(p, ["live", "oid", "amount", "vid", "curr", "hash"]);
  if (missing.length) return apiError(400, `Missing required parameters: ${missing.join(", ")}`);
  const account = await vendorAccount(deps, p.vid);
  if (account instanceof Response) return account;
  const blocked = await guard(deps, req, account.publicId, "init");
  if (blocked) return blocked;
  if (!hashMatches(p.hash, expectedHash("transact", p, account.credentials.securityKey ?? ""))) return apiError(401, HASH_MISMATCH);

  const input = readSessionInput(p, "amount", false);
  if (!input.ok) return apiError(400, INPUT_ERRORS[input.error]);
  const { oid, amountMinor, currency } = input.value;

  const opened = await openSession(deps, { accountId: account.publicId, oid, amountMinor, currency, request: sessionRequest(p, "rest", oid, { channels: ["mpesa", "airtel"] }) });
  if ("conflict" in opened) return apiError(409, "This order has already been paid");
  const data = { sid: opened.session.token, oid, amount: p.amount ?? "", account: "" };
  return apiOk({
    data: {
      ...data,
      payment_channels: [
        { name: "MPESA", paybill: PAYBILL },
        { name: "AIRTEL", paybill: PAYBILL },
        { name: "EQUITEL", paybill: PAYBILL },
      ],
      hash: transactResponseHash(data, account.credentials.securityKey ?? ""),
    },
  });
}

/** An account setting a tester may store to make prompts die sooner or later than M-Pesa's minute. */
const pushTimeoutSetting = z.number().int().min(5).max(3600);

async function pushMpesa(req: Request, deps: SandboxDeps): Promise<Response> {
  const p = await readParams(req);
  const missing = missingFields(p, ["phone", "vid", "sid", "hash"]);
  if (missing.length) return apiError(400, `Missing required parameters: ${missing.join(", ")}`);
  const account = await vendorAccount(deps, p.vid);
  if (account instanceof Response) return account;
  const blocked = await guard(deps, req, account.publicId, null);
  if (blocked) return blocked;
  if (!hashMatches(p.hash, expectedHash("push", p, account.credentials.securityKey ?? ""))) return apiError(401, HASH_MISMATCH);

  const session = await findByToken(deps, p.sid ?? "");
  if (!session || session.accountId !== account.publicId) return apiError(400, "Invalid sid");
  if (!OPEN_STATUSES.includes(session.status)) return apiError(409, "This order has already been paid");
  const phone = normalizeMsisdn(p.phone ?? "");
  if (!phone) return apiError(400, "Invalid phone number");
  const timeout = pushTimeoutSetting.safeParse((await getAccountSettings(deps, "ipay", account.publicId)).pushTimeoutSeconds);
  const prompt = pushWindow(deps, phone, timeout.success ? timeout.data : undefined);
  const updated = await updateSession(deps, session, { status: "awaiting_pin", phone, method: "mpesa", providerTransactionId: null, state: { push: prompt } });
  if (!updated) return apiError(409, "The transaction is being processed");
  return apiOk({ text: `A payment request has been sent to ${phone}. Enter your M-Pesa PIN to complete the payment.` });
}

async function search(req: Request, deps: SandboxDeps): Promise<Response> {
  const p = await readParams(req);
  const missing = missingFields(p, ["oid", "vid", "hash"]);
  if (missing.length) return apiError(400, `Missing required parameters: ${missing.join(", ")}`);
  const account = await vendorAccount(deps, p.vid);
  if (account instanceof Response) return account;
  const found = await findByReference(deps, account.publicId, stripOid(p.oid ?? ""));
  const blocked = await guard(deps, req, account.publicId, "status", found?.faults);
  if (blocked) return blocked;
  if (!hashMatches(p.hash, expectedHash("search", p, account.credentials.securityKey ?? ""))) return apiError(401, HASH_MISMATCH);
  if (!found) return noRecord();

  const { session, expired } = await expireIfStale(deps, found);
  if (expired && session.request.cbk) notifyMerchant(deps, session, await faultsFor(deps, session.accountId, session.faults));
  if (session.status in STK_FAILURES) return apiError(400, STK_FAILURES[session.status as StkFailure]);
  if (!PAID_STATUSES.includes(session.status)) return noRecord();
  const faults = await faultsFor(deps, session.accountId, session.faults);
  return apiOk({ data: omitFromAnswer(searchData(session), faults, { amount: "transaction_amount", currency: "currency" }) });
}

// The only clean "not paid yet" signal integrators get (PROVIDERS.md §4.3).
function noRecord(): Response {
  return apiError(404, "No payment record found");
}

function searchData(session: Session) {
  const { state } = session;
  const refunded = (state.refunds ?? []).reduce((sum, r) => sum + r.amountMinor, 0);
  return {
    oid: session.merchantReference,
    transaction_amount: toWireAmount(state.paidMinor ?? 0),
    transaction_code: session.providerTransactionId ?? "",
    firstname: state.payer?.firstname ?? "",
    lastname: state.payer?.lastname ?? "",
    telephone: state.payer?.phone ?? "",
    payment_mode: state.channel ?? "",
    currency: session.currency,
    paid_at: state.paidAt ? formatDateTime(state.paidAt) : "",
    ...(refunded > 0 ? { refunded_amount: toWireAmount(refunded) } : {}),
  };
}

/** iPay writes dates as "YYYY-MM-DD HH:mm:ss" (Nairobi time, UTC+3, no offset given). */
function formatDateTime(iso: string): string {
  return new Date(Date.parse(iso) + 3 * 3600_000).toISOString().slice(0, 19).replace("T", " ");
}

async function refund(req: Request, deps: SandboxDeps): Promise<Response> {
  const p = await readParams(req);
  const missing = missingFields(p, ["code", "vid", "hash"]);
  if (missing.length) return apiError(400, `Missing required parameters: ${missing.join(", ")}`);
  const account = await vendorAccount(deps, p.vid);
  if (account instanceof Response) return account;
  const blocked = await guard(deps, req, account.publicId, null);
  if (blocked) return blocked;
  if (!hashMatches(p.hash, expectedRefundHash(p.code ?? "", p.vid ?? "", account.credentials.securityKey ?? ""))) return apiError(401, HASH_MISMATCH);

  const session = await findByCode(deps, account.publicId, p.code ?? "");
  if (!session) return apiError(404, "Transaction not found");
  const refundable: readonly SimStatus[] = ["paid", "less", "more", "partially_refunded"];
  if (!refundable.includes(session.status)) return apiError(400, "This transaction cannot be refunded");
  const already = (session.state.refunds ?? []).reduce((sum, r) => sum + r.amountMinor, 0);
  const remaining = (session.state.paidMinor ?? 0) - already;
  const amountMinor = p.amount ? parseWireAmount(p.amount) : remaining;
  if (amountMinor === null) return apiError(400, "Invalid amount");
  if (amountMinor > remaining) return apiError(400, "The refund amount exceeds the amount paid");

  const refundId = `RF${session.providerTransactionId}${(session.state.refunds ?? []).length + 1}`;
  const at = (deps.now?.() ?? new Date()).toISOString();
  const updated = await updateSession(deps, session, {
    status: amountMinor === remaining ? "refunded" : "partially_refunded",
    state: { ...session.state, refunds: [...(session.state.refunds ?? []), { id: refundId, amountMinor, at }] },
  });
  if (!updated) return apiError(409, "A refund is already in progress for this transaction");
  return apiOk({ text: "Refund request successful", data: { code: p.code, refund_code: refundId, amount: toWireAmount(amountMinor) } });
}
