import { createHmac } from "node:crypto";
import { safeEqual } from "@/lib/crypto";

/**
 * The 16 notification fields in the order CinetPay concatenates them for the x-token (docs
 * "checkout/hmac"). The official PHP example does implode('', $_POST), so CinetPay also posts
 * them in exactly this order; we sign by name, not by position, to survive reordering proxies.
 */
export const NOTIFICATION_FIELDS = [
  "cpm_site_id",
  "cpm_trans_id",
  "cpm_trans_date",
  "cpm_amount",
  "cpm_currency",
  "signature",
  "payment_method",
  "cel_phone_num",
  "cpm_phone_prefixe",
  "cpm_language",
  "cpm_version",
  "cpm_payment_config",
  "cpm_page_action",
  "cpm_custom",
  "cpm_designation",
  "cpm_error_message",
] as const;

export type NotificationField = (typeof NOTIFICATION_FIELDS)[number];

/** Lowercase hex HMAC-SHA256 (PHP hash_hmac's default) keyed by the Secret Key; a missing field counts as "". */
export function xToken(secretKey: string, fields: Partial<Record<string, string>>): string {
  const data = NOTIFICATION_FIELDS.map((name) => fields[name] ?? "").join("");
  return createHmac("sha256", secretKey).update(data, "utf8").digest("hex");
}

export function xTokenMatches(secretKey: string, fields: Partial<Record<string, string>>, received: string | undefined): boolean {
  if (!received) return false;
  return safeEqual(xToken(secretKey, fields), received.trim().toLowerCase());
}
