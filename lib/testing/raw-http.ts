import { connect } from "node:net";

export type RawRequest = { method: string; target: string; headers: [string, string][]; body: Buffer | null; chunked?: boolean };

/**
 * One HTTP/1.1 exchange on its own connection, written byte for byte (latin1 keeps raw 0x80–0xFF
 * in the request line as single bytes): the status, once the server has closed the connection.
 * `contentLength` declares a length other than the body's (a client that lies about it, or one
 * that has not sent it all yet); `statusOnly` resolves as soon as the status line is in, without
 * waiting for the server to close (it may be waiting for the rest of a body that never comes).
 */
export function sendRaw(origin: string, req: RawRequest & { contentLength?: number; statusOnly?: boolean }): Promise<number> {
  const { hostname, port } = new URL(origin);
  const head = [`${req.method} ${req.target} HTTP/1.1`, `host: ${hostname}:${port}`, "connection: close"];
  for (const [k, v] of req.headers) head.push(`${k}: ${v}`);
  const body = req.body ?? Buffer.alloc(0);
  const parts: Buffer[] = [];
  if (req.chunked) {
    head.push("transfer-encoding: chunked");
    parts.push(Buffer.from(`${body.length.toString(16)}\r\n`, "latin1"), body, Buffer.from("\r\n0\r\n\r\n", "latin1"));
  } else if (req.body || req.contentLength !== undefined) {
    head.push(`content-length: ${req.contentLength ?? body.length}`);
    parts.push(body);
  }
  const bytes = Buffer.concat([Buffer.from(`${head.join("\r\n")}\r\n\r\n`, "latin1"), ...parts]);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const received: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error(`no answer within 20 s to ${req.method} ${req.target}`)), 20_000);
    const statusOf = () => Number(/^HTTP\/1\.1 (\d{3})/.exec(Buffer.concat(received).toString("latin1"))?.[1]);
    socket.on("data", (chunk) => {
      received.push(chunk);
      if (req.statusOnly && Number.isInteger(statusOf())) socket.destroy();
    });
    // The server may close before it has read a refused body.
    socket.on("error", (error) => (received.length ? undefined : reject(error)));
    socket.on("close", () => {
      clearTimeout(timer);
      const status = statusOf();
      if (Number.isInteger(status)) resolve(status);
      else reject(new Error(`no status line for ${req.method} ${req.target}`));
    });
    // Written, not ended: a half-closed connection lets Node drop a response still being computed.
    socket.write(bytes);
  });
}
