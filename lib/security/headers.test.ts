import { describe, expect, it } from "vitest";
import { isUnreadableUrl } from "@/lib/validation";
import { contentSecurityPolicy, sandboxHeaders, STATIC_SECURITY_HEADERS, strictTransportSecurity } from "./headers";

const directive = (csp: string, name: string) => csp.split("; ").find((d) => d === name || d.startsWith(`${name} `));

describe("security headers", () => {
  it("forbids framing, sniffing and full referrers everywhere", () => {
    expect(Object.fromEntries(STATIC_SECURITY_HEADERS.map((h) => [h.key, h.value]))).toMatchObject({
      "X-Frame-Options": "DENY",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "strict-origin-when-cross-origin",
      "Permissions-Policy": expect.stringContaining("camera=()"),
    });
  });

  it("sends HSTS only when the app is served over https", () => {
    expect(strictTransportSecurity("https://pay.example.com")).toBe("max-age=31536000");
    expect(strictTransportSecurity("http://127.0.0.1:3000")).toBeNull();
  });

  it("lets the dashboard run only its own scripts, with the request's nonce", () => {
    const csp = contentSecurityPolicy({ nonce: "abc123", path: "/dashboard/orders", appUrl: "https://pay.example.com", dev: false });
    expect(directive(csp, "script-src")).toBe("script-src 'self' 'nonce-abc123'");
    expect(directive(csp, "frame-src")).toBe("frame-src 'none'");
    expect(directive(csp, "frame-ancestors")).toBe("frame-ancestors 'none'");
    expect(directive(csp, "form-action")).toBe("form-action 'self'");
    expect(directive(csp, "object-src")).toBe("object-src 'none'");
    expect(directive(csp, "upgrade-insecure-requests")).toBeDefined();
    expect(csp).not.toContain("kkiapay");
    expect(contentSecurityPolicy({ nonce: "n", path: "/login", appUrl: "http://127.0.0.1:3000", dev: false })).not.toContain("kkiapay");
  });

  it("allows the KKiaPay widget on the shopper's pages only, and the simulator's where it is served apart", () => {
    for (const path of ["/orders/ord_1", "/demo/checkout", "/pay/lnk_1", "/checkout/cs_1", "/"]) {
      const csp = contentSecurityPolicy({ nonce: "n", path, appUrl: "http://127.0.0.1:3000", sandboxUrl: "http://127.0.0.1:4000", dev: false });
      expect(directive(csp, "script-src")).toBe("script-src 'self' 'nonce-n' https://cdn.kkiapay.me http://127.0.0.1:4000");
      expect(directive(csp, "frame-src")).toBe("frame-src 'self' https://widget-v3.kkiapay.me http://127.0.0.1:4000");
      expect(directive(csp, "frame-ancestors")).toBe("frame-ancestors 'none'");
      // Payments leave by forms and redirects to the provider's hosts.
      expect(directive(csp, "form-action")).toBeUndefined();
      expect(directive(csp, "upgrade-insecure-requests")).toBeUndefined();
    }
  });

  it("adds eval for React's development tools only in development", () => {
    expect(contentSecurityPolicy({ nonce: "n", path: "/", appUrl: "http://localhost:3000", dev: true })).toContain("'unsafe-eval'");
    expect(contentSecurityPolicy({ nonce: "n", path: "/", appUrl: "http://localhost:3000", dev: false })).not.toContain("'unsafe-eval'");
  });

  it("lets the app frame the widget simulator, and nothing frame the other simulator pages", () => {
    expect(sandboxHeaders("/sandbox/kkiapay/widget", "http://127.0.0.1:3000")).toMatchObject({ "Content-Security-Policy": "frame-ancestors 'self' http://127.0.0.1:3000", "X-Content-Type-Options": "nosniff" });
    expect(sandboxHeaders("/sandbox/kkiapay/widget", "http://127.0.0.1:3000")["X-Frame-Options"]).toBeUndefined();
    // The forms the widget posts inside its iframe answer there too.
    for (const path of ["/sandbox/kkiapay/widget/pay", "/sandbox/kkiapay/widget/confirm"]) expect(sandboxHeaders(path, "http://127.0.0.1:3000")["Content-Security-Policy"]).toBe("frame-ancestors 'self' http://127.0.0.1:3000");
    expect(sandboxHeaders("/sandbox/kkiapay/widgetx", "http://127.0.0.1:3000")["X-Frame-Options"]).toBe("DENY");
    expect(sandboxHeaders("/sandbox/cinetpay/payment/x", "http://127.0.0.1:3000")).toMatchObject({ "X-Frame-Options": "DENY", "Content-Security-Policy": "frame-ancestors 'none'" });
  });
});

describe("request URLs", () => {
  it("refuses control characters in the decoded path or query, and undecodable paths", () => {
    expect(isUnreadableUrl(new URL("http://x/orders/%00"))).toBe(true);
    expect(isUnreadableUrl(new URL("http://x/dashboard/orders?q=%00"))).toBe(true);
    expect(isUnreadableUrl(new URL("http://x/dashboard/orders?q=a%09b"))).toBe(true);
    expect(isUnreadableUrl(new URL("http://x/demo?%7F=1"))).toBe(true);
    expect(isUnreadableUrl(new URL("http://x/%E0%A4%A"))).toBe(true);
    expect(isUnreadableUrl(new URL("http://x/dashboard/orders?q=Kon%C3%A9%20%27x%27%22&status=paid"))).toBe(false);
    expect(isUnreadableUrl(new URL("http://x/orders/ord_abc"))).toBe(false);
  });
});
