import { describe, expect, it } from "vitest";
import { FOREIGN_TARGETS, SCRIPT_URLS } from "@/lib/testing/url-safety";
import { followable, isHttpUrl } from "./targets";

const APP = "https://caisse.example";
const DEV = { appOrigin: APP, loopback: true };
const PRODUCTION = { appOrigin: APP, loopback: false };

describe("the URLs a simulator accepts", () => {
  it("are http(s) URLs, whatever their host", () => {
    for (const url of ["http://127.0.0.1:3000/n", "https://caisse.example/r", "HTTP://EXAMPLE.COM/x", ...FOREIGN_TARGETS]) expect(isHttpUrl(url), url).toBe(true);
  });

  it("are never script, file or relative URLs", () => {
    for (const url of [...SCRIPT_URLS, " javascript:alert(1)", "file:///etc/passwd", "ftp://example.com/", "//example.com/", "/orders/1", "", 42, null]) expect(isHttpUrl(url), String(url)).toBe(false);
  });
});

describe("the URLs a simulator follows", () => {
  it("are on the app's origin, or outside production loopback on any port", () => {
    for (const url of [`${APP}/orders/1/return`, `${APP}:443/x`, "http://127.0.0.1:9/n", "http://127.8.9.10/n", "http://localhost:3000/n", "http://LOCALHOST/n", "http://[::1]:8080/n", "https://127.0.0.1/n"]) {
      expect(followable(url, DEV), url).toBe(new URL(url).href);
    }
  });

  it("in production are on the app's origin only: never the server's own services on loopback", () => {
    expect(followable(`${APP}/api/webhooks/cinetpay/demo`, PRODUCTION)).toBe(`${APP}/api/webhooks/cinetpay/demo`);
    for (const url of ["http://127.0.0.1:6379/", "http://127.0.0.1:5432/n", "http://localhost:3000/api/webhooks/cinetpay/demo", "http://[::1]:8080/n", "http://127.8.9.10/n", "https://127.0.0.1/n"]) {
      expect(followable(url, PRODUCTION), url).toBeNull();
    }
  });

  it("in production keep the app's own origin when the app itself listens on loopback (next start in e2e)", () => {
    const local = { appOrigin: "http://127.0.0.1:3200", loopback: false };
    expect(followable("http://127.0.0.1:3200/api/webhooks/kkiapay/demo", local)).toBe("http://127.0.0.1:3200/api/webhooks/kkiapay/demo");
    for (const url of ["http://127.0.0.1:3201/n", "http://127.0.0.1/n", "http://localhost:3200/n", "https://127.0.0.1:3200/n"]) expect(followable(url, local), url).toBeNull();
  });

  it("are never elsewhere: another host, scheme or port of the app, a private network, a look-alike", () => {
    for (const url of [...FOREIGN_TARGETS, "http://caisse.example/r", "https://caisse.example:8443/r", "https://caisse.example.evil.test/r", "http://0.0.0.0/n", "http://[::ffff:127.0.0.1]/n", "http://localhost./n", ...SCRIPT_URLS, "not a url"]) {
      expect(followable(url, DEV), url).toBeNull();
    }
  });

  it("come back normalised, so the page renders exactly what was checked", () => {
    expect(followable(' http://127.0.0.1:9/r?x="><b>\n', DEV)).toBe("http://127.0.0.1:9/r?x=%22%3E%3Cb%3E");
  });
});
