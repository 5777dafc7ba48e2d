/**
 * Everything stored in payment_events or logged goes through here first: secrets, tokens and
 * signatures become "[redacted]", phone numbers keep only their last three digits.
 */
const SECRET_KEY = /(api_?key|apikey|secret|password|private|token|signature|authorization|hsh|hash|x-token|merchant_key|client_id|credentials)/i;
// KKiaPay's webhook names the payer's number "account".
const PHONE_KEY = /(phone|msisdn|tel|cel_phone_num|^account$)/i;

export function maskPhone(value: string): string {
  const digits = value.replace(/\D/g, "");
  return digits.length <= 3 ? "***" : `${value.startsWith("+") ? "+" : ""}${"*".repeat(Math.max(0, digits.length - 3))}${digits.slice(-3)}`;
}

/** Deeper than any provider nests a notification (two or three levels). */
const MAX_DEPTH = 8;

export function redact<T>(value: T, depth = 0): T {
  if (value === null || value === undefined || typeof value !== "object") return value;
  // Never kept as it came: unread, a secret down there would stay raw, and a body nested
  // thousands deep (40 KB is enough) overflows JSON.stringify's stack where it is stored.
  if (depth > MAX_DEPTH) return "[too deep]" as T;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (SECRET_KEY.test(key) && v !== null && v !== undefined && v !== "") out[key] = "[redacted]";
    else if (PHONE_KEY.test(key) && (typeof v === "string" || typeof v === "number") && v !== "") out[key] = maskPhone(String(v));
    else out[key] = redact(v, depth + 1);
  }
  return out as T;
}

/** Redacts a form-encoded or JSON body kept as text. */
export function redactBody(body: string): unknown {
  const trimmed = body.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return redact(JSON.parse(trimmed));
    } catch {
      return "[unparseable body]";
    }
  }
  if (trimmed.includes("=")) return redact(Object.fromEntries(new URLSearchParams(trimmed)));
  return trimmed.length > 200 ? `${trimmed.slice(0, 200)}…` : trimmed;
}
