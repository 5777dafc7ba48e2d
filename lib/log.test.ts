import { Writable } from "node:stream";
import pino from "pino";
import { describe, expect, it } from "vitest";

describe("log redaction", () => {
  it("censors secrets, tokens and phone numbers by path", async () => {
    // The same options lib/log.ts uses, writing to memory instead of stdout.
    const { REDACT_PATHS } = await import("./log");
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const log = pino({ base: undefined, redact: { paths: REDACT_PATHS, censor: "[redacted]" } }, sink);
    log.info({ account: { apiKey: "sk_live_123", siteId: "445160" }, delivery: { headers: { "x-token": "abc", "content-type": "x" } }, customer: { phone: "+2250707070707" } }, "x");
    const out = lines.join("");
    expect(out).not.toContain("sk_live_123");
    expect(out).not.toContain('"abc"');
    expect(out).not.toContain("0707070707");
    expect(out).toContain("445160");
    expect(out).toContain("[redacted]");
  });
});

describe("errorMessage", () => {
  it("never repeats drizzle's parameters, even for an error made before db/client.ts scrubbed it", async () => {
    const { DrizzleQueryError } = await import("drizzle-orm");
    const { errorMessage } = await import("./log");
    const lost = new DrizzleQueryError("select * from orders where customer_phone = $1", ["+2250707070707"], new Error("write CONNECTION_ENDED"));
    expect(errorMessage(lost)).toBe("database query failed: write CONNECTION_ENDED");
    const echoed = new DrizzleQueryError("select $1::int", ["+2250707070707"], new Error('invalid input "+2250707070707"'));
    expect(errorMessage(echoed)).toBe("database query failed");
  });
});
