// Next 16 renamed middleware to proxy. Every page passes here: a URL holding a control character
// is refused, and the response gets its Content-Security-Policy (a fresh nonce, which Next puts on
// its own scripts) and, over https, HSTS. For the dashboard it is also the first sign-in gate;
// pages and actions still call requireMerchant(), because a proxy can be bypassed by a
// misconfigured matcher.
import { withAuth, type NextRequestWithAuth } from "next-auth/middleware";
import { NextResponse, type NextFetchEvent, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { contentSecurityPolicy, strictTransportSecurity } from "@/lib/security/headers";
import { formActionRefusal, replyRefusal } from "@/lib/security/action-reply";
import { errorResponse, invalid } from "@/lib/api/errors";
import { isUnreadableUrl } from "@/lib/validation";

function secured(req: NextRequest): NextResponse {
  const e = env();
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = contentSecurityPolicy({ nonce, path: req.nextUrl.pathname, appUrl: e.APP_URL, sandboxUrl: e.SANDBOX_URL, dev: e.NODE_ENV === "development" });
  // Next reads the nonce from the request's policy and puts it on the scripts it renders.
  const headers = new Headers(req.headers);
  headers.set("content-security-policy", csp);
  headers.set("x-nonce", nonce);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set("Content-Security-Policy", csp);
  const hsts = strictTransportSecurity(e.APP_URL);
  if (hsts) res.headers.set("Strict-Transport-Security", hsts);
  return res;
}

const dashboard = withAuth((req: NextRequestWithAuth) => secured(req), {
  pages: { signIn: "/login" },
  secret: env().NEXTAUTH_SECRET,
  callbacks: {
    // A server action posted after the session expired must reach its own requireMerchant(),
    // whose redirect the client follows; the proxy's HTML redirect would break the page instead.
    authorized: ({ token, req }) => Boolean(token) || (req.method === "POST" && req.headers.has("next-action")),
  },
});

export default async function proxy(req: NextRequest, event: NextFetchEvent) {
  // A route the first matcher leaves out, here for its percent sign only: refused when its path
  // does not decode, else left to the route, which checks its own values and sets its own headers.
  if (/^\/(api\/(?!checkout$)|sandbox\/)|^\/orders\/[^/]+\/return$/.test(req.nextUrl.pathname)) return decodes(req.nextUrl.pathname) ? NextResponse.next() : badRequest(req);
  // PostgreSQL refuses NUL: a search, slug or id holding a control character is a bad request.
  if (isUnreadableUrl(req.nextUrl)) return badRequest(req);
  const refused = req.method === "POST" ? await screenActionBody(req) : null;
  if (refused) return refused;
  if (/^\/dashboard(\/|$)/.test(req.nextUrl.pathname)) return dashboard(req as NextRequestWithAuth, event);
  return secured(req);
}

function badRequest(req?: NextRequest): Response {
  // The merchant API's clients are programs: they get its error shape, as from the API itself.
  if (req?.nextUrl.pathname.startsWith("/api/v1/")) return errorResponse(invalid("invalid_url", "The URL holds a control character or does not decode."));
  return new NextResponse("Bad Request", { status: 400, headers: { "content-type": "text/plain" } });
}

/** Next's own cap on a server action's body (serverActions.bodySizeLimit in next.config.ts, 2 MB: a product's 1 MB image and its form), which it enforces with a 500. */
const ACTION_BODY_LIMIT = 2 * 1024 * 1024;

/**
 * A page's POST is a server action: a form (multipart, or urlencoded without JavaScript) or, from
 * React, the arguments as UTF-8 JSON text or multipart rows. Next answers a body above its cap,
 * one that does not decode as such (malformed multipart, invalid UTF-8, broken JSON), or React
 * references it cannot resolve (lib/security/action-reply.ts) with its own 500 before any action
 * runs: they get a 413 or a 400 here. The body was already buffered for the proxy; reading a clone
 * leaves it to the page.
 */
async function screenActionBody(req: NextRequest): Promise<Response | null> {
  const type = req.headers.get("content-type") ?? "";
  const form = /^multipart\/form-data|^application\/x-www-form-urlencoded/i.test(type);
  const fetched = req.headers.has("next-action");
  if (!form && !fetched) return null;
  const bytes = await req.clone().arrayBuffer();
  if (bytes.byteLength > ACTION_BODY_LIMIT) return new NextResponse("Payload Too Large", { status: 413, headers: { "content-type": "text/plain" } });
  try {
    // Next's own test, case and all: anything else with the header is decoded as JSON text.
    if (fetched && !type.startsWith("multipart/form-data")) {
      if (type === "application/x-www-form-urlencoded") return null;
      return replyRefusal([["0", new TextDecoder("utf-8", { fatal: true }).decode(bytes)]]) ? badRequest() : null;
    }
    const fields = [...(await new Response(bytes, { headers: { "content-type": type } }).formData()).entries()];
    return (fetched ? replyRefusal(fields) : formActionRefusal(fields)) ? badRequest() : null;
  } catch {
    return badRequest();
  }
}

function decodes(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

export const config = {
  matcher: [
    // Every page. Not the routes that read a body anyone may send (webhooks, the simulators, the
    // return URL): with a proxy Next buffers a body whole (up to 10 MB) before the route's own
    // cap sees it. They, and the other API routes, check their values themselves. Nor the static
    // files, named whole: a prefix would also leave out pages, /api/checkout and /products/checkout
    // (the storefront's checkout, /[merchant]/checkout, for those slugs) or /favicon.icox (a
    // storefront), whose server actions would then reach React's decoder unscreened.
    "/((?!api/(?!checkout$)|_next/static/|_next/image|favicon\\.ico$|favicon\\.svg$|products/[^/]+\\.svg$|sandbox/|orders/[^/]+/return).*)",
    // Those routes again, only when their path holds a percent sign, which none of their real
    // callers writes (slugs, ids and tokens are letters, digits, - and _): Next's router throws on
    // a segment that does not decode (%FF) before any route runs, and answers its own 500.
    "/((?:api|sandbox|orders)/.*%.*)",
  ],
};
