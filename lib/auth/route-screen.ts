import { NextRequest } from "next/server";
import { BodyTooLarge, readCappedText, tooLarge } from "@/lib/body-limit";
import { bodyHasControlChars, isUnreadableUrl } from "@/lib/validation";

/** A sign-in form (e-mail, password, CSRF token, callback URL) is a few hundred bytes. */
export const AUTH_BODY_LIMIT = 16 * 1024;

/**
 * next-auth's route (/api/auth/…) is a door strangers reach, outside the proxy like the other
 * API routes, and it trusts what arrives: it reads the whole body (no cap), JSON.parse()s a JSON
 * one (a SyntaxError is a 500), answers a callback URL that is no URL with a 500 and hands one
 * holding a NUL on to new URL(). It gets
 * what every other door gets first: a control character in the URL or the body is a 400, a body
 * above the cap a 413 before it is read on, malformed JSON or an unreadable callback URL a 400. The request next-auth receives
 * carries the body read here (a NextRequest: next-auth reads `nextUrl`).
 */
export async function screenAuthRequest(req: Request): Promise<Request | Response> {
  const url = new URL(req.url);
  if (isUnreadableUrl(url)) return badRequest();
  // Our one provider (credentials) signs in by POST only; next-auth answers any other method on
  // its callback with a 500 ("Callback for provider type credentials not supported").
  if (req.method !== "POST" && /^\/api\/auth\/callback(\/|$)/.test(url.pathname)) {
    return new Response("Method Not Allowed", { status: 405, headers: { "content-type": "text/plain", allow: "POST" } });
  }
  // next-auth answers a callback URL it cannot read (query or cookie) with its "configuration
  // error" page, a 500. The cookie is cleared, or the browser would carry it into every sign-in.
  const asked = url.searchParams.get("callbackUrl");
  if (asked !== null && !isCallbackUrl(asked)) return badRequest();
  const stale = CALLBACK_COOKIES.filter((name) => {
    const value = cookieValue(req.headers.get("cookie"), name);
    return value !== null && !isCallbackUrl(value);
  });
  if (stale.length > 0) {
    const res = badRequest();
    for (const name of stale) res.headers.append("set-cookie", `${name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${name.startsWith("__Secure-") ? "; Secure" : ""}`);
    return res;
  }
  if (req.method !== "POST") return req;
  let body: string;
  try {
    body = await readCappedText(req, AUTH_BODY_LIMIT);
  } catch (error) {
    if (error instanceof BodyTooLarge) return tooLarge();
    throw error;
  }
  if (bodyHasControlChars(body)) return badRequest();
  if ((req.headers.get("content-type") ?? "").includes("application/json") && !parsesAsJson(body)) return badRequest();
  return new NextRequest(req.url, { method: req.method, headers: req.headers, body, signal: req.signal });
}

const CALLBACK_COOKIES = ["next-auth.callback-url", "__Secure-next-auth.callback-url"];

/** What next-auth accepts as a callback URL (its assert.js): a path, or an absolute http(s) URL. */
function isCallbackUrl(value: string): boolean {
  try {
    return /^https?:$/.test(new URL(value, value.startsWith("/") ? "http://localhost" : undefined).protocol);
  } catch {
    return false;
  }
}

/** A cookie's value as Next's cookies() reads it (decoded), or null when absent; undecodable counts as unreadable. */
function cookieValue(header: string | null, name: string): string | null {
  for (const pair of header?.split(";") ?? []) {
    const at = pair.indexOf("=");
    if (at < 0 || pair.slice(0, at).trim() !== name) continue;
    const raw = pair.slice(at + 1).trim();
    try {
      return decodeURIComponent(raw);
    } catch {
      return "\u0000";
    }
  }
  return null;
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function badRequest(): Response {
  return new Response("Bad Request", { status: 400, headers: { "content-type": "text/plain" } });
}

/**
 * Where next-auth sends the browser after signing in or out: a path of ours, or a URL on our
 * origin; anything else (another site, or a string that is no URL at all, from the query, the
 * form or the callback-url cookie) goes home. next-auth's own callback calls new URL() on it and
 * throws, a 500, on the second kind.
 */
export function safeRedirect({ url, baseUrl }: { url: string; baseUrl: string }): string {
  if (url.startsWith("/")) return `${baseUrl}${url}`;
  return URL.canParse(url) && new URL(url).origin === new URL(baseUrl).origin ? url : baseUrl;
}
