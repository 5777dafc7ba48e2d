import { expect, test, type Page } from "@playwright/test";
import { signIn, USERS } from "./support/auth";

/**
 * Issue 13 items 6 and 8 against `next start`: the security headers on every page, a nonce CSP
 * the pages' own scripts satisfy (the KKiaPay widget's host allowed only on the order page, the
 * widget simulator frameable by the app alone), and control characters in any URL refused
 * (400, or 404 for an unknown slug), never a 500 or a 503.
 */

/** Collects the CSP violations a page reports, from the browser itself. */
async function watchViolations(page: Page): Promise<string[]> {
  const seen: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.push(m.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  return seen;
}

function expectSecurityHeaders(headers: Record<string, string>, path: string) {
  expect(headers["x-frame-options"], path).toBe("DENY");
  expect(headers["x-content-type-options"], path).toBe("nosniff");
  expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"], path).toContain("camera=()");
  // Served over http here: HSTS only when APP_URL is https (lib/security/headers.test.ts).
  expect(headers["strict-transport-security"], path).toBeUndefined();
}

test.describe("edge security", () => {
  test.use({ locale: "fr-CI" });

  test("every page carries the security headers and a CSP with a fresh nonce", async ({ request }) => {
    const nonces = new Set<string>();
    for (const path of ["/", "/login", "/demo", "/demo/checkout", "/invite/0000", "/no-such-shop"]) {
      const res = await request.get(path);
      expect(res.status(), path).toBeLessThan(500);
      const headers = res.headers();
      expectSecurityHeaders(headers, path);
      const csp = headers["content-security-policy"] ?? "";
      const nonce = csp.match(/script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/)?.[1];
      expect(nonce, `${path}: ${csp}`).toBeTruthy();
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      // The widget's host only on the shopper's side, where the order page opens it.
      if (["/login", "/invite/0000"].includes(path)) expect(csp).not.toContain("kkiapay");
      else expect(csp).toContain("https://cdn.kkiapay.me");
      // Every inline script of the page carries that nonce.
      const html = await res.text();
      for (const tag of html.match(/<script(?![^>]*\bsrc=)[^>]*>/g) ?? []) expect(tag, path).toContain(`nonce="${nonce}"`);
      nonces.add(nonce!);
    }
    expect(nonces.size).toBe(6);
    // API answers and static files get the static headers too.
    expectSecurityHeaders((await request.get("/api/health")).headers(), "/api/health");
  });

  test("the storefront, the checkout and the dashboard run under the CSP without a violation", async ({ page }) => {
    const violations = await watchViolations(page);
    await page.goto("/demo");
    // Hydrated, or the button would do nothing.
    await page.locator('[data-testid^="add-prd_"]').first().click();
    await expect(page.getByTestId("go-checkout")).toBeVisible();
    await page.getByTestId("go-checkout").click();
    await expect(page.getByTestId("cart-lines")).toBeVisible();
    await signIn(page, USERS.demoOwner);
    expectSecurityHeaders((await page.request.get("/dashboard")).headers(), "/dashboard");
    await page.getByTestId("nav-orders").click();
    await expect(page.getByTestId("order-row").first()).toBeVisible();
    expect(violations).toEqual([]);
  });

  test("the KKiaPay widget may open on the order page, not on the dashboard, and its simulator is framed by the app alone", async ({ page, request }) => {
    const order = await request.get("/orders/ord_unknown");
    const csp = order.headers()["content-security-policy"] ?? "";
    expect(csp).toContain("https://cdn.kkiapay.me");
    expect(csp).toMatch(/frame-src [^;]*'self'/);
    await signIn(page, USERS.demoOwner);
    const dashboard = (await page.request.get("/dashboard/orders")).headers()["content-security-policy"] ?? "";
    expect(dashboard).toMatch(/script-src 'self' 'nonce-[^']+'; /);
    expect(dashboard).toContain("frame-src 'none'");
    expect(dashboard).not.toContain("kkiapay");
    const widget = await request.get("/sandbox/kkiapay/widget");
    expect(widget.headers()["x-frame-options"]).toBeUndefined();
    expect(widget.headers()["content-security-policy"]).toMatch(/frame-ancestors 'self'/);
    const hosted = await request.get("/sandbox/cinetpay/payment/unknown");
    expect(hosted.headers()["x-frame-options"]).toBe("DENY");
    expect(hosted.headers()["x-content-type-options"]).toBe("nosniff");
  });

  test("a control character in a URL is refused, never a 500", async ({ page }) => {
    const anonymous: [string, number[]][] = [
      ["/orders/%00", [400]],
      ["/orders/%00/return", [400]],
      ["/orders/ord_x/return?p=%00", [400]],
      ["/api/orders/%00/status", [400, 404]],
      ["/pay/%00", [400]],
      ["/%00", [400]],
      ["/demo%00/checkout", [400]],
      ["/invite/%00", [400]],
      ["/demo?q=%01", [400]],
    ];
    for (const [path, expected] of anonymous) expect(expected, path).toContain((await page.request.get(path, { maxRedirects: 0 })).status());
    // The webhook: KKiaPay retries a 5xx; an unknown slug is a 404.
    expect((await page.request.post("/api/webhooks/kkiapay/%00", { data: { transactionId: "x" } })).status()).toBe(404);
    await signIn(page, USERS.demoOwner);
    for (const path of ["/dashboard/orders?q=%00", "/dashboard/orders/export?q=%00", "/dashboard/orders/%00", "/dashboard/orders?status=%00", "/dashboard/exceptions?cursor=%00", "/dashboard/notifications?cursor=%01", "/dashboard/pending?cursor=%00"]) {
      expect((await page.request.get(path, { maxRedirects: 0 })).status(), path).toBe(400);
    }
  });
});
