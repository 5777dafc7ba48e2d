import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type Handler = (req: Request) => Promise<Response> | Response;

export type Host = { url: string; close: () => Promise<void> };

/**
 * Serves Web-standard handlers over real HTTP on 127.0.0.1 for integration tests: the same
 * handler functions Next's route files call, reached through real sockets. Absolute-form
 * request targets (what an HTTPS_PROXY client sends, e.g. the KKiaPay SDK) are accepted too.
 */
export async function startHost(handler: Handler, port = 0): Promise<Host> {
  const server = createServer(async (incoming, outgoing) => {
    try {
      const request = await toRequest(incoming, server);
      const response = await handler(request);
      outgoing.statusCode = response.status;
      response.headers.forEach((value, key) => outgoing.setHeader(key, value));
      outgoing.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      outgoing.statusCode = 500;
      outgoing.end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function toRequest(incoming: IncomingMessage, server: Server): Promise<Request> {
  const { port } = server.address() as AddressInfo;
  const target = incoming.url ?? "/";
  // Proxy clients send the absolute URL; keep its path and serve it here.
  const path = /^https?:\/\//.test(target) ? new URL(target).pathname + new URL(target).search : target;
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [key, value] of Object.entries(incoming.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
  }
  const controller = new AbortController();
  incoming.on("close", () => {
    if (!incoming.complete || incoming.destroyed) controller.abort();
  });
  const method = incoming.method ?? "GET";
  return new Request(`http://127.0.0.1:${port}${path}`, {
    method,
    headers,
    body: method === "GET" || method === "HEAD" ? undefined : Buffer.concat(chunks),
    signal: controller.signal,
  });
}

export type Received = { method: string; path: string; query: URLSearchParams; headers: Headers; body: string };

/**
 * A notification receiver for tests: records every request and answers with `status`
 * (a function, to simulate a receiver that fails first). waitFor() resolves on arrival.
 */
export async function startReceiver(status: (n: number) => number = () => 200) {
  const received: Received[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const host = await startHost(async (req) => {
    const url = new URL(req.url);
    received.push({ method: req.method, path: url.pathname, query: url.searchParams, headers: req.headers, body: await req.text() });
    for (const w of waiters.filter((w) => received.length >= w.count)) w.resolve();
    return new Response("OK", { status: status(received.length) });
  });
  return {
    ...host,
    received,
    /** Resolves once `count` requests have arrived, or rejects after `timeoutMs`. */
    waitFor(count: number, timeoutMs = 10_000): Promise<Received[]> {
      if (received.length >= count) return Promise.resolve(received);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`expected ${count} requests, got ${received.length}`)), timeoutMs);
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve(received)) });
      });
    },
  };
}
