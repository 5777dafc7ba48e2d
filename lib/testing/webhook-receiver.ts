import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export type Received = { path: string; headers: Record<string, string>; body: string; at: number };

/**
 * "The merchant's site" for webhook tests: a bare node:http server that records every request
 * and answers what `answer(path, n)` says (n: how many requests that path got before, from 0),
 * when it says it: a promise holds the answer back.
 */
export async function startWebhookReceiver(answer: (path: string, n: number) => number | Promise<number> = () => 200) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const path = req.url ?? "/";
      const n = received.filter((r) => r.path === path).length;
      received.push({ path, headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])), body: Buffer.concat(chunks).toString("utf8"), at: Date.now() });
      res.statusCode = await answer(path, n);
      // /nul-body answers as a UTF-16 "OK" would: bytes PostgreSQL cannot hold in text.
      res.end(path === "/nul-body" ? "O\u0000K\u0000" : res.statusCode < 300 ? "ok" : "not now");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    at: (path: string) => received.filter((r) => r.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
