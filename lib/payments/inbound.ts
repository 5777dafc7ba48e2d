import type { InboundRequest } from "./types";

/** Provider notifications are small (a few hundred bytes to a few KB). */
export const NOTIFICATION_BODY_LIMIT = 64 * 1024;

const KEPT_HEADERS = ["content-type", "user-agent", "x-token", "x-kkiapay-secret", "x-forwarded-for"];

/** Reads a provider's request once, raw body included (signatures are computed over it). */
export async function readInbound(req: Request): Promise<InboundRequest> {
  const url = new URL(req.url);
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = req.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  const body = req.method === "GET" || req.method === "HEAD" ? "" : await req.text();
  return { method: req.method, url: req.url, headers, query: Object.fromEntries(url.searchParams), body };
}
