import { probeConnection, refused, works } from "@/lib/payments/connection-probe";
import type { PaymentProvider, StatusResult } from "@/lib/payments/types";
import { checkOrangeAmount, toMinorUnits, toWholeUnits } from "./amount";
import { webPayCall } from "./client";
import { orangeError, refusedLocally, unexpectedAnswer } from "./errors";
import { parseOrangeNotification, readNotification } from "./notification";
import { buildWebPaymentRequest } from "./request";
import { credentialsSchema, errorSchema, statusRequestSchema, statusResponseSchema, storedSchema, tokenResponseSchema, webPaymentResponseSchema, type OrangeCredentials } from "./schemas";
import { verifyNotifToken } from "./signature";
import { canonicalStatus } from "./status";
import { tokenRequest } from "./token-cache";

/** The pay_token's validity (§2.4): a confirmation after it ends EXPIRED. */
const WINDOW_MINUTES = 10;

const ok = (status: number) => status >= 200 && status < 300;

export const orangeMoneyProvider: PaymentProvider<OrangeCredentials> = {
  id: "orange-money",
  displayName: "Orange Money",
  capabilities: {
    methods: ["orange_money"],
    currencies: ["XOF", "XAF", "GNF", "CDF"],
    countries: ["CI", "SN", "ML", "BF", "NE", "GW", "CM", "CF", "GN", "CD", "MG"],
    refunds: "none",
    windowMinutes: WINDOW_MINUTES,
    statusRatePerMinute: 30,
  },
  credentialsSchema,
  publicId: (credentials) => credentials.merchantKey,
  checkAmount: checkOrangeAmount,

  async initialize(input, ctx) {
    const credentials = credentialsSchema.parse(ctx.credentials);
    const amount = checkOrangeAmount(input.amountMinor, input.currency);
    if (!amount.ok) throw refusedLocally(amount.code, amount.message.en, amount.message);
    const body = buildWebPaymentRequest(input, credentials);
    const startedAt = Date.now();
    const res = await webPayCall({ ...ctx, credentials }, credentials.environment, "webpayment", body, false);
    if (!ok(res.status)) throw orangeError(res);
    const answer = webPaymentResponseSchema.safeParse(res.json);
    if (!answer.success) throw unexpectedAnswer(res, false);
    const expiresAt = new Date(startedAt + WINDOW_MINUTES * 60_000);
    return {
      action: { type: "redirect", url: answer.data.payment_url },
      providerToken: answer.data.pay_token,
      stored: { payToken: answer.data.pay_token, environment: credentials.environment, amount: body.amount, currency: body.currency, expiresAt: expiresAt.toISOString() },
      storedSecret: { notifToken: answer.data.notif_token },
      expiresAt,
      status: "waiting_for_customer",
      trace: res.trace,
    };
  },

  async getStatus(payment, ctx): Promise<StatusResult> {
    const credentials = credentialsSchema.parse(ctx.credentials);
    const stored = storedSchema.catch({}).parse(payment.stored);
    const payToken = payment.providerToken ?? stored.payToken;
    if (!payToken) {
      throw refusedLocally("missing_pay_token", "no pay_token stored for this payment", { fr: "Paiement Orange Money introuvable.", en: "Orange Money payment not found." });
    }
    const environment = stored.environment ?? credentials.environment;
    const body = statusRequestSchema.parse({ order_id: payment.reference, amount: stored.amount ?? toWholeUnits(payment.amountMinor, payment.currency), pay_token: payToken });
    const res = await webPayCall({ ...ctx, credentials }, environment, "transactionstatus", body, true);
    if (!ok(res.status)) throw orangeError(res);
    const answer = statusResponseSchema.safeParse(res.json);
    if (!answer.success) throw unexpectedAnswer(res, true);
    const status = canonicalStatus(answer.data.status, { expiresAt: stored.expiresAt ? new Date(stored.expiresAt) : undefined, now: new Date() });
    // transactionstatus reports no amount or currency: the amount is part of the query instead
    // (OM finds the transaction by order_id + amount + pay_token), so the answer is about the
    // amount we asked about, in the currency the web payment was opened in (OUV on DEV: our XOF).
    return {
      status,
      providerStatus: answer.data.status,
      amountMinor: toMinorUnits(body.amount, payment.currency),
      currency: payment.currency,
      providerReference: answer.data.txnid ?? undefined,
      method: "orange_money",
      ...(status === "failed" ? { failureCode: answer.data.status, failureMessage: "Orange Money declined the payment" } : {}),
      trace: res.trace,
    };
  },

  /**
   * A fresh token request, past the cache: a token is what the client id and secret are for, and
   * Orange answers 401 (codes 40/41) when it does not know the pair. The merchant key and the
   * country are only checked by a web payment, which this test must not create.
   */
  testConnection(ctx) {
    return probeConnection("orange-money", ctx, tokenRequest(ctx), (res) => {
      const error = errorSchema.safeParse(res.json);
      const detail = error.success ? `${error.data.code} ${error.data.message ?? ""}`.trim() : `HTTP ${res.status}`;
      if (ok(res.status)) return tokenResponseSchema.safeParse(res.json).success ? works("access token issued", res.status) : { outcome: "unreachable", detail: `unexpected answer (HTTP ${res.status})`, httpStatus: res.status };
      return refused(detail, res.status);
    });
  },

  parseNotification: parseOrangeNotification,

  verifyNotification(request, payment) {
    return verifyNotifToken(readNotification(request.body)?.notif_token, payment.storedSecret?.notifToken);
  },

  /** INITIATED: the shopper never confirmed on Orange's page (its cancel link leaves it so). */
  shopperMayCancel: (providerStatus) => providerStatus.trim().toUpperCase() === "INITIATED",

  /** Orange does not retry, so the answer only matters to the logs; a forgery gets a 403. */
  acknowledge(verdict) {
    return verdict === "forged" ? { status: 403, body: "Forbidden", contentType: "text/plain" } : { status: 200, body: "OK", contentType: "text/plain" };
  },
};

