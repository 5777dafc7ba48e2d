import { createHmac } from "node:crypto";
import { safeEqual } from "@/lib/crypto";
import { PAYBILL } from "./codes";

/**
 * The field orders iPay concatenates before hashing (PROVIDERS.md §4.1, §4.3). Written here as
 * the provider's side of the contract, independently of the adapter's signature.ts, so that a
 * mistake on either side shows up as a rejected request instead of cancelling out.
 */
const ORDERS = {
  // The form hash covers cbk raw (before any URL-encoding) and ends with cst then crl.
  form: ["live", "oid", "inv", "ttl", "tel", "eml", "vid", "curr", "p1", "p2", "p3", "p4", "cbk", "cst", "crl"],
  // The REST initiator puts cst BEFORE cbk and leaves crl out.
  transact: ["live", "oid", "inv", "amount", "tel", "eml", "vid", "curr", "p1", "p2", "p3", "p4", "cst", "cbk"],
  push: ["phone", "vid", "sid"],
  search: ["oid", "vid"],
} as const;

export type HashedCall = keyof typeof ORDERS;

function hmac(algorithm: "sha1" | "sha256", key: string, data: string): string {
  return createHmac(algorithm, key).update(data, "utf8").digest("hex");
}

export function expectedHash(call: HashedCall, fields: Record<string, string>, key: string): string {
  const data = ORDERS[call].map((name) => fields[name] ?? "").join("");
  return hmac(call === "form" ? "sha1" : "sha256", key, data);
}

/** The refund hash is a query-string-like text, not a plain concatenation. */
export function expectedRefundHash(code: string, vid: string, key: string): string {
  return hmac("sha256", key, `code=${code}&vid=${vid}`);
}

/** /transact signs its answer: account + amount + oid + sid + each (channel + paybill) pair. */
export function transactResponseHash(data: { account: string; amount: string; oid: string; sid: string }, key: string): string {
  return hmac("sha256", key, `${data.account}${data.amount}${data.oid}${data.sid}MPESA${PAYBILL}AIRTEL${PAYBILL}`);
}

export function hashMatches(given: string | undefined, expected: string): boolean {
  return typeof given === "string" && safeEqual(given.toLowerCase(), expected);
}
