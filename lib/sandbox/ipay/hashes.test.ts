import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { expectedHash, expectedRefundHash, hashMatches, transactResponseHash } from "./hashes";
import { stripOid } from "./store";

/** The simulator's side of the hashes, against PROVIDERS.md's worked examples (demo key). */
const DEMO_KEY = "demoCHANGED";

describe("iPay simulator hashes (golden vectors)", () => {
  it("expects the documented form hsh", () => {
    const form = { live: "0", oid: "112", inv: "112020102292999", ttl: "900", tel: "254700000000", eml: "test@example.com", vid: "demo", curr: "KES", cbk: "https://shop.example.com/ipay/callback", cst: "1", crl: "0" };
    expect(expectedHash("form", form, DEMO_KEY)).toBe("fba2c11d87202e99d14fa185ed302ffef77031a9");
    expect(hashMatches("FBA2C11D87202E99D14FA185ED302FFEF77031A9", expectedHash("form", form, DEMO_KEY))).toBe(true);
    expect(hashMatches("fba2c11d87202e99d14fa185ed302ffef77031a8", expectedHash("form", form, DEMO_KEY))).toBe(false);
    expect(hashMatches(undefined, expectedHash("form", form, DEMO_KEY))).toBe(false);
  });

  it("expects the documented /transact hash", () => {
    const transact = { live: "0", oid: "some-fictitious-id1", inv: "some-fictitious-in1", amount: "10", vid: "demo", curr: "KES" };
    expect(expectedHash("transact", transact, DEMO_KEY)).toBe("337595f88a1111fb7dff911fda4e7c35318e53e8f20249458238454dfa6bfd0e");
  });

  it("signs /transact answers like the documentation, over the stripped oid", () => {
    expect(stripOid("some-fictitious-id1")).toBe("somefictitiousid1");
    const data = { account: "", amount: "10", oid: stripOid("some-fictitious-id1"), sid: "SOMDEM31454154514496218016475DEMO" };
    expect(transactResponseHash(data, DEMO_KEY)).toBe("4544d3f135d5ddc9084049fffed1860f41831883ca79f51a7b49eb9e56b0d8a8");
  });

  it("hashes refunds over the query-string-shaped text", () => {
    // No published vector: the data string of PROVIDERS.md §4.3, signed here by hand.
    expect(expectedRefundHash("PG28TZAZ0E", "demo", DEMO_KEY)).toBe(createHmac("sha256", DEMO_KEY).update("code=PG28TZAZ0E&vid=demo").digest("hex"));
  });
});
