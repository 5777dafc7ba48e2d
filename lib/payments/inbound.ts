import { readCappedText } from "@/lib/body-limit";
import { isUnreadableUrl, jsonHasLoneSurrogate } from "@/lib/validation";
import type { InboundRequest } from "./types";

/**
 * Provider notifications are small forms or JSON documents (a few hundred bytes): 64 KB leaves
 * them room to grow and bounds what an anonymous sender can make us read and store.
 */
export const NOTIFICATION_BODY_LIMIT = 64 * 1024;

const KEPT_HEADERS = ["content-type", "user-agent", "x-token", "x-kkiapay-secret", "x-forwarded-for"];

/**
 * Reads a provider's request once, raw body included (signatures are computed over it), up to
 * `limit` bytes: above it, BodyTooLarge (the route answers 413) and the rest is never read.
 */
export async function readInbound(req: Request, limit = NOTIFICATION_BODY_LIMIT): Promise<InboundRequest> {
  const url = new URL(req.url);
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = req.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  const body = req.method === "GET" || req.method === "HEAD" ? "" : await readCappedText(req, limit);
  return { method: req.method, url: req.url, headers, query: Object.fromEntries(url.searchParams), body };
}

/**
 * A request no provider sends: a control character in its URL, a NUL in its body (raw, escaped
 * in JSON, or percent-encoded in a form), or half a surrogate pair escaped in JSON. PostgreSQL
 * refuses NUL in text and jsonb, and the lone half in jsonb, so it would fail where it is
 * recorded (a 503, which KKiaPay retries); it is answered 400 instead, which no provider retries.
 */
export function isMalformed(inbound: InboundRequest): boolean {
  const { body } = inbound;
  return isUnreadableUrl(new URL(inbound.url)) || body.includes("\0") || /\\u0000/i.test(body) || jsonHasLoneSurrogate(body) || formHoldsNul(body);
}

/** Read as redactBody() reads it (what does not open like JSON is a form) before its fields go to jsonb. */
function formHoldsNul(body: string): boolean {
  const trimmed = body.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[") || !/%00/.test(trimmed)) return false;
  return [...new URLSearchParams(trimmed)].some(([key, value]) => key.includes("\0") || value.includes("\0"));
}
