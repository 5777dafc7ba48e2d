import { inBackground, sendNotifications, type Delivery } from "../deliver";
import type { Faults } from "../faults";
import { refusedReturn, type SandboxLang } from "../html";
import { followable, type Targets } from "../targets";
import type { SandboxDeps } from "../types";
import { toWireAmount } from "./amounts";
import { IPN_CODES } from "./codes";
import { messages } from "./i18n";
import { page } from "./page";
import type { Session } from "./store";

/**
 * The §4.2 callback: a GET to cbk whose query carries the outcome, in the order iPay writes it.
 * There is no hash: the merchant must ask the IPN or /transaction/search for the truth, which is
 * exactly why a tampered `mc` is still "valid" here.
 */
export function callbackQuery(session: Session, opts: { tamper?: boolean; status?: string } = {}): URLSearchParams {
  const { request, state } = session;
  const ids = state.ids ?? {};
  const paid = opts.status === IPN_CODES.pending ? 0 : (state.paidMinor ?? 0);
  const payer = state.payer;
  const query = new URLSearchParams();
  query.set("status", opts.status ?? state.ipnCode ?? IPN_CODES.pending);
  query.set("txncd", session.providerTransactionId ?? "");
  query.set("msisdn_id", payer ? `${payer.firstname} ${payer.lastname}`.trim() : "");
  query.set("msisdn_idnum", payer?.phone ?? "");
  for (const p of ["p1", "p2", "p3", "p4"] as const) query.set(p, request[p]);
  for (const k of ["uyt", "agt", "qwh", "ifd", "afd", "poi"]) query.set(k, ids[k] ?? "");
  query.set("id", session.merchantReference);
  query.set("ivm", request.inv);
  // A tampered callback claims one shilling, whatever was paid.
  query.set("mc", opts.tamper ? "1.00" : toWireAmount(paid));
  query.set("channel", state.channel ?? "");
  return query;
}

export function withQuery(base: string, query: URLSearchParams): string {
  const url = new URL(base);
  for (const [k, v] of query) url.searchParams.append(k, v);
  return url.toString();
}

/**
 * Where the shopper's browser goes once the outcome is chosen: a 302 to cbk for crl=0 (only
 * where the sandbox may send a shopper, see targets.ts; else a page naming it), or the same data
 * streamed back as CSV (crl=1) or JSON (crl=2) for merchants that asked for a stream.
 */
export function browserReturn(session: Session, faults: Faults, targets: Targets, lang: SandboxLang): Response {
  const query = callbackQuery(session, { tamper: faults.tamperAmount });
  if (session.request.crl === "2") return Response.json(Object.fromEntries(query));
  if (session.request.crl === "1") {
    const keys = [...query.keys()];
    const csv = `${keys.join(",")}\n${keys.map((k) => csvCell(query.get(k) ?? "")).join(",")}\n`;
    return new Response(csv, { headers: { "content-type": "text/csv; charset=utf-8" } });
  }
  const wanted = withQuery(session.request.cbk, query);
  const target = followable(wanted, targets);
  if (!target) return page(lang, messages(lang).checkoutTitle, refusedReturn(lang, wanted));
  return new Response(null, { status: 302, headers: { location: target, "cache-control": "no-store" } });
}

function csvCell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * The server-to-server GET of the REST/autopay flow, sent in the background through the shared
 * deliverer so that delay, drop and duplicate faults apply. iPay sends one callback per outcome;
 * the out-of-order fault is played as a stale "pending" callback that lands after the final one.
 */
export function notifyMerchant(deps: SandboxDeps, session: Session, faults: Faults): void {
  const final: Delivery = { url: withQuery(session.request.cbk, callbackQuery(session, { tamper: faults.tamperAmount })), method: "GET" };
  const deliveries: Delivery[] = faults.outOfOrder
    ? [{ url: withQuery(session.request.cbk, callbackQuery(session, { status: IPN_CODES.pending })), method: "GET" }, final]
    : [final];
  inBackground(sendNotifications(deps, session.id, deliveries, faults), `ipay callback ${session.merchantReference}`);
}
