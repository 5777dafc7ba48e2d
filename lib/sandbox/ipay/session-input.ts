import { parseWireAmount } from "./amounts";
import { stripOid, type SessionRequest } from "./store";
import { isHttpUrl } from "../targets";

export type InputError = "badAmount" | "badCurr" | "badOid" | "badCbk";
export type SessionInput = { oid: string; amountMinor: number; currency: "KES" | "USD" };

/**
 * The checks the hosted form (ttl) and REST /transact (amount) share, once the hash matched.
 * Each caller words the error its own way: an HTML page or iPay's JSON envelope.
 */
export function readSessionInput(p: Record<string, string>, amountField: "ttl" | "amount", cbkRequired: boolean): { ok: true; value: SessionInput } | { ok: false; error: InputError } {
  const amountMinor = parseWireAmount(p[amountField] ?? "");
  if (amountMinor === null) return { ok: false, error: "badAmount" };
  if (p.curr !== "KES" && p.curr !== "USD") return { ok: false, error: "badCurr" };
  const oid = stripOid(p.oid ?? "");
  if (!oid || oid.length > 34) return { ok: false, error: "badOid" };
  if ((cbkRequired || p.cbk) && !isHttpUrl(p.cbk ?? "")) return { ok: false, error: "badCbk" };
  return { ok: true, value: { oid, amountMinor, currency: p.curr } };
}

/** What the session remembers of the merchant's request; inv falls back to the oid, as on iPay. */
export function sessionRequest(p: Record<string, string>, flow: SessionRequest["flow"], oid: string, extra: Pick<SessionRequest, "channels" | "lang">): SessionRequest {
  return {
    flow,
    live: p.live ?? "0",
    oid: p.oid ?? "",
    inv: p.inv || oid,
    tel: p.tel ?? "",
    eml: p.eml ?? "",
    curr: p.curr ?? "",
    p1: p.p1 ?? "",
    p2: p.p2 ?? "",
    p3: p.p3 ?? "",
    p4: p.p4 ?? "",
    cbk: p.cbk ?? "",
    cst: p.cst ?? "",
    crl: p.crl || "0",
    autopay: p.autopay === "1",
    ...extra,
  };
}
