import { describe, expect, it } from "vitest";
import { redact, redactBody } from "./redact";

describe("redact", () => {
  it("keeps no value deeper than any provider writes: a secret down there is not kept raw", () => {
    const nested = (depth: number, leaf: unknown): unknown => (depth === 0 ? leaf : { a: nested(depth - 1, leaf) });
    expect(JSON.stringify(redact(nested(12, { token: "s3cret" })))).not.toContain("s3cret");
    expect(redact({ status: "SUCCESS", notif_token: "t", phone: "+2250707070707" })).toEqual({ status: "SUCCESS", notif_token: "[redacted]", phone: "+**********707" });
  });

  it("turns a body nested thousands deep (40 KB, under the cap) into something JSON.stringify and jsonb take", () => {
    // Found by the review of issue 13: kept as it came, it overflowed JSON.stringify's stack when
    // a rejected KKiaPay delivery was stored, a 503 that KKiaPay retries.
    const body = `{"transactionId":"tx","deep":${"[".repeat(20_000)}${"]".repeat(20_000)}}`;
    expect(() => JSON.stringify(redactBody(body))).not.toThrow();
  });
});
