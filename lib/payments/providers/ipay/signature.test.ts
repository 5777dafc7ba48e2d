import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { formHash, pushHash, refundHash, searchHash, transactHash, transactResponseHash } from "./signature";

/** PROVIDERS.md §4.1 and §4.3 worked examples (iPay's demo vendor key), used as golden vectors. */
const DEMO_KEY = "demoCHANGED";

describe("iPay hashes (golden vectors)", () => {
  it("signs the hosted form with HMAC-SHA1 over the 15 fields, cbk raw", () => {
    const fields = {
      live: "0",
      oid: "112",
      inv: "112020102292999",
      ttl: "900",
      tel: "254700000000",
      eml: "test@example.com",
      vid: "demo",
      curr: "KES",
      p1: "",
      p2: "",
      p3: "",
      p4: "",
      cbk: "https://shop.example.com/ipay/callback",
      cst: "1",
      crl: "0",
    };
    expect(formHash(fields, DEMO_KEY)).toBe("fba2c11d87202e99d14fa185ed302ffef77031a9");
    // URL-encoding cbk before hashing (the classic integration bug) gives another hash.
    expect(formHash({ ...fields, cbk: encodeURIComponent(fields.cbk) }, DEMO_KEY)).not.toBe("fba2c11d87202e99d14fa185ed302ffef77031a9");
  });

  it("signs /transact with HMAC-SHA256, cst before cbk", () => {
    const body = { live: "0", oid: "some-fictitious-id1", inv: "some-fictitious-in1", amount: "10", tel: "", eml: "", vid: "demo", curr: "KES", p1: "", p2: "", p3: "", p4: "", cst: "", cbk: "" };
    expect(transactHash(body, DEMO_KEY)).toBe("337595f88a1111fb7dff911fda4e7c35318e53e8f20249458238454dfa6bfd0e");
    // Swapping cst and cbk changes the data string once both are set.
    expect(transactHash({ ...body, cst: "1", cbk: "https://x.test/cb" }, DEMO_KEY)).not.toBe(transactHash({ ...body, cst: "https://x.test/cb", cbk: "1" }, DEMO_KEY));
  });

  it("verifies the /transact response hash of the documentation", () => {
    const data = {
      account: "",
      amount: "10",
      oid: "somefictitiousid1",
      sid: "SOMDEM31454154514496218016475DEMO",
      payment_channels: [
        { name: "MPESA", paybill: "510800" },
        { name: "AIRTEL", paybill: "510800" },
        { name: "EQUITEL", paybill: "510800" },
      ],
    };
    expect(transactResponseHash(data, DEMO_KEY)).toBe("4544d3f135d5ddc9084049fffed1860f41831883ca79f51a7b49eb9e56b0d8a8");
  });

  it("orders the STK, search and refund data strings as documented", () => {
    // No published vectors for these: pin the data strings against a plain HMAC of the documented order.
    const h = (data: string) => createHmac("sha256", DEMO_KEY).update(data).digest("hex");
    expect(pushHash({ phone: "254722000000", vid: "demo", sid: "SID1" }, DEMO_KEY)).toBe(h("254722000000demoSID1"));
    expect(searchHash({ oid: "112", vid: "demo" }, DEMO_KEY)).toBe(h("112demo"));
    expect(refundHash({ code: "PG28TZAZ0E", vid: "demo" }, DEMO_KEY)).toBe(h("code=PG28TZAZ0E&vid=demo"));
  });
});
