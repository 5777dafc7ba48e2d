import { z } from "zod";
import { hasControlChars } from "@/lib/validation";

/**
 * The orders search box, read the way customers quote things over the phone: part of an order
 * reference ("NCK6UR" for "261207-NCK6UR"), the last digits of their phone however they type
 * them ("712 345 678", "+254712345678", "0712345678", "345678"), their e-mail, their name, or
 * a payment / provider reference.
 *
 * Every arm is an index lookup (db/schema/orders.ts), never a walk over the store's orders:
 * - reference fragment and name: pg_trgm GIN indexes (LIKE '%…%' is answered from trigrams);
 *   a fragment needs SEARCH_MIN_LENGTH characters, one whole trigram, or the index could not
 *   narrow anything down;
 * - phone: the phone is stored normalised (E.164: "+" and digits only, lib/phone.ts), so
 *   `reverse(customer_phone)` is the reversed digits column, and "ends with 345678" becomes the
 *   prefix "876543" of a btree (text_pattern_ops). A btree prefix probe is exact and cheaper to
 *   keep than a trigram index over phones, and suffixes are the only way phones are quoted;
 *   PHONE_MIN_DIGITS keeps one probe to at most ~1/10,000 of the orders;
 * - e-mail: prefix of lower(e-mail), btree;
 * - payment and provider references: equality.
 */
export const SEARCH_MIN_LENGTH = 3;
export const SEARCH_MAX_LENGTH = 100;
export const PHONE_MIN_DIGITS = 4;

export type SearchError = "search_too_short" | "search_too_long" | "search_invalid";

const schema = z
  .string()
  .trim()
  .min(SEARCH_MIN_LENGTH, "search_too_short")
  .max(SEARCH_MAX_LENGTH, "search_too_long")
  .refine((s) => !hasControlChars(s), "search_invalid");

/** The search text, or why it cannot be searched (an empty box is no search at all). */
export function parseSearch(value: unknown): { q?: string; error?: SearchError } {
  const single = Array.isArray(value) ? value[0] : value;
  if (single === undefined || (typeof single === "string" && single.trim() === "")) return {};
  const result = schema.safeParse(single);
  if (result.success) return { q: result.data };
  return { error: (result.error.issues[0]?.message as SearchError | undefined) ?? "search_invalid" };
}

export type SearchPlan = {
  /** lower(customer_email) starts with this. */
  emailPrefix?: string;
  /** reference contains this (upper case: references are). */
  referenceFragment?: string;
  /** The phone's digits end with these. */
  phoneSuffix?: string;
  /** customer_name contains this, case-insensitive. */
  nameFragment?: string;
  /** Payment reference or provider reference, exactly. */
  exact: string[];
};

const REFERENCE_CHARS = /^[0-9A-Za-z-]+$/;
const PHONE_CHARS = /^[+\d\s().-]+$/;

export function searchPlan(q: string): SearchPlan {
  const exact = [...new Set([q, q.toUpperCase()])];
  if (q.includes("@")) return { emailPrefix: q.toLowerCase(), exact };
  const plan: SearchPlan = { exact };
  const compact = q.replace(/\s+/g, "");
  if (REFERENCE_CHARS.test(compact) && compact.length >= SEARCH_MIN_LENGTH) plan.referenceFragment = compact.toUpperCase();
  if (PHONE_CHARS.test(q)) {
    // A national number's trunk 0 ("0712 345 678") is not in the E.164 form; the digits after it are.
    const digits = q.replace(/\D/g, "").replace(/^0+/, "");
    if (digits.length >= PHONE_MIN_DIGITS) plan.phoneSuffix = digits;
  }
  if (/\p{L}/u.test(q)) plan.nameFragment = q;
  return plan;
}
