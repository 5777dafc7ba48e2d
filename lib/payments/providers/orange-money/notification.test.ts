import { describe, expect, it } from "vitest";
import type { InboundRequest, PaymentHandle } from "@/lib/payments/types";
import { orangeMoneyProvider } from ".";
import { credentialsSchema } from "./schemas";

const ctx = { mode: "sandbox" as const, credentials: credentialsSchema.parse({ clientId: "c", clientSecret: "s", merchantKey: "a86b2087" }), urls: { api: "http://x" }, timeoutMs: 1000 };

// PROVIDERS.md §2.5 worked example.
const EXAMPLE = { status: "SUCCESS", notif_token: "dd497bda3b250e536186fc0663f32f40", txnid: "MP150709.1341.A00073" };

function inbound(body: unknown, query: Record<string, string> = { ref: "CS251122ABCDEFGHJK" }): InboundRequest {
  return { method: "POST", url: "https://shop.example/api/webhooks/orange-money/demo", headers: { "content-type": "application/json" }, query, body: typeof body === "string" ? body : JSON.stringify(body) };
}

const payment: PaymentHandle = {
  reference: "CS251122ABCDEFGHJK",
  amountMinor: 1200,
  currency: "XOF",
  providerToken: "f5720dd9",
  stored: {},
  storedSecret: { notifToken: "dd497bda3b250e536186fc0663f32f40" },
};

describe("Orange Money notifications (PROVIDERS.md §2.5)", () => {
  it("finds the payment by our reference in ?ref=, deduplicates on txnid + status", () => {
    expect(orangeMoneyProvider.parseNotification(inbound(EXAMPLE))).toEqual({
      lookup: { reference: "CS251122ABCDEFGHJK" },
      dedupeKey: "MP150709.1341.A00073:SUCCESS",
      claimedStatus: "SUCCESS",
    });
    const failed = orangeMoneyProvider.parseNotification(inbound({ ...EXAMPLE, status: "FAILED" }));
    expect(failed?.dedupeKey).toBe("MP150709.1341.A00073:FAILED");
  });

  it("without ?ref= falls back on the txnid, never on the secret notif_token", () => {
    expect(orangeMoneyProvider.parseNotification(inbound(EXAMPLE, {}))?.lookup).toEqual({ providerReference: "MP150709.1341.A00073" });
    expect(() => orangeMoneyProvider.parseNotification(inbound({ status: "SUCCESS", notif_token: "x" }, {}))).toThrow(/no way to find/);
  });

  it("tolerates the seed's variant with an amount as a string, and ignores that amount", () => {
    const parsed = orangeMoneyProvider.parseNotification(inbound({ ...EXAMPLE, amount: "1200" }));
    expect(parsed?.claimedStatus).toBe("SUCCESS");
    expect(parsed?.claimedAmountMinor).toBeUndefined();
  });

  it("returns null for a bodiless ping, and throws on a body that is not an OM notification", () => {
    expect(orangeMoneyProvider.parseNotification({ ...inbound(""), method: "GET" })).toBeNull();
    for (const body of ["not json", "[]", JSON.stringify({ status: "SUCCESS" }), "status=SUCCESS&notif_token=x"]) {
      expect(() => orangeMoneyProvider.parseNotification(inbound(body))).toThrow(/not an Orange Money notification/);
    }
  });

  it("authentic only with the stored notif_token; forged otherwise; unverifiable without a stored one", () => {
    expect(orangeMoneyProvider.verifyNotification(inbound(EXAMPLE), payment, ctx)).toBe("authentic");
    expect(orangeMoneyProvider.verifyNotification(inbound({ ...EXAMPLE, notif_token: "dd497bda3b250e536186fc0663f32f41" }), payment, ctx)).toBe("forged");
    expect(orangeMoneyProvider.verifyNotification(inbound({ ...EXAMPLE, notif_token: "dd497bda" }), payment, ctx)).toBe("forged");
    expect(orangeMoneyProvider.verifyNotification(inbound({ status: "SUCCESS", txnid: "x" }), payment, ctx)).toBe("forged");
    expect(orangeMoneyProvider.verifyNotification(inbound(EXAMPLE), { ...payment, storedSecret: null }, ctx)).toBe("unverifiable");
  });

  it("acknowledges with 200, and a forgery with 403", () => {
    const ack = orangeMoneyProvider.acknowledge!;
    expect(ack("processed").status).toBe(200);
    expect(ack("duplicate").status).toBe(200);
    expect(ack("authentic").status).toBe(200);
    expect(ack("forged").status).toBe(403);
  });
});
