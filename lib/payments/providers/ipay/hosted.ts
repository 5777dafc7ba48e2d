import type { InitializeInput, InitializeResult, ProviderContext } from "@/lib/payments/types";
import { redact } from "@/lib/payments/redact";
import { toWireAmount } from "./amounts";
import { baseUrl } from "./client";
import { orderFields } from "./fields";
import { hostedFormSchema, type HostedForm, type IpayCredentials } from "./schemas";
import { formHash } from "./signature";

/** Channel flags of the v3 form; only the chosen method's is on, so the page offers just that. */
const CHANNEL_FLAGS = ["mpesa", "bonga", "airtel", "equity", "mobilebanking", "creditcard", "unionpay", "mvisa", "vooma", "pesalink"] as const;
const FLAG_FOR_METHOD: Record<string, (typeof CHANNEL_FLAGS)[number]> = { mpesa: "mpesa", airtel: "airtel", card: "creditcard" };

/**
 * The hosted checkout needs no call from us: the shopper's browser posts this signed form to
 * iPay, and iPay sends the browser back to cbk (our return page) with the outcome.
 */
export function hostedForm(input: InitializeInput, ctx: ProviderContext<IpayCredentials>): InitializeResult {
  const flag = FLAG_FOR_METHOD[input.method] ?? "mpesa";
  const order = orderFields(input, ctx);
  const base = { ...order, ttl: toWireAmount(input.amountMinor), cbk: input.urls.return, crl: "0" };
  const flags = Object.fromEntries(CHANNEL_FLAGS.map((f) => [f, f === flag ? "1" : "0"]));
  const fields: HostedForm = hostedFormSchema.parse({ ...base, ...flags, hsh: formHash(base, ctx.credentials.securityKey) });
  // The real page has one language; the sandbox's speaks the shopper's, told through its URL.
  const checkout = baseUrl(ctx, "checkout");
  const url = ctx.mode === "sandbox" ? `${checkout}?lang=${input.locale}` : checkout;
  return {
    action: { type: "form", url, method: "POST", fields },
    stored: { oid: input.reference, flow: "hosted" },
    status: "pending",
    trace: { request: { method: "POST", url, body: redact(fields) } },
  };
}
