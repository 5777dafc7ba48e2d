/**
 * Request bodies anyone can send (webhooks, the simulators) are read against a cap: a declared
 * Content-Length above it is refused before a byte is read, and a body that runs past it (chunked,
 * or lying about its length) stops being read at the chunk that crosses it.
 */
export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`request body above ${limit} bytes`);
  }
}

/** The body as text (UTF-8, as Request.text() decodes it), or BodyTooLarge. */
export async function readCappedText(req: Request, limit: number): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > limit) {
    await req.body?.cancel().catch(() => {});
    throw new BodyTooLarge(limit);
  }
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLarge(limit);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** The same request with its body read against the cap: code written for Request keeps working. */
export async function withCappedBody(req: Request, limit: number): Promise<Request> {
  if (req.method === "GET" || req.method === "HEAD") return req;
  const body = await readCappedText(req, limit);
  return new Request(req.url, { method: req.method, headers: req.headers, body, signal: req.signal });
}

export function tooLarge(): Response {
  return new Response("Payload Too Large", { status: 413, headers: { "content-type": "text/plain", connection: "close" } });
}
