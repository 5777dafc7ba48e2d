import { randomBytes, randomInt } from "node:crypto";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const UPPER_ALNUM = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"; // no I/O: references get read aloud

function randomString(alphabet: string, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

export type IdPrefix = "mer" | "usr" | "mem" | "pac" | "prd" | "lnk" | "ord" | "itm" | "pay" | "ntf" | "rfd" | "sbx" | "inv" | "rfi" | "key" | "cs" | "we";

/** Prefixed, unguessable ids (~131 bits): an order id is the shopper's only key to its page. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomString(BASE62, 22)}`;
}

/**
 * Our payment reference, sent to every provider. Alphanumeric only (iPay strips punctuation,
 * CinetPay dislikes `_#/$&`) and at most 30 characters (Orange's order_id limit).
 */
export function newPaymentReference(now = new Date()): string {
  const day = now.toISOString().slice(2, 10).replaceAll("-", "");
  return `CS${day}${randomString(UPPER_ALNUM, 10)}`;
}

/** Human order reference shown to shoppers and merchants, unique per merchant. */
export function newOrderReference(now = new Date()): string {
  const day = now.toISOString().slice(2, 10).replaceAll("-", "");
  return `${day}-${randomString(UPPER_ALNUM, 6)}`;
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("hex");
}
