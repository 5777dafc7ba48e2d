import { createHmac } from "node:crypto";
import { safeEqual } from "@/lib/crypto";

/**
 * iPay's hashes (PROVIDERS.md §4.1, §4.3). Two traps: the hosted form uses HMAC-SHA1 while the
 * REST API uses HMAC-SHA256, and the two field orders differ (form: …cbk+cst+crl; REST
 * /transact: …cst+cbk, no crl). cbk is always hashed raw, before any URL-encoding.
 */
function hmacHex(algorithm: "sha1" | "sha256", key: string, data: string): string {
  return createHmac(algorithm, key).update(data, "utf8").digest("hex");
}

export type FormHashFields = {
  live: string;
  oid: string;
  inv: string;
  ttl: string;
  tel: string;
  eml: string;
  vid: string;
  curr: string;
  p1: string;
  p2: string;
  p3: string;
  p4: string;
  cbk: string;
  cst: string;
  crl: string;
};

export function formHash(f: FormHashFields, key: string): string {
  return hmacHex("sha1", key, f.live + f.oid + f.inv + f.ttl + f.tel + f.eml + f.vid + f.curr + f.p1 + f.p2 + f.p3 + f.p4 + f.cbk + f.cst + f.crl);
}

export type TransactHashFields = Omit<FormHashFields, "ttl" | "crl"> & { amount: string };

export function transactHash(f: TransactHashFields, key: string): string {
  return hmacHex("sha256", key, f.live + f.oid + f.inv + f.amount + f.tel + f.eml + f.vid + f.curr + f.p1 + f.p2 + f.p3 + f.p4 + f.cst + f.cbk);
}

export function pushHash(f: { phone: string; vid: string; sid: string }, key: string): string {
  return hmacHex("sha256", key, f.phone + f.vid + f.sid);
}

export function searchHash(f: { oid: string; vid: string }, key: string): string {
  return hmacHex("sha256", key, f.oid + f.vid);
}

/** Two independent integrations agree on this query-string-shaped data (PROVIDERS.md: [L/M]). */
export function refundHash(f: { code: string; vid: string }, key: string): string {
  return hmacHex("sha256", key, `code=${f.code}&vid=${f.vid}`);
}

/** /transact signs its answer over account, amount, oid, sid and the MPESA and AIRTEL paybills. */
export function transactResponseHash(
  d: { account: string; amount: string; oid: string; sid: string; payment_channels: { name: string; paybill: string }[] },
  key: string,
): string {
  const paybill = (name: string) => d.payment_channels.find((c) => c.name === name)?.paybill ?? "";
  return hmacHex("sha256", key, `${d.account}${d.amount}${d.oid}${d.sid}MPESA${paybill("MPESA")}AIRTEL${paybill("AIRTEL")}`);
}

export function hashEquals(given: string, expected: string): boolean {
  return safeEqual(given.toLowerCase(), expected.toLowerCase());
}
