import { unstable_doesMiddlewareMatch } from "next/experimental/testing/server";
import { NextRequest, type NextFetchEvent } from "next/server";
import { describe, expect, it } from "vitest";
import proxy, { config } from "@/proxy";

const matches = (path: string, headers?: Record<string, string>) => unstable_doesMiddlewareMatch({ config, url: `http://127.0.0.1${path}`, headers });

/**
 * The proxy's matcher leaves out routes and files by path prefix. Found by the review of issue
 * 13: a prefix also covered pages. `/api/checkout` and `/products/checkout` are the storefront's
 * checkout (`/[merchant]/checkout`) for the slugs "api" and "products", and `/favicon.ico…`
 * any storefront whose slug starts with it: there a page rendered without its CSP and a server
 * action's hostile body reached React's decoder (Next's 500), and `/favicon.ico%FF` was a 500.
 */
describe("the proxy's matcher", () => {
  it("covers every path that renders a page or runs a server action", () => {
    for (const path of ["/", "/demo", "/demo/checkout", "/api/checkout", "/products/checkout", "/favicon.icox", "/favicon.svgx", "/favicon.ico%FF", "/products", "/orders/ord_1", "/dashboard/orders"]) {
      expect(matches(path), path).toBe(true);
    }
  });

  it("leaves out the routes that cap their own bodies and the static files", () => {
    for (const path of ["/api/webhooks/cinetpay/demo", "/api/auth/session", "/api/health", "/sandbox/cinetpay/v2/payment", "/orders/ord_1/return", "/products/attieke.svg", "/favicon.ico", "/favicon.svg", "/_next/static/chunks/a.js", "/_next/image"]) {
      expect(matches(path), path).toBe(false);
    }
  });

  it("screens a server action posted to the checkout under a route's prefix like any other page's", async () => {
    for (const path of ["/api/checkout", "/products/checkout"]) {
      // A React reference to a row that is not there: Next's decoder would answer 500.
      const req = new NextRequest(`http://127.0.0.1${path}`, { method: "POST", headers: { "next-action": "6011db7aa3670b79d3943d2df04ecf7af6d775c8a0", "content-type": "text/plain;charset=UTF-8" }, body: '["$Q1"]' });
      expect((await proxy(req, {} as NextFetchEvent))?.status, path).toBe(400);
    }
  });
});
