import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseRetryAfter, providerFetch } from "./http";
import { ProviderError, type ProviderContext } from "./types";

// providerFetch's default transport (undici's request), over a real socket.
describe("providerFetch", () => {
  let base: string;
  const sockets = new Set<unknown>();
  const server = http.createServer((req, res) => {
    sockets.add(req.socket);
    if (req.url === "/hang") return; // never answers
    if (req.url === "/moved") return res.writeHead(302, { location: "/elsewhere" }).end();
    if (req.url === "/busy") return res.writeHead(429, { "retry-after": "120" }).end("{}");
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ method: req.method, ua: req.headers["user-agent"], body: JSON.parse(body || "null") })));
  });
  const ctx = (timeoutMs = 2000) => ({ mode: "sandbox", credentials: {}, urls: {}, timeoutMs }) as ProviderContext<unknown>;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it("posts JSON and reads the whole answer, with our User-Agent, on kept-alive connections", async () => {
    sockets.clear();
    const first = await providerFetch("cinetpay", ctx(), { url: `${base}/check`, json: { transaction_id: "ABC" } });
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ method: "POST", ua: expect.stringMatching(/^Caisse\//), body: { transaction_id: "ABC" } });
    for (let i = 0; i < 9; i++) {
      const next = await providerFetch("cinetpay", ctx(), { url: `${base}/check`, json: { transaction_id: `N${i}` } });
      expect(next.json).toMatchObject({ body: { transaction_id: `N${i}` } });
    }
    // The pool may open a second socket while the first is being released; never one per call.
    expect(sockets.size).toBeLessThanOrEqual(2);
  });

  it("gives up at the deadline with a retryable timeout", async () => {
    const started = performance.now();
    await expect(providerFetch("cinetpay", ctx(200), { url: `${base}/hang`, json: {} })).rejects.toMatchObject({ code: "timeout", retryable: true });
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it("does not follow a redirect", async () => {
    const res = await providerFetch("cinetpay", ctx(), { method: "GET", url: `${base}/moved` });
    expect(res.status).toBe(302);
  });

  it("reports a refused connection as a network error", async () => {
    await expect(providerFetch("cinetpay", ctx(), { url: "http://127.0.0.1:1/", json: {} })).rejects.toMatchObject({ code: "network_error" });
  });

  it("reads a 429's Retry-After into the trace, and a ProviderError built from that trace carries it", async () => {
    const res = await providerFetch("cinetpay", ctx(), { url: `${base}/busy`, json: {}, idempotent: true });
    expect([res.status, res.trace.retryAfterSeconds]).toEqual([429, 120]);
    const error = new ProviderError("cinetpay", "rate_limited", "busy", true, { httpStatus: 429, trace: res.trace });
    expect(error.details.retryAfterSeconds).toBe(120);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-12-01T10:00:00Z");
  it("reads delay-seconds and HTTP dates, and nothing else", () => {
    expect(parseRetryAfter("60", now)).toBe(60);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
    expect(parseRetryAfter("Tue, 01 Dec 2026 10:02:30 GMT", now)).toBe(150);
    expect(parseRetryAfter("Tue, 01 Dec 2026 09:59:00 GMT", now)).toBe(0);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("-5", now)).toBeUndefined();
  });
});
