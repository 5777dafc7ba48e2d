import { randomUUID } from "node:crypto";
import { nationalNumber } from "@/lib/phone";
import { probeConnection, refused, works } from "@/lib/payments/connection-probe";
import { providerFetch, type ProviderResponse } from "@/lib/payments/http";
import { redact } from "@/lib/payments/redact";
import {
  ProviderError,
  type AmountCheck,
  type InboundRequest,
  type PaymentHandle,
  type PaymentMethod,
  type PaymentProvider,
  type ProviderContext,
  type StatusResult,
} from "@/lib/payments/types";
import { errorStatus, kkiapayError, mismatchError } from "./errors";
import { credentialsSchema, revertResponseSchema, transactionRequestSchema, verifyResponseSchema, webhookSchema, type KkiapayCredentials, type VerifyResponse } from "./schemas";
import { secretHeaderMatches } from "./signature";
import { canonicalStatus } from "./status";

/** Widget colour: the checkout's own accent, so the widget does not look like another site. */
const WIDGET_THEME = "#1d4ed8";

/**
 * The shopper chose the operator at our checkout ("MTN (KKiaPay)"): the widget is told to offer
 * only that one, so it does not ask again. Names as kkiapay@2.0.38 types them for `providers`
 * (its Provider type); `paymentMethods` keeps the widget on mobile money or on card, `countries`
 * on the shopper's (PROVIDERS.md §3.1).
 */
const WIDGET_PROVIDER: Partial<Record<PaymentMethod, string>> = { mtn: "mtn", moov: "moov", orange_money: "orange", wave: "wave", celtiis: "celtiis" };
const WIDGET_COUNTRIES = ["BJ", "CI", "SN", "TG", "NE"];

function widgetChoice(method: PaymentMethod, country: string): Record<string, unknown> {
  const provider = WIDGET_PROVIDER[method];
  return {
    ...(method === "card" ? { paymentMethods: ["card"] } : provider ? { paymentMethods: ["momo"], providers: { accept: [provider] } } : {}),
    ...(WIDGET_COUNTRIES.includes(country) ? { countries: [country] } : {}),
  };
}

/**
 * KKiaPay has no documented minimum; its SDK README shows a 1-franc transaction, so any positive
 * whole number of FCFA is accepted and the operators' own limits surface as FAILED payments.
 */
const MIN_AMOUNT_XOF = 1;

function keyHeaders(c: KkiapayCredentials): Record<string, string> {
  return { "x-api-key": c.publicKey, "x-private-key": c.privateKey, "x-secret-key": c.secretKey };
}

function header(request: InboundRequest, name: string): string | undefined {
  const entry = Object.entries(request.headers).find(([k]) => k.toLowerCase() === name);
  return entry?.[1];
}

/** What the verify object says the shopper paid with, in Caisse's words. */
function methodOf(v: VerifyResponse): PaymentMethod | undefined {
  if ((v.source ?? v.method ?? "").toUpperCase() === "CARD") return "card";
  const operator = (v.source_common_name ?? "").toLowerCase();
  const known: [string, PaymentMethod][] = [["mtn", "mtn"], ["moov", "moov"], ["orange", "orange_money"], ["wave", "wave"], ["celtiis", "celtiis"], ["visa", "card"], ["mastercard", "card"]];
  return known.find(([prefix]) => operator.startsWith(prefix))?.[1];
}

async function call(path: string, payment: PaymentHandle, ctx: ProviderContext<KkiapayCredentials>, idempotent: boolean): Promise<ProviderResponse> {
  const json = transactionRequestSchema.parse({ transactionId: payment.providerReference });
  return providerFetch("kkiapay", ctx, { url: `${ctx.urls.api}${path}`, headers: keyHeaders(ctx.credentials), json, idempotent });
}

/**
 * The widget's `data` (our reference) comes back as `state` (or `stateData`). Some answers carry
 * null (PROVIDERS.md §3.2): the service then binds the transaction by its other facts.
 */
function claimedReference(v: VerifyResponse): string | null {
  const data = v.state ?? v.stateData;
  if (data === null || data === undefined || data === "") return null;
  return typeof data === "string" ? data : JSON.stringify(data);
}

function performedAt(v: VerifyResponse): Date | undefined {
  const at = new Date(v.performed_at ?? v.performedAt ?? Number.NaN);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

function pendingResult(providerStatus: string, res?: ProviderResponse): StatusResult {
  return { status: "pending", providerStatus, trace: res?.trace ?? {} };
}

function toStatusResult(v: VerifyResponse, payment: PaymentHandle, res: ProviderResponse): StatusResult {
  const word = v.status.toUpperCase();
  if (word === "INVALID_TRANSACTION") throw mismatchError("KKiaPay says the transaction belongs to another account", res);
  if (v.transactionId && v.transactionId !== payment.providerReference) throw mismatchError(`asked for ${payment.providerReference}, got ${v.transactionId}`, res);
  const failed = word === "FAILED";
  return {
    status: canonicalStatus(word),
    providerStatus: word,
    amountMinor: v.amount,
    // The verify object has no currency: KKiaPay works in FCFA (XOF) only.
    currency: "XOF",
    providerReference: v.transactionId ?? payment.providerReference ?? undefined,
    method: methodOf(v),
    feeMinor: v.fees ?? undefined,
    claimedReference: claimedReference(v),
    performedAt: performedAt(v),
    failureCode: failed ? (v.failureCode ?? v.reason ?? undefined) : undefined,
    failureMessage: failed ? (v.failureMessage ?? undefined) : undefined,
    trace: res.trace,
  };
}

export const kkiapayProvider: PaymentProvider<KkiapayCredentials> = {
  id: "kkiapay",
  displayName: "KKiaPay",
  capabilities: {
    methods: ["mtn", "moov", "orange_money", "wave", "celtiis", "card"],
    currencies: ["XOF"],
    countries: ["BJ", "CI", "SN", "TG", "NE"],
    refunds: "full",
    statusRatePerMinute: 60,
  },
  credentialsSchema,
  publicId: (c) => c.publicKey,

  checkAmount(amountMinor, currency): AmountCheck {
    if (currency !== "XOF") {
      return { ok: false, code: "currency_not_supported", message: { fr: "KKiaPay n'accepte que le franc CFA (XOF).", en: "KKiaPay only accepts CFA francs (XOF)." } };
    }
    if (!Number.isSafeInteger(amountMinor) || amountMinor < MIN_AMOUNT_XOF) {
      return { ok: false, code: "amount_invalid", message: { fr: "Le montant doit être un nombre entier positif de francs CFA.", en: "The amount must be a positive whole number of CFA francs." } };
    }
    return { ok: true };
  },

  /** No server call: the widget creates the transaction in the shopper's browser. */
  async initialize(input, ctx) {
    const config: Record<string, unknown> = {
      amount: input.amountMinor,
      key: ctx.credentials.publicKey,
      sandbox: ctx.mode === "sandbox",
      data: input.reference,
      callback: input.urls.return,
      name: input.customer.name,
      ...(input.customer.email ? { email: input.customer.email } : {}),
      ...(input.customer.phone ? { phone: nationalNumber(input.customer.phone) } : {}),
      reason: input.description,
      theme: WIDGET_THEME,
      position: "center",
      ...widgetChoice(input.method, input.customer.country),
    };
    return {
      action: { type: "widget", scriptUrl: ctx.urls.script!, config },
      status: "pending",
      trace: { request: redact({ widget: config }) },
    };
  },

  async getStatus(payment, ctx) {
    // The transaction id arrives later (widget event, callback, webhook); until then nothing to ask.
    if (!payment.providerReference) return pendingResult("NO_TRANSACTION_ID");
    const res = await call("/api/v1/transactions/status", payment, ctx, true);
    if (res.status >= 200 && res.status < 300) {
      const v = verifyResponseSchema.safeParse(res.json);
      if (!v.success) throw new ProviderError("kkiapay", "unexpected_response", "unreadable verify object", false, { httpStatus: res.status, trace: res.trace });
      if (v.data.status.toUpperCase() === "TRANSACTION_NOT_FOUND") return pendingResult("TRANSACTION_NOT_FOUND", res);
      return toStatusResult(v.data, payment, res);
    }
    if (res.status === 404 || errorStatus(res) === "TRANSACTION_NOT_FOUND") return pendingResult("TRANSACTION_NOT_FOUND", res);
    throw kkiapayError(res);
  },

  /**
   * The status of a transaction id that cannot exist: 404 (TRANSACTION_NOT_FOUND) when KKiaPay
   * knows the three keys, 401 when it does not.
   */
  testConnection(ctx) {
    const json = transactionRequestSchema.parse({ transactionId: `caisse-test-${randomUUID()}` });
    return probeConnection("kkiapay", ctx, { url: `${ctx.urls.api}/api/v1/transactions/status`, headers: keyHeaders(ctx.credentials), json }, (res) => {
      const word = errorStatus(res) ?? `HTTP ${res.status}`;
      if (res.status === 401 || res.status === 403 || word === "UNAUTHORIZED") return refused(word, res.status);
      if (res.status === 404 || word === "TRANSACTION_NOT_FOUND" || (res.status >= 200 && res.status < 300)) return works(word, res.status);
      return { outcome: "unreachable", detail: `unexpected answer (${word})`, httpStatus: res.status };
    });
  },

  parseNotification(request) {
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      return null;
    }
    const parsed = webhookSchema.safeParse(body);
    if (!parsed.success) return null;
    const w = parsed.data;
    const event = w.event ?? (w.isPaymentSucces === true ? "transaction.success" : w.isPaymentSucces === false ? "transaction.failed" : "unknown");
    return {
      lookup: { providerReference: w.transactionId, ...(typeof w.stateData === "string" && w.stateData ? { reference: w.stateData } : {}) },
      // Signed by the merchant's secret, so kept with the delivery: every retry asks about it.
      evidence: { providerReference: w.transactionId },
      dedupeKey: `${w.transactionId}:${event}`,
      claimedStatus: event,
      claimedAmountMinor: w.amount,
    };
  },

  verifyNotification(request, _payment, ctx) {
    return secretHeaderMatches(header(request, "x-kkiapay-secret"), ctx.credentials.secretKey, request.body) ? "authentic" : "forged";
  },

  /** Nothing exists at KKiaPay yet: the widget was closed before any transaction was created. */
  shopperMayCancel: (providerStatus) => providerStatus === "NO_TRANSACTION_ID" || providerStatus === "TRANSACTION_NOT_FOUND",

  /** KKiaPay retries any non-2xx five times; only a forged delivery (not from KKiaPay) is refused. */
  acknowledge(verdict) {
    return verdict === "forged" ? { status: 401, body: "invalid x-kkiapay-secret", contentType: "text/plain" } : { status: 200, body: "OK", contentType: "text/plain" };
  },

  /**
   * A revert is once-only at KKiaPay, which makes following one safe: REVERTED is done; a
   * transaction still SUCCESS was never reverted (the call did not arrive), so it is sent again.
   */
  async refundStatus(input, ctx) {
    const res = await call("/api/v1/transactions/status", input.payment, ctx, true);
    const v = verifyResponseSchema.safeParse(res.json);
    if (res.status < 200 || res.status >= 300 || !v.success) throw kkiapayError(res);
    const word = v.data.status.toUpperCase();
    if (word === "REVERTED") return { status: "succeeded", providerReference: v.data.transactionId ?? input.payment.providerReference ?? undefined, trace: res.trace };
    if (word === "SUCCESS") return this.refund!(input, ctx);
    return { status: "failed", trace: res.trace };
  },

  /** Full refunds only (POST /revert takes nothing but the id); KKiaPay keeps its fees. */
  async refund(input, ctx) {
    const { payment } = input;
    if (!payment.providerReference) throw new ProviderError("kkiapay", "missing_transaction_id", "no KKiaPay transaction to refund", false);
    if (input.amountMinor !== payment.amountMinor) {
      throw new ProviderError("kkiapay", "partial_refund_unsupported", "KKiaPay reverts whole transactions only", false, {
        userMessage: { fr: "KKiaPay ne rembourse que la totalité du paiement.", en: "KKiaPay only refunds the whole payment." },
      });
    }
    const res = await call("/api/v1/transactions/revert", payment, ctx, false);
    const body = revertResponseSchema.safeParse(res.json);
    if (res.status >= 200 && res.status < 300 && body.success && body.data.code.toUpperCase() === "SUCCESS") {
      return { status: "succeeded", providerReference: body.data.transactionId ?? payment.providerReference, trace: res.trace };
    }
    throw kkiapayError(res, "refund_failed");
  },
};
