import { describe, expect, it } from "vitest";
import { AUTH_BODY_LIMIT, safeRedirect, screenAuthRequest } from "./route-screen";

const URL_ = "http://127.0.0.1:3000/api/auth/callback/credentials";
const form = (body: string, headers: Record<string, string> = {}) =>
  new Request(URL_, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body });

async function status(req: Request): Promise<number | "passed"> {
  const screened = await screenAuthRequest(req);
  return screened instanceof Response ? screened.status : "passed";
}

describe("what reaches next-auth's route", () => {
  it("a sign-in form passes, its body intact and its URL readable as next-auth reads it", async () => {
    const screened = await screenAuthRequest(form("email=owner%40demo.test&password=p%C3%A9&csrfToken=abc&callbackUrl=%2Fdashboard"));
    expect(screened).not.toBeInstanceOf(Response);
    const req = screened as Request & { nextUrl: URL };
    expect(req.nextUrl.pathname).toBe("/api/auth/callback/credentials");
    expect(Object.fromEntries(new URLSearchParams(await req.text()))).toEqual({ email: "owner@demo.test", password: "pé", csrfToken: "abc", callbackUrl: "/dashboard" });
    expect(await status(new Request("http://127.0.0.1:3000/api/auth/session"))).toBe("passed");
  });

  it("a GET of the credentials callback is a 405 (next-auth answers it with a 500)", async () => {
    expect(await status(new Request(URL_))).toBe(405);
    expect(await status(new Request(URL_, { method: "HEAD" }))).toBe(405);
    expect(await status(new Request("http://127.0.0.1:3000/api/auth/callback"))).toBe(405);
    expect(await status(new Request("http://127.0.0.1:3000/api/auth/signin"))).toBe("passed");
  });

  it("a control character in the URL or the body is a 400", async () => {
    expect(await status(new Request("http://127.0.0.1:3000/api/auth/signin?callbackUrl=%00"))).toBe(400);
    expect(await status(new Request("http://127.0.0.1:3000/api/auth/%01"))).toBe(400);
    expect(await status(form("email=a%40b.c&callbackUrl=%00"))).toBe(400);
    expect(await status(form(JSON.stringify({ email: "a@b.c\u0007" }), { "content-type": "application/json" }))).toBe(400);
  });

  it("a callback URL next-auth cannot read, in the query or its cookie, is a 400 (and the cookie is cleared)", async () => {
    for (const bad of ["foo", "http%3A%2F%2F%5B", "javascript%3Aalert(1)", "%E2%80%8B"]) expect(await status(new Request(`http://127.0.0.1:3000/api/auth/signin?callbackUrl=${bad}`)), bad).toBe(400);
    for (const good of ["%2Fdashboard", "http%3A%2F%2F127.0.0.1%3A3000%2Fdashboard", "https%3A%2F%2Fevil.example%2F"]) expect(await status(new Request(`http://127.0.0.1:3000/api/auth/signin?callbackUrl=${good}`)), good).toBe("passed");
    const res = (await screenAuthRequest(new Request("http://127.0.0.1:3000/api/auth/signin", { headers: { cookie: "a=b; next-auth.callback-url=foo" } }))) as Response;
    expect(res.status).toBe(400);
    expect(res.headers.get("set-cookie")).toMatch(/^next-auth\.callback-url=; Path=\/; Max-Age=0/);
    expect(await status(new Request("http://127.0.0.1:3000/api/auth/signin", { headers: { cookie: "next-auth.callback-url=%2Fdashboard" } }))).toBe("passed");
    expect(await status(new Request("http://127.0.0.1:3000/api/auth/signin", { headers: { cookie: "__Secure-next-auth.callback-url=%ZZ" } }))).toBe(400);
  });

  it("malformed JSON is a 400, not next-auth's SyntaxError", async () => {
    expect(await status(form('{"email":', { "content-type": "application/json" }))).toBe(400);
  });

  it("a body above the cap is a 413, declared or not", async () => {
    expect(await status(form("a=1", { "content-length": "100000000" }))).toBe(413);
    expect(await status(form(`a=${"x".repeat(AUTH_BODY_LIMIT)}`))).toBe(413);
  });
});

describe("where a sign-in sends the browser", () => {
  const baseUrl = "https://caisse.example";
  it("a path of ours or our origin, else home; never a throw on what is not a URL", () => {
    expect(safeRedirect({ url: "/dashboard/orders", baseUrl })).toBe("https://caisse.example/dashboard/orders");
    expect(safeRedirect({ url: "https://caisse.example/dashboard", baseUrl })).toBe("https://caisse.example/dashboard");
    for (const url of ["https://evil.example/", "foo", "http://[", "\u0000", "", "javascript:alert(1)", "https://caisse.example.evil.test/"]) {
      expect(safeRedirect({ url, baseUrl }), JSON.stringify(url)).toBe(baseUrl);
    }
  });
});
