import { probeConnection, refused, unknownTransactionId, works } from "@/lib/payments/connection-probe";
import type { PaymentProvider } from "@/lib/payments/types";
import { checkIpayAmount } from "./amounts";
import { rejected } from "./errors";
import { hostedForm } from "./hosted";
import { parseCallback } from "./notification";
import { stkPush } from "./push";
import { refundPayment } from "./refund";
import { credentialsSchema, type IpayCredentials } from "./schemas";
import { baseUrl } from "./client";
import { errorText } from "./errors";
import { searchHash } from "./signature";
import { ipayStatus } from "./status-check";

/**
 * iPay Africa (Kenya): a signed hosted form (SHA1) or an M-Pesa STK push over the REST API
 * (SHA256); /transaction/search is the truth, since iPay's callbacks carry no signature (the IPN
 * only tells how an unpaid attempt ended: status-check.ts).
 */
export const ipayProvider: PaymentProvider<IpayCredentials> = {
  id: "ipay",
  displayName: "iPay Africa",
  capabilities: {
    methods: ["mpesa", "airtel", "card"],
    currencies: ["KES", "USD"],
    countries: ["KE"],
    refunds: "partial",
    windowMinutes: 60,
    // iPay documents no rate limit; this keeps reconciliation polite.
    statusRatePerMinute: 30,
  },
  credentialsSchema,
  publicId: (credentials) => credentials.vendorId,
  checkAmount: checkIpayAmount,

  async initialize(input, ctx) {
    const check = checkIpayAmount(input.amountMinor, input.currency);
    if (!check.ok) throw rejected(check.code, check.message);
    if (input.flow === "push") {
      if (input.method !== "mpesa") throw rejected("unsupported_flow", { fr: "La demande sur téléphone n'existe que pour M-Pesa.", en: "Approve-on-phone is only available for M-Pesa." });
      return stkPush(input, ctx);
    }
    return hostedForm(input, ctx);
  },

  getStatus: ipayStatus,

  /**
   * A signed search for an order that cannot exist: 404 ("no payment record") when iPay knows
   * the vendor id and the hash made with its key is right, 401 otherwise.
   */
  testConnection(ctx) {
    const oid = unknownTransactionId();
    const vid = ctx.credentials.vendorId;
    const json = { oid, vid, hash: searchHash({ oid, vid }, ctx.credentials.securityKey) };
    return probeConnection("ipay", ctx, { url: `${baseUrl(ctx, "api")}/transaction/search`, json }, (res) => {
      const detail = `HTTP ${res.status}: ${errorText(res.json, "no message")}`;
      if (res.status === 404 || res.status === 200) return works(detail, res.status);
      return refused(detail, res.status);
    });
  },

  parseNotification: parseCallback,

  // iPay signs nothing: whatever arrives is a trigger for a status check, never proof.
  verifyNotification: () => "unverifiable",

  acknowledge: () => ({ status: 200, body: "OK", contentType: "text/plain" }),

  refund: refundPayment,
};
