import { describe, expect, it } from "vitest";
import { BodyTooLarge } from "@/lib/body-limit";
import { NOTIFICATION_BODY_LIMIT, readInbound } from "./inbound";

/** A 4 MB body, 1 KB a chunk, counting what was pulled from it. */
function huge() {
  const pulled = { bytes: 0 };
  const chunk = new Uint8Array(1024).fill(0x61);
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled.bytes >= 4 * 1024 * 1024) return controller.close();
      pulled.bytes += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { body, pulled };
}

describe("reading a provider's request", () => {
  it("caps provider notifications at 64 KB", () => {
    expect(NOTIFICATION_BODY_LIMIT).toBe(64 * 1024);
  });

  it("stops reading a body that goes past the cap", async () => {
    const { body, pulled } = huge();
    const req = new Request("http://x/api/webhooks/kkiapay/demo", { method: "POST", body, duplex: "half" } as RequestInit);
    await expect(readInbound(req)).rejects.toBeInstanceOf(BodyTooLarge);
    // What was read is the cap and the chunk that crossed it, plus what the stream had queued.
    expect(pulled.bytes).toBeLessThanOrEqual(NOTIFICATION_BODY_LIMIT + 4 * 1024);
  });

  it("refuses a declared Content-Length above the cap without reading a byte", async () => {
    const { body, pulled } = huge();
    const req = new Request("http://x/api/webhooks/kkiapay/demo", { method: "POST", body, duplex: "half", headers: { "content-length": String(NOTIFICATION_BODY_LIMIT + 1) } } as RequestInit);
    const before = pulled.bytes;
    await expect(readInbound(req)).rejects.toBeInstanceOf(BodyTooLarge);
    expect(pulled.bytes).toBe(before);
  });

  it("reads a body up to the cap as text, multi-byte characters split across chunks included", async () => {
    const text = `{"name":"Éloïse ✓","pad":"${"x".repeat(NOTIFICATION_BODY_LIMIT - 40)}"}`;
    const bytes = new TextEncoder().encode(text);
    expect(bytes.byteLength).toBeLessThanOrEqual(NOTIFICATION_BODY_LIMIT);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 7) controller.enqueue(bytes.slice(i, i + 7));
        controller.close();
      },
    });
    const inbound = await readInbound(new Request("http://x/api/webhooks/kkiapay/demo?a=1", { method: "POST", body, duplex: "half" } as RequestInit));
    expect(inbound.body).toBe(text);
    expect(inbound.query).toEqual({ a: "1" });
  });
});
