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

export function redact<T>(value: T, depth = 0): T {
  if (depth > 8 || value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1)) as T;
  if (typeof value !== "object") return value;
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
