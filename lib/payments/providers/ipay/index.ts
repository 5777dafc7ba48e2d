import type { PaymentProvider } from "@/lib/payments/types";
import { checkIpayAmount } from "./amounts";
import { rejected } from "./errors";
import { hostedForm } from "./hosted";
import { parseCallback } from "./notification";
import { stkPush } from "./push";
import { refundPayment } from "./refund";
import { credentialsSchema, type IpayCredentials } from "./schemas";
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

  parseNotification: parseCallback,

  // iPay signs nothing: whatever arrives is a trigger for a status check, never proof.
  verifyNotification: () => "unverifiable",

  acknowledge: () => ({ status: 200, body: "OK", contentType: "text/plain" }),

  refund: refundPayment,
};
