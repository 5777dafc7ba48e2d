import { spawn } from "node:child_process";
import { connect } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { actionIds } from "./support/actions";
import { signIn, USERS } from "./support/auth";
import { fillCart, fillCustomer } from "./support/shopper";

/**
 * Issue 13 items 6 and 8 against `next start`: the security headers on every page, a nonce CSP
 * the pages' own scripts satisfy (the KKiaPay widget's host allowed only on the order page, the
 * widget simulator frameable by the app alone), and control characters in any URL refused
 * (400, or 404 for an unknown slug), never a 500 or a 503. Item 3: a body above the cap is refused
 * by the real server before it is read.
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

/**
 * Writes a request's head and the first bytes of its body on a raw socket, and never the rest: the
 * status line the server answers with while the body is still unfinished. A server that waited
 * for the whole body would never answer, and the promise fails after `ms`.
 */
function statusBeforeBodyEnds(baseURL: string, head: string[], firstBytes: Buffer, ms = 5_000): Promise<number> {
  const { hostname, port } = new URL(baseURL);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no status line within ${ms} ms: the server is waiting for the rest of the body`));
    }, ms);
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
      const status = /^HTTP\/1\.1 (\d{3})/.exec(received)?.[1];
      if (!status) return;
      clearTimeout(timer);
      socket.destroy();
      resolve(Number(status));
    });
    socket.on("error", (error) => (clearTimeout(timer), reject(error)));
    socket.on("close", () => (clearTimeout(timer), reject(new Error(`closed without a status line: ${JSON.stringify(received.slice(0, 200))}`))));
    socket.write(Buffer.concat([Buffer.from(`${[...head, `host: ${hostname}:${port}`].join("\r\n")}\r\n\r\n`, "latin1"), firstBytes]));
  });
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

  test("a path segment that does not decode (%FF) is a 400 on the routes outside the proxy too, never Next's 500", async ({ baseURL }) => {
    // fetch() sends the path as written; a browser or Playwright's client might re-encode it.
    const paths = ["/api/webhooks/cinetpay/%ff", "/api/webhooks/kkiapay/demo%C3", "/api/orders/%ff/status", "/orders/%ff/return", "/sandbox/cinetpay/payment/%ff", "/sandbox/ipay/phone/%E2%82"];
    for (const path of paths) {
      const get = await fetch(`${baseURL}${path}`, { redirect: "manual" });
      expect(get.status, `GET ${path}`).toBe(400);
      const post = await fetch(`${baseURL}${path}`, { method: "POST", body: "{}", headers: { "content-type": "application/json" }, redirect: "manual" });
      expect(post.status, `POST ${path}`).toBe(400);
    }
    // The merchant API answers in its own error shape there too: a program reads `error.code`.
    for (const path of ["/api/v1/payments/%ff", "/api/v1/payments/pay_x%00"]) {
      const res = await fetch(`${baseURL}${path}`, { headers: { authorization: "Bearer ck_test_x" } });
      expect(res.status, path).toBe(400);
      expect(res.headers.get("content-type"), path).toMatch(/^application\/json/);
      expect(await res.json(), path).toEqual({ error: { type: "invalid_request_error", code: "invalid_url", message: expect.any(String), param: null } });
    }
    // What a provider really sends still reaches the route, without the proxy's headers.
    const unknown = await fetch(`${baseURL}/api/webhooks/kkiapay/no-such-shop`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-security-policy")).toBeNull();
  });

  test("a body above the cap is refused with 413 before the server reads it, declared or chunked", async ({ baseURL }) => {
    const routes = ["/api/webhooks/cinetpay/demo", "/sandbox/cinetpay/v2/payment", "/sandbox/kkiapay/_control/settings"];
    for (const target of routes) {
      // 100 MB announced, 16 bytes sent: only a refusal on the header can answer in time.
      const declared = await statusBeforeBodyEnds(baseURL!, [`POST ${target} HTTP/1.1`, "content-type: application/x-www-form-urlencoded", "content-length: 100000000"], Buffer.from("cpm_trans_id=ab&"));
      expect(declared, `${target}, declared`).toBe(413);
      // No length: 70 000 bytes in one chunk, then nothing (not even the last chunk).
      const chunk = Buffer.alloc(70_000, "a");
      const chunked = await statusBeforeBodyEnds(baseURL!, [`POST ${target} HTTP/1.1`, "content-type: application/json", "transfer-encoding: chunked"], Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]));
      expect(chunked, `${target}, chunked`).toBe(413);
    }
    // The server is still there for the next client.
    expect((await fetch(`${baseURL}/api/health`)).status).toBe(200);
  });

  test("a KKiaPay account in live mode loads the real widget's script and frame under the shopper's CSP, and the dashboard does not allow them", async ({ page, browser }) => {
    // Live credentials as a merchant enters them; the order page then loads https://cdn.kkiapay.me/k.js.
    // There is no internet here: KKiaPay's two hosts are answered by stand-ins (their code is not
    // ours), which is all the CSP judges: where a script or frame comes from.
    const live = { publicKey: "pk_live_e2e_csp", privateKey: "sk_live_e2e_csp", secretKey: "whsec_live_e2e_csp" };
    const owner = await browser.newPage();
    const setMode = async (mode: "live" | "sandbox") => {
      await owner.goto("/dashboard/settings");
      const form = owner.getByTestId("account-form-kkiapay");
      await form.getByTestId("account-mode").selectOption(mode);
      if (mode === "live") {
        for (const [field, value] of Object.entries(live)) await form.getByTestId(`account-cred-live-${field}`).fill(value);
        // KKiaPay's real host cannot be reached from here: the connection test would refuse them.
        await form.getByTestId("account-override").check();
      }
      else await form.getByTestId("account-forget-live").check();
      await form.getByTestId("account-save").click();
      await expect(form.getByTestId("account-result")).toBeVisible();
      await owner.reload();
      await expect(owner.getByTestId("account-form-kkiapay").getByTestId("account-mode")).toHaveValue(mode);
    };
    await signIn(owner, USERS.demoOwner);
    const dashboardCsp = (await owner.request.get("/dashboard")).headers()["content-security-policy"] ?? "";
    expect(dashboardCsp).toContain("script-src 'self' 'nonce-");
    expect(dashboardCsp).not.toContain("cdn.kkiapay.me");
    expect(dashboardCsp).not.toContain("widget-v3.kkiapay.me");
    await setMode("live");
    try {
      const asked: string[] = [];
      await page.route("https://cdn.kkiapay.me/**", (route) => {
        asked.push(route.request().url());
        return route.fulfill({
          contentType: "application/javascript",
          body: `window.__kkiapayLoaded = true;
            window.addSuccessListener = function () {}; window.addFailedListener = function () {};
            window.addPendingListener = function () {}; window.addPaymentAbortedListener = function () {};
            window.openKkiapayWidget = function (config) {
              window.__kkiapayConfig = config;
              var frame = document.createElement("iframe");
              frame.src = "https://widget-v3.kkiapay.me/?amount=" + encodeURIComponent(config.amount);
              frame.setAttribute("data-testid", "live-widget-frame");
              frame.onload = function () { window.__kkiapayFrameLoaded = true; };
              document.body.appendChild(frame);
            };`,
        });
      });
      await page.route("https://widget-v3.kkiapay.me/**", (route) => {
        asked.push(route.request().url());
        return route.fulfill({ contentType: "text/html", body: "<!doctype html><title>KKiaPay</title><p>widget</p>" });
      });
      const violations = await watchViolations(page);
      await fillCart(page, "demo", 1);
      await fillCustomer(page, { country: "BJ", phone: "01 97 00 00 00", option: "kkiapay.mtn.hosted" });
      await page.getByTestId("pay").click();
      await page.waitForFunction(() => (window as unknown as { __kkiapayFrameLoaded?: boolean }).__kkiapayFrameLoaded === true);
      const seen = await page.evaluate(() => {
        const w = window as unknown as Record<string, unknown> & { __kkiapayConfig?: { key?: string; sandbox?: boolean } };
        return { loaded: w.__kkiapayLoaded, key: w.__kkiapayConfig?.key, sandbox: w.__kkiapayConfig?.sandbox, open: typeof w.openKkiapayWidget, success: typeof w.addSuccessListener };
      });
      expect(seen).toEqual({ loaded: true, key: live.publicKey, sandbox: false, open: "function", success: "function" });
      expect(asked).toEqual([expect.stringMatching(/^https:\/\/cdn\.kkiapay\.me\/k\.js/), expect.stringMatching(/^https:\/\/widget-v3\.kkiapay\.me\//)]);
      expect(page.url()).toMatch(/\/orders\/ord_/);
      expect(violations).toEqual([]);
    } finally {
      await setMode("sandbox");
      await owner.close();
    }
  });
});

test.describe("server actions under hostile input", () => {
  test("a body that does not decode, or arguments that are no form, are refused with a 4xx, never a 500", async ({ request }) => {
    // The language switch is a server action anyone can reach, its id in every page.
    const html = await (await request.get("/demo")).text();
    const id = html.match(/name="\$ACTION_ID_([0-9a-f]+)"/)![1]!;
    const asReact = (body: string | Buffer, type = "text/plain;charset=UTF-8") => request.post("/demo", { headers: { "next-action": id, "content-type": type }, data: body, maxRedirects: 0 });
    const cases: [string, () => ReturnType<typeof asReact>][] = [
      ["a string instead of a form", () => asReact('["x"]')],
      ["an object instead of a form", () => asReact('[{"get":1}]')],
      ["no argument", () => asReact("[]")],
      ["broken JSON", () => asReact('["')],
      ["invalid UTF-8", () => asReact(Buffer.from([0xff, 0xfe, 0x5b, 0x5d]))],
      ["multipart without its boundary", () => asReact("garbage", "multipart/form-data")],
      ["multipart cut short", () => asReact("--zz\r\ncontent-disposition: form-data; name=\"a\"\r\n\r\nb", "multipart/form-data; boundary=zz")],
      ["a body above Next's 2 MB cap", () => asReact(`["${"a".repeat(2_200_000)}"]`)],
      ["a form without JavaScript, cut short", () => request.post("/demo", { headers: { "content-type": "multipart/form-data; boundary=zz" }, data: `--zz\r\ncontent-disposition: form-data; name="$ACTION_ID_${id}"\r\n\r\n`, maxRedirects: 0 })],
    ];
    for (const [name, send] of cases) expect((await send()).status(), name).toBeLessThan(500);
    // The switch itself still works, posted as a browser without JavaScript posts it.
    const switched = await request.post("/demo", { multipart: { [`$ACTION_ID_${id}`]: "", locale: "en" }, maxRedirects: 0 });
    expect(switched.status()).toBeLessThan(400);
    expect(switched.headers()["set-cookie"] ?? "").toMatch(/locale=en/i);
  });

  test("React references to parts that are not there are refused with 400 before React decodes them into a 500", async ({ request }) => {
    const [id] = actionIds(await (await request.get("/demo")).text());
    // The pay link's form is a useActionState form: its action takes (state, form).
    const link = actionIds(await (await request.get("/pay/lnk_demoMontantLibre000001")).text()).find((other) => other !== id);
    expect(link).toBeDefined();
    const pages: Record<string, string> = { [id!]: "/demo", [link!]: "/pay/lnk_demoMontantLibre000001" };
    const text = (action: string, body: string) => request.post(pages[action]!, { headers: { "next-action": action, "content-type": "text/plain;charset=UTF-8" }, data: body, maxRedirects: 0 });
    const parts = (action: string | null, fields: [string, string][], path = "/demo") => {
      const boundary = "----fuzz7MA4YWxkTrZu0gW";
      const body = fields.map(([k, v]) => `--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join("") + `--${boundary}--\r\n`;
      return request.post(path, { headers: { ...(action ? { "next-action": action } : {}), "content-type": `multipart/form-data; boundary=${boundary}` }, data: body, maxRedirects: 0 });
    };
    const texts = ['["$Q1"]', '["$W1"]', '["$B1"]', '["$h1"]', '["$1:a:b"]', '["$i1"]', '["$A1"]', '["$o1"]', '["$V1"]', '["$S1"]', '["$1"]', '["$0:x"]', '{"a":"$Q0"}', '["$Q0"]', '["$nx"]', '["$"]', '["$zz"]', '[null,"$Q1"]', '[null,"$@1"]', '[null,"$K1","$T"]'];
    const forms: [string, [string, string][]][] = [
      ["a Map part that is not there", [["0", '["$Q5"]']]],
      ["no root part", [["_1_locale", "en"]]],
      ["a part that is not JSON", [["1", "{"], ["0", '["$1"]']]],
      ["a part that refers to nothing", [["1", '["$Q9"]'], ["0", '["$1"]']]],
      ["a part sent after the root", [["0", '["$1"]'], ["1", "[]"]]],
      ["the root twice", [["0", "[]"], ["0", "[]"]]],
      ["a Map that is there", [["1", "[[1,2]]"], ["0", '["$Q1"]']]],
    ];
    const statuses: Record<string, number> = {};
    for (const action of [id!, link!]) {
      for (const body of texts) statuses[`${action.slice(0, 6)} text ${body}`] = (await text(action, body)).status();
      for (const [name, fields] of forms) statuses[`${action.slice(0, 6)} multipart ${name}`] = (await parts(action, fields, pages[action])).status();
    }
    // A form without JavaScript: the bound action's arguments are a promise of a part.
    const ref = (bound: string) => parts(null, [["$ACTION_REF_1", ""], ["$ACTION_1:0", JSON.stringify({ id: link, bound })], ["$ACTION_KEY", "k0"]], "/pay/lnk_demoMontantLibre000001");
    statuses["no-JS bound arguments that are not there"] = (await ref("$@1")).status();
    statuses["no-JS bound arguments of a Map"] = (await ref("$Q5")).status();
    statuses["no-JS bound arguments undefined"] = (await ref("$u")).status();
    expect(Object.entries(statuses).filter(([, status]) => status !== 400)).toEqual([]);
    // A no-JavaScript browser's post of the pay link's form (its bound action's rows as rendered) still reaches the action.
    const page = await (await request.get("/pay/lnk_demoMontantLibre000001")).text();
    const rendered = [...page.matchAll(/<input type="hidden" name="(\$ACTION_(?:REF_\d+|\d+:\d+|KEY))"(?: value="([^"]*)")?/g)].map(([, name, value]): [string, string] => [name!, (value ?? "").replaceAll("&quot;", '"')]);
    expect(rendered.map(([name]) => name)).toContain("$ACTION_KEY");
    expect((await parts(null, rendered, "/pay/lnk_demoMontantLibre000001")).status()).toBeLessThan(400);
    // React's own encoding of a form still reaches the action: the switch, as the browser sends it.
    const switched = await parts(id!, [["_1_locale", "en"], ["0", '["$K1"]']]);
    expect(switched.status()).toBeLessThan(400);
    expect(switched.headers()["set-cookie"] ?? "").toMatch(/locale=en/i);
  });
});

test.describe("pages under the prefix of a route or a static file", () => {
  test("/api/checkout, /products/checkout and /favicon.icox are pages: they get the proxy's CSP and screening, never a 500", async ({ request, baseURL }) => {
    // The storefront's checkout for the slugs "api" and "products", and a storefront: the matcher
    // once left them out with the routes and files they share a prefix with.
    const [id] = actionIds(await (await request.get("/demo")).text());
    for (const path of ["/api/checkout", "/products/checkout", "/favicon.icox"]) {
      const res = await request.get(path);
      expect(res.status(), path).toBe(404);
      expect(res.headers()["content-security-policy"], path).toContain("frame-ancestors 'none'");
      const reply = await request.post(path, { headers: { "next-action": id!, "content-type": "text/plain;charset=UTF-8" }, data: '["$Q1"]', maxRedirects: 0 });
      expect(reply.status(), `POST ${path}`).toBe(400);
    }
    expect((await fetch(`${baseURL}/favicon.ico%FF`)).status).toBe(400);
    // The files themselves are still served as they are.
    expect((await request.get("/favicon.svg")).status()).toBe(200);
    expect((await request.get("/products/attieke.svg")).status()).toBe(200);
  });
});

test.describe("the sign-in route (next-auth) under hostile input", () => {
  test("answers 4xx, never 5xx: control characters, unreadable callback URLs (query, form or cookie), malformed JSON", async ({ playwright, baseURL }) => {
    const client = await playwright.request.newContext({ baseURL });
    const { csrfToken } = (await (await client.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const gets = ["/api/auth/signin?callbackUrl=%00", "/api/auth/signin?callbackUrl=foo", "/api/auth/signin?callbackUrl=http%3A%2F%2F%5B", "/api/auth/session?x=%01", "/api/auth/error?error=%00"];
    for (const path of gets) {
      const status = (await client.get(path, { maxRedirects: 0 })).status();
      expect(status, path).toBeLessThan(500);
    }
    const cookie = (await client.get("/api/auth/signin", { headers: { cookie: "next-auth.callback-url=foo" }, maxRedirects: 0 })).status();
    expect(cookie, "callback-url cookie").toBeLessThan(500);
    const forms: Record<string, string>[] = [
      { email: "owner@demo.test", password: "wrong", csrfToken, callbackUrl: "\u0000" },
      { email: "owner@demo.test", password: "wrong", csrfToken, callbackUrl: "not a url" },
      { email: "owner@demo.test\u0000", password: "wrong\u0001", csrfToken },
    ];
    for (const form of forms) {
      const status = (await client.post("/api/auth/callback/credentials", { form, maxRedirects: 0 })).status();
      expect(status, JSON.stringify(form)).toBeLessThan(500);
    }
    const json = await client.post("/api/auth/callback/credentials", { headers: { "content-type": "application/json" }, data: Buffer.from('{"email":'), maxRedirects: 0 });
    expect(json.status(), "malformed JSON").toBe(400);
    // Control characters in a URL are refused as on every other route.
    expect((await client.get("/api/auth/signin?callbackUrl=%00", { maxRedirects: 0 })).status()).toBe(400);
    await client.dispose();
  });

  test("a GET of the credentials callback is a 405, not next-auth's 500 (\"Callback for provider type credentials not supported\")", async ({ request }) => {
    for (const path of ["/api/auth/callback/credentials", "/api/auth/callback/credentials?callbackUrl=%2Fdashboard"]) {
      const res = await request.get(path, { maxRedirects: 0 });
      expect(res.status(), path).toBe(405);
      expect(res.headers()["allow"]).toBe("POST");
    }
    expect((await request.head("/api/auth/callback/credentials", { maxRedirects: 0 })).status()).toBe(405);
  });

  test("refuses a body above the cap with 413 before reading it", async ({ baseURL }) => {
    const declared = await statusBeforeBodyEnds(baseURL!, ["POST /api/auth/callback/credentials HTTP/1.1", "content-type: application/x-www-form-urlencoded", "content-length: 100000000"], Buffer.from("email=a%40b.c&"));
    expect(declared).toBe(413);
    const chunk = Buffer.alloc(70_000, "a");
    const chunked = await statusBeforeBodyEnds(baseURL!, ["POST /api/auth/callback/credentials HTTP/1.1", "content-type: application/x-www-form-urlencoded", "transfer-encoding: chunked"], Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]));
    expect(chunked).toBe(413);
  });
});

test.describe("production without its secrets", () => {
  test("next start exits with an error instead of answering every request with a 500", async () => {
    test.setTimeout(90_000);
    const port = 3295;
    const server = spawn("node_modules/.bin/next", ["start", "-p", String(port)], {
      // No NEXTAUTH_SECRET, no CAISSE_ENCRYPTION_KEY.
      env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? "/tmp", NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", DATABASE_URL: "", PGLITE_DATA_DIR: ".data/e2e-no-secrets", APP_URL: `http://127.0.0.1:${port}` },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    server.stdout.on("data", (d) => (output += d));
    server.stderr.on("data", (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => server.on("exit", (code) => resolve(code)));
    try {
      // Knocked on until it exits: Next may run its start-up hook on the first request.
      const statuses: number[] = [];
      const code = await Promise.race([
        exited,
        (async () => {
          for (let i = 0; i < 60; i++) {
            const res = await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => null);
            if (res) statuses.push(res.status);
            await new Promise((r) => setTimeout(r, 1000));
          }
          return "still running" as const;
        })(),
      ]);
      expect(code, `answers: ${statuses.join(",")}`).toBe(1);
      expect(output).toMatch(/NEXTAUTH_SECRET/);
      expect(statuses.filter((s) => s >= 500)).toEqual([]);
    } finally {
      server.kill();
    }
  });
});
