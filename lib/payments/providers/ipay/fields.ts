import { msisdn } from "@/lib/phone";
import type { InitializeInput, ProviderContext } from "@/lib/payments/types";
import type { IpayCredentials } from "./schemas";

/** iPay wants some phone on every order; its docs say to pad a default when there is none. */
const DEFAULT_TEL = "254700000000";

export function customerTel(phone: string | null | undefined): string {
  const digits = phone ? msisdn(phone) : "";
  return /^\d{9,15}$/.test(digits) ? digits : DEFAULT_TEL;
}

/** eml is limited to 30 characters: an address that does not fit is left out rather than cut. */
export function customerEmail(email: string | null | undefined): string {
  return email && email.length <= 30 ? email : "";
}

/** inv is limited to 15 characters; our references may be longer, so the head (date prefix) goes. */
export function invoiceFor(reference: string): string {
  return reference.slice(-15);
}

/**
 * The order fields the hosted form and REST /transact share. p1..p4 stay empty: iPay echoes
 * them back, but our reference already comes back as `id`.
 */
export function orderFields(input: InitializeInput, ctx: ProviderContext<IpayCredentials>) {
  const eml = customerEmail(input.customer.email);
  return {
    live: ctx.mode === "live" ? "1" : "0",
    oid: input.reference,
    inv: invoiceFor(input.reference),
    tel: customerTel(input.customer.phone),
    eml,
    vid: ctx.credentials.vendorId,
    curr: input.currency,
    p1: "",
    p2: "",
    p3: "",
    p4: "",
    // iPay e-mails the shopper a receipt only when we have an address to give it.
    cst: eml ? "1" : "0",
  };
}
