import type { ExchangeTrace, ProviderContext, StatusEvidence } from "@/lib/payments/types";
import { baseUrl, call } from "./client";
import { ipayError, unexpectedAnswer } from "./errors";
import type { IpayCredentials } from "./schemas";
import { ipnOutcome, type IpnOutcome } from "./status";

/** The callback's ids the IPN must be given back, in its order (PROVIDERS.md §4.2). */
export const IPN_FIELDS = ["id", "ivm", "qwh", "afd", "poi", "uyt", "ifd"] as const;
export type IpnIds = Record<(typeof IPN_FIELDS)[number], string>;

/** iPay's ids are digits, and id/ivm our alphanumeric oid and invoice (≤ 34 characters). */
export const IPN_ID = /^[A-Za-z0-9]{1,34}$/;

/**
 * The ids to ask the IPN about: all seven, and naming the payment searched as `oid` (what iPay
 * kept of ours, which its callback echoes as id); null otherwise, and then search alone speaks.
 */
export function ipnIdsFor(oid: string, evidence?: StatusEvidence): IpnIds | null {
  const fields = evidence?.fields ?? {};
  if (!IPN_FIELDS.every((k) => IPN_ID.test(fields[k] ?? ""))) return null;
  if (fields.id !== oid) return null;
  return Object.fromEntries(IPN_FIELDS.map((k) => [k, fields[k]!])) as IpnIds;
}

/** GET <ipn>?vendor=…&id=…&ivm=…&qwh=…&afd=…&poi=…&uyt=…&ifd=… → one of the six codes, as plain text. */
export async function askIpn(ids: IpnIds, ctx: ProviderContext<IpayCredentials>): Promise<{ code: string; outcome: IpnOutcome; trace: ExchangeTrace }> {
  const url = new URL(baseUrl(ctx, "ipn"));
  url.searchParams.set("vendor", ctx.credentials.vendorId);
  for (const k of IPN_FIELDS) url.searchParams.set(k, ids[k]);
  const res = await call(ctx, { method: "GET", url: url.toString(), headers: { accept: "text/plain" }, idempotent: true });
  if (res.status !== 200) throw ipayError(res.status, res.json, res.trace);
  const code = res.text.trim();
  const outcome = ipnOutcome(code);
  if (!outcome) throw unexpectedAnswer("unreadable IPN answer", res.trace);
  return { code, outcome, trace: res.trace };
}
