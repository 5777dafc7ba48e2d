import { describe, expect, it } from "vitest";
import { checkIpayAmount, fromWireAmount, toWireAmount } from "./amounts";
import { ipayProvider } from "./index";
import { attemptOutcomeOf, IPN_CODES, ipnOutcome, methodFromMode, statusFromSearchMessage } from "./status";

describe("iPay status codes", () => {
  it("names the six callback/IPN codes of PROVIDERS.md §4.2", () => {
    expect(ipnOutcome("aei7p7yrx4ae34")).toBe("paid");
    expect(ipnOutcome("bdi6p2yy76etrs")).toBe("pending");
    expect(ipnOutcome("fe2707etr5s4wq")).toBe("failed");
    expect(ipnOutcome("cr5i3pgy9867e1")).toBe("used");
    expect(ipnOutcome("dtfi4p7yty45wq")).toBe("less");
    expect(ipnOutcome("eq3i7p5yt7645e")).toBe("more");
    expect(Object.keys(IPN_CODES)).toHaveLength(6);
    expect(ipnOutcome("zzzz")).toBeUndefined();
    expect(ipnOutcome("")).toBeUndefined();
  });

  it("keeps only failed and used as attempt outcomes: the IPN never moves money on its own", () => {
    expect(attemptOutcomeOf("failed")).toBe("failed");
    expect(attemptOutcomeOf("used")).toBe("used");
    for (const o of ["paid", "more", "less", "pending"] as const) expect(attemptOutcomeOf(o)).toBeUndefined();
  });

  it("treats only the three terminal STK messages as failures", () => {
    expect(statusFromSearchMessage("The request was canceled by the user")).toMatchObject({ status: "failed", failureCode: "stk_cancelled" });
    expect(statusFromSearchMessage("Incorrect pin has been entered")).toMatchObject({ status: "failed", failureCode: "stk_wrong_pin" });
    expect(statusFromSearchMessage("The User Wallet balance is insufficient for the transaction")).toMatchObject({ status: "failed", failureCode: "stk_insufficient_funds" });
    // Not final (the shopper may still pay), but the shopper hears the prompt died.
    expect(statusFromSearchMessage("The transaction was timed out")).toEqual({ status: "pending", attemptOutcome: "timed_out" });
    expect(statusFromSearchMessage("No payment record found")).toEqual({ status: "pending" });
  });

  it("names iPay's payment modes with our method names", () => {
    expect(methodFromMode("MPESA")).toBe("mpesa");
    expect(methodFromMode("AIRTEL")).toBe("airtel");
    expect(methodFromMode("CREDITCARD")).toBe("card");
    expect(methodFromMode("EQUITEL")).toBeUndefined();
  });
});

describe("iPay amounts", () => {
  it("writes cents as shillings with two decimals and reads the variants back", () => {
    expect(toWireAmount(125000)).toBe("1250.00");
    expect(toWireAmount(5)).toBe("0.05");
    expect(fromWireAmount("1250.00")).toBe(125000);
    expect(fromWireAmount("5.5")).toBe(550);
    expect(fromWireAmount("10")).toBe(1000);
    expect(fromWireAmount(10)).toBe(1000);
    expect(fromWireAmount("1,250.00")).toBeNull();
    expect(fromWireAmount("-5")).toBeNull();
    expect(fromWireAmount("1.234")).toBeNull();
  });

  it("accepts KES from 10.00 and USD from 1.00, nothing else", () => {
    expect(checkIpayAmount(1000, "KES")).toEqual({ ok: true });
    expect(checkIpayAmount(999, "KES")).toMatchObject({ ok: false, code: "amount_too_small" });
    expect(checkIpayAmount(100, "USD")).toEqual({ ok: true });
    expect(checkIpayAmount(99, "USD")).toMatchObject({ ok: false, code: "amount_too_small" });
    expect(checkIpayAmount(5000, "XOF")).toMatchObject({ ok: false, code: "unsupported_currency" });
    expect(checkIpayAmount(1000.5, "KES")).toMatchObject({ ok: false, code: "invalid_amount" });
    expect(ipayProvider.checkAmount(125000, "KES")).toEqual({ ok: true });
  });
});

describe("iPay callbacks", () => {
  // The real callback of PROVIDERS.md §4.2.
  const query =
    "status=aei7p7yrx4ae34&txncd=PG28TZAZ0E&msisdn_id=JOHN+DOE&msisdn_idnum=254722000000&p1=&p2=&p3=&p4=&uyt=1817486427&agt=658397967&qwh=1226344355&ifd=784861590&afd=1521439284&poi=78179582&id=1625230215&ivm=1625230215&mc=5.00&channel=MPESA";
  const request = (q: string) => ({ method: "GET", url: `https://shop.test/api/webhooks/ipay/autre?${q}`, headers: {}, query: Object.fromEntries(new URLSearchParams(q)), body: "" });

  it("parses the documented query into a lookup, a dedupe key, the claims and the IPN ids", () => {
    expect(ipayProvider.parseNotification(request(query))).toEqual({
      lookup: { reference: "1625230215" },
      dedupeKey: "1625230215:aei7p7yrx4ae34:PG28TZAZ0E",
      claimedStatus: "aei7p7yrx4ae34",
      claimedAmountMinor: 500,
      evidence: { fields: { id: "1625230215", ivm: "1625230215", qwh: "1226344355", afd: "1521439284", poi: "78179582", uyt: "1817486427", ifd: "784861590" } },
    });
  });

  it("keeps as evidence only the IPN ids present and shaped like iPay's (short alphanumerics)", () => {
    const parsed = ipayProvider.parseNotification(request(`status=fe2707etr5s4wq&id=ORD1&ivm=&qwh=12%3B34&afd=${"9".repeat(35)}&poi=78179582&agt=1`));
    expect(parsed?.evidence).toEqual({ fields: { id: "ORD1", poi: "78179582" } });
  });

  it("reads mc as a decimal string in minor units, and ignores an unreadable one", () => {
    const mc = (v: string) => ipayProvider.parseNotification(request(`status=aei7p7yrx4ae34&id=X1&mc=${encodeURIComponent(v)}`))?.claimedAmountMinor;
    expect(mc("1250.00")).toBe(125_000);
    expect(mc("1250")).toBe(125_000);
    expect(mc("0.1")).toBe(10);
    expect(mc("1,250.00")).toBeUndefined();
    expect(mc("-5")).toBeUndefined();
  });

  it("reads the query from the URL when the route did not split it", () => {
    expect(ipayProvider.parseNotification({ ...request(query), query: {} })?.lookup).toEqual({ reference: "1625230215" });
  });

  it("uses qwh when there is no transaction code, so two attempts do not collide", () => {
    const a = ipayProvider.parseNotification(request("status=bdi6p2yy76etrs&id=X1&qwh=111&txncd="));
    const b = ipayProvider.parseNotification(request("status=bdi6p2yy76etrs&id=X1&qwh=222&txncd="));
    expect(a?.dedupeKey).not.toBe(b?.dedupeKey);
  });

  it("answers a bare GET as a ping and refuses half a callback", () => {
    expect(ipayProvider.parseNotification(request(""))).toBeNull();
    expect(() => ipayProvider.parseNotification(request("status=aei7p7yrx4ae34"))).toThrow();
  });

  it("never calls a callback authentic, and acknowledges with 200", () => {
    const ctx = { mode: "sandbox" as const, credentials: { vendorId: "autre", securityKey: "k" }, urls: {}, timeoutMs: 1000 };
    const payment = { reference: "1625230215", amountMinor: 500, currency: "KES", stored: {} };
    expect(ipayProvider.verifyNotification(request(query), payment, ctx)).toBe("unverifiable");
    expect(ipayProvider.acknowledge?.("processed")).toMatchObject({ status: 200 });
    expect(ipayProvider.acknowledge?.("duplicate")).toMatchObject({ status: 200 });
  });

  it("checks stored credentials: lower-case vendor id and a key", () => {
    expect(ipayProvider.credentialsSchema.safeParse({ vendorId: "autre", securityKey: "x" }).success).toBe(true);
    expect(ipayProvider.credentialsSchema.safeParse({ vendorId: "Autre", securityKey: "x" }).success).toBe(false);
    expect(ipayProvider.credentialsSchema.safeParse({ vendorId: "autre", securityKey: "" }).success).toBe(false);
    expect(ipayProvider.publicId({ vendorId: "autre", securityKey: "x" })).toBe("autre");
  });
});
