import { probeConnection, refused, unknownTransactionId, works } from "@/lib/payments/connection-probe";
import { providerFetch } from "@/lib/payments/http";
import type { ConnectionResult, InboundRequest, InitializeInput, PaymentHandle, PaymentProvider, ProviderContext, StatusResult } from "@/lib/payments/types";
import { CINETPAY_CURRENCIES, checkCinetpayAmount, fromWireAmount } from "./amount";
import { amountRejected, cinetpayError } from "./errors";
import { CINETPAY_METHODS, channelFor, methodFromWire } from "./methods";
import { parseCinetpayNotification, verifyCinetpayNotification } from "./notification";
import { buildInitRequest } from "./request";
import { checkRequestSchema, checkResponseSchema, credentialsSchema, initResponseSchema, type CinetpayCredentials } from "./schemas";
import { mapCinetpayStatus } from "./status";

export type { CinetpayCredentials } from "./schemas";

const INIT_OK = new Set(["201", "00"]);
const DATE = /^(\d{4}-\d{2}-\d{2})/;

async function initialize(input: InitializeInput, ctx: ProviderContext<CinetpayCredentials>) {
  const amount = checkCinetpayAmount(input.amountMinor, input.currency);
  if (!amount.ok) throw amountRejected(amount.code, amount.message);
  const body = buildInitRequest(input, ctx.credentials);
  const res = await providerFetch("cinetpay", ctx, { url: `${ctx.urls.api}/v2/payment`, json: body });
  const parsed = initResponseSchema.safeParse(res.json);
  const paymentToken = parsed.success ? (parsed.data.data?.payment_token ?? parsed.data.data?.token) : undefined;
  if (!parsed.success || !INIT_OK.has(parsed.data.code) || !paymentToken || !parsed.data.data) {
    throw cinetpayError(parsed.success ? parsed.data.code : undefined, parsed.success ? parsed.data.message : undefined, res.status, res.trace);
  }
  return {
    action: { type: "redirect" as const, url: parsed.data.data.payment_url },
    providerToken: paymentToken,
    stored: { transactionId: body.transaction_id },
    status: "pending" as const,
    trace: res.trace,
  };
}

async function getStatus(payment: PaymentHandle, ctx: ProviderContext<CinetpayCredentials>): Promise<StatusResult> {
  const body = checkRequestSchema.parse({ apikey: ctx.credentials.apiKey, site_id: ctx.credentials.siteId, transaction_id: payment.reference });
  const res = await providerFetch("cinetpay", ctx, { url: `${ctx.urls.api}/v2/payment/check`, json: body, idempotent: true });
  const parsed = checkResponseSchema.safeParse(res.json);
  // A check answers with transaction data whatever the outcome (627 carries data too); no data means an error answer.
  if (!parsed.success || !parsed.data.data) {
    throw cinetpayError(parsed.success ? parsed.data.code : undefined, parsed.success ? parsed.data.message : undefined, res.status, res.trace);
  }
  const { code, message, data } = parsed.data;
  const providerStatus = data.status ?? data.cpm_trans_status;
  const status = mapCinetpayStatus(providerStatus, code);
  const currency = (data.currency ?? data.cpm_currency)?.trim().toUpperCase();
  const wireAmount = data.amount ?? data.cpm_amount;
  const amountMinor = wireAmount !== undefined && currency ? fromWireAmount(wireAmount, currency) : null;
  const settled = status === "paid" ? DATE.exec(data.fund_availability_date ?? "")?.[1] : undefined;
  const failed = status === "failed" || status === "cancelled";
  return {
    status,
    providerStatus: providerStatus ?? code,
    ...(amountMinor !== null ? { amountMinor } : {}),
    ...(currency ? { currency } : {}),
    ...(data.operator_id ? { providerReference: data.operator_id } : {}),
    ...(methodFromWire(data.payment_method) ? { method: methodFromWire(data.payment_method) } : {}),
    ...(settled ? { settlementDate: settled } : {}),
    ...(failed ? { failureCode: code, failureMessage: message } : {}),
    trace: res.trace,
  };
}

/** Codes CinetPay answers when the apikey or the site_id is not one it knows (PROVIDERS.md §1.3). */
const CREDENTIALS_REFUSED = new Set(["609", "613", "624", "403"]);

/**
 * A check of a transaction that cannot exist: with good keys CinetPay says it does not know it,
 * with a bad apikey 609 (613 for a bad site_id). The Secret Key is not on this request: only a
 * signed notification tells it is right.
 */
function testConnection(ctx: ProviderContext<CinetpayCredentials>): Promise<ConnectionResult> {
  const json = { apikey: ctx.credentials.apiKey, site_id: ctx.credentials.siteId, transaction_id: unknownTransactionId() };
  return probeConnection("cinetpay", ctx, { url: `${ctx.urls.api}/v2/payment/check`, json }, (res) => {
    const parsed = checkResponseSchema.safeParse(res.json);
    if (!parsed.success) return { outcome: "unreachable", detail: `unexpected answer (HTTP ${res.status})`, httpStatus: res.status };
    const detail = `${parsed.data.code} ${parsed.data.message ?? ""}`.trim();
    return CREDENTIALS_REFUSED.has(parsed.data.code) || res.status === 401 ? refused(detail, res.status) : works(detail, res.status);
  });
}

export const cinetpayProvider: PaymentProvider<CinetpayCredentials> = {
  id: "cinetpay",
  displayName: "CinetPay",
  capabilities: {
    methods: CINETPAY_METHODS,
    currencies: CINETPAY_CURRENCIES,
    countries: ["CI", "SN", "BF", "ML", "TG", "BJ", "NE", "CM", "CD", "GN"],
    // The v2 checkout API has no refund endpoint.
    refunds: "none",
    // Undocumented limit (429 TOO_MANY_REQUEST exists); stay well under anything plausible.
    statusRatePerMinute: 30,
  },
  credentialsSchema,
  publicId: (credentials) => credentials.siteId,
  // The card channel refuses a payment without them (PROVIDERS.md §1.2).
  requiredCustomerData: (method) => (channelFor(method) === "CREDIT_CARD" ? ["email", "billing"] : []),
  checkAmount: checkCinetpayAmount,
  initialize,
  getStatus,
  testConnection,
  parseNotification: (request: InboundRequest) => parseCinetpayNotification(request),
  verifyNotification: (request, payment, ctx) => verifyCinetpayNotification(request, payment, ctx.credentials),
  // CinetPay documents only that notify_url must answer 200. A bad x-token gets 401
  // (ARCHITECTURE §5): a genuine delivery never carries one, so nothing is lost by refusing it.
  acknowledge: (verdict) =>
    verdict === "forged" ? { status: 401, body: "invalid x-token", contentType: "text/plain" } : { status: 200, body: "OK", contentType: "text/plain" },
};
