import { createHash } from "node:crypto";
import type { InboundRequest, ParsedNotification, PaymentHandle, Verdict } from "@/lib/payments/types";
import { fromWireAmount } from "./amount";
import type { CinetpayCredentials } from "./schemas";
import { notificationFormSchema } from "./schemas";
import { xTokenMatches } from "./signature";

function formOf(request: InboundRequest): Record<string, string> | null {
  if (request.method.toUpperCase() !== "POST" || !request.body.trim()) return null;
  return Object.fromEntries(new URLSearchParams(request.body));
}

function header(request: InboundRequest, name: string): string | undefined {
  const key = Object.keys(request.headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : request.headers[key];
}

/**
 * CinetPay first pings notify_url with a bodiless GET (answer 200, nothing to do), then POSTs a
 * form. Nothing in it is trusted: it only names the transaction to check.
 */
export function parseCinetpayNotification(request: InboundRequest): ParsedNotification | null {
  const form = formOf(request);
  if (!form) return null;
  const parsed = notificationFormSchema.safeParse(form);
  if (!parsed.success) return null;
  const { cpm_trans_id, cpm_error_message, cpm_amount, cpm_currency } = parsed.data;
  // One delivery per status change, so the status text and the token tell repeats from news.
  const token = header(request, "x-token")?.trim().toLowerCase() || createHash("sha256").update(request.body).digest("hex");
  const claimedAmountMinor = cpm_amount !== undefined && cpm_currency ? fromWireAmount(cpm_amount, cpm_currency) : null;
  return {
    lookup: { reference: cpm_trans_id },
    dedupeKey: `${cpm_trans_id}:${cpm_error_message ?? ""}:${token}`,
    claimedStatus: cpm_error_message,
    ...(claimedAmountMinor !== null ? { claimedAmountMinor } : {}),
  };
}

/** Authentic only when the x-token matches and the delivery names this merchant's site and this payment. */
export function verifyCinetpayNotification(request: InboundRequest, payment: PaymentHandle, credentials: CinetpayCredentials): Verdict {
  const form = formOf(request);
  if (!form) return "forged";
  const signed = xTokenMatches(credentials.secretKey, form, header(request, "x-token"));
  if (!signed) return "forged";
  if (form.cpm_site_id !== credentials.siteId || form.cpm_trans_id !== payment.reference) return "forged";
  return "authentic";
}
