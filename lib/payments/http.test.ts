import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providerFetch } from "./http";
import type { ProviderContext } from "./types";

// providerFetch's default transport (undici's request), over a real socket.
describe("providerFetch", () => {
  let base: string;
  const sockets = new Set<unknown>();
  const server = http.createServer((req, res) => {
    sockets.add(req.socket);
    if (req.url === "/hang") return; // never answers
    if (req.url === "/moved") return res.writeHead(302, { location: "/elsewhere" }).end();
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
});
