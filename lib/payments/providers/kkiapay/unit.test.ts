import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ProviderError, type InboundRequest, type PaymentHandle, type ProviderContext } from "@/lib/payments/types";
import { kkiapayProvider } from "./index";
import type { KkiapayCredentials } from "./schemas";
import { canonicalStatus } from "./status";

const credentials: KkiapayCredentials = { publicKey: "pk_test", privateKey: "tpk_test", secretKey: "hash-secret-123" };

/** Any network use in these tests is a bug: the fetch throws. */
function offlineCtx(calls: string[] = []): ProviderContext<KkiapayCredentials> {
  return {
    mode: "sandbox",
    credentials,
    urls: { api: "http://sandbox.invalid/sandbox/kkiapay", script: "http://sandbox.invalid/sandbox/kkiapay/k.js" },
    timeoutMs: 1000,
    fetch: async (input) => {
      calls.push(String(input));
      throw new Error("no network in unit tests");
    },
  };
}

const payment: PaymentHandle = { reference: "CS251122ABCDEFGHJK", amountMinor: 5000, currency: "XOF", providerReference: "LVFNrK1nx", stored: {} };

// The §3.3 success body as KKiaPay sends it (isPaymentSucces is KKiaPay's spelling).
const successBody = JSON.stringify({
  transactionId: "LVFNrK1nx",
  isPaymentSucces: true,
  event: "transaction.success",
  account: "+22967434270",
  label: "Pagne wax",
  method: "MOBILE_MONEY",
  amount: 5000,
  fees: 95,
  partnerId: "",
  performedAt: "2026-11-22T10:30:45.000Z",
  stateData: "CS251122ABCDEFGHJK",
});

function inbound(body: string, headers: Record<string, string> = {}): InboundRequest {
  return { method: "POST", url: "https://caisse.example/api/webhooks/kkiapay/demo", headers, query: {}, body };
}

describe("KKiaPay status table (§3.2)", () => {
  it.each([
    ["SUCCESS", "paid"],
    ["PENDING", "pending"],
    ["FAILED", "failed"],
    ["REVERTED", "refunded"],
    ["TRANSACTION_NOT_FOUND", "pending"],
    ["success", "paid"],
    ["COMPLETE", "pending"],
    ["SOMETHING_NEW", "pending"],
  ])("%s → %s", (provider, canonical) => {
    expect(canonicalStatus(provider)).toBe(canonical);
  });
});

describe("KKiaPay amount rules", () => {
  it("takes positive whole CFA francs only", () => {
    expect(kkiapayProvider.checkAmount(1, "XOF")).toEqual({ ok: true });
    expect(kkiapayProvider.checkAmount(150_000, "XOF")).toEqual({ ok: true });
    expect(kkiapayProvider.checkAmount(0, "XOF")).toMatchObject({ ok: false, code: "amount_invalid" });
    expect(kkiapayProvider.checkAmount(-5, "XOF")).toMatchObject({ ok: false, code: "amount_invalid" });
    expect(kkiapayProvider.checkAmount(10.5, "XOF")).toMatchObject({ ok: false, code: "amount_invalid" });
    expect(kkiapayProvider.checkAmount(5000, "KES")).toMatchObject({ ok: false, code: "currency_not_supported", message: { fr: expect.stringContaining("XOF"), en: expect.stringContaining("XOF") } });
  });
});

describe("KKiaPay initialize", () => {
  it("returns the widget config without calling KKiaPay", async () => {
    const calls: string[] = [];
    const result = await kkiapayProvider.initialize(
      {
        reference: "CS251122ABCDEFGHJK",
        amountMinor: 15000,
        currency: "XOF",
        description: "Commande 251122-ABC123",
        method: "mtn",
        customer: { name: "Aminata Traoré", email: "aminata@example.ci", phone: "+2250707070707", country: "CI" },
        locale: "fr",
        merchantName: "Boutique Démo",
        urls: { notify: "https://caisse.example/api/webhooks/kkiapay/demo", return: "https://caisse.example/pay/return", cancel: "https://caisse.example/pay/cancel" },
      },
      offlineCtx(calls),
    );
    expect(calls).toEqual([]);
    expect(result.status).toBe("pending");
    expect(result.action).toEqual({
      type: "widget",
      scriptUrl: "http://sandbox.invalid/sandbox/kkiapay/k.js",
      config: {
        amount: 15000,
        key: "pk_test",
        sandbox: true,
        data: "CS251122ABCDEFGHJK",
        callback: "https://caisse.example/pay/return",
        name: "Aminata Traoré",
        email: "aminata@example.ci",
        phone: "0707070707",
        reason: "Commande 251122-ABC123",
        theme: expect.stringMatching(/^#[0-9a-f]{6}$/i),
        position: "center",
        // The operator chosen at our checkout: the widget offers it alone.
        paymentMethods: ["momo"],
        providers: { accept: ["mtn"] },
        countries: ["CI"],
      },
    });
    expect(JSON.stringify(result.trace)).not.toContain("0707070707");
  });

  it("says live when the account is live", async () => {
    const result = await kkiapayProvider.initialize(
      {
        reference: "CS1",
        amountMinor: 100,
        currency: "XOF",
        description: "x",
        method: "card",
        customer: { name: "A", country: "CI" },
        locale: "en",
        merchantName: "M",
        urls: { notify: "https://a/n", return: "https://a/r", cancel: "https://a/c" },
      },
      { ...offlineCtx(), mode: "live" },
    );
    expect(result.action).toMatchObject({ type: "widget", config: { sandbox: false } });
    expect(result.action.type === "widget" && "phone" in result.action.config).toBe(false);
  });
});

describe("KKiaPay getStatus and refund guards", () => {
  it("stays pending without a call while no transaction id is known", async () => {
    const calls: string[] = [];
    const status = await kkiapayProvider.getStatus({ ...payment, providerReference: null }, offlineCtx(calls));
    expect(status).toMatchObject({ status: "pending", providerStatus: "NO_TRANSACTION_ID" });
    expect(calls).toEqual([]);
  });

  it("refuses partial refunds before any call", async () => {
    const calls: string[] = [];
    const error = await kkiapayProvider.refund!({ payment, amountMinor: 1000 }, offlineCtx(calls)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: "partial_refund_unsupported", retryable: false });
    expect(calls).toEqual([]);
  });
});

describe("KKiaPay notifications", () => {
  it("parses the webhook without trusting it", () => {
    expect(kkiapayProvider.parseNotification(inbound(successBody))).toEqual({
      lookup: { providerReference: "LVFNrK1nx", reference: "CS251122ABCDEFGHJK" },
      evidence: { providerReference: "LVFNrK1nx" },
      dedupeKey: "LVFNrK1nx:transaction.success",
      claimedStatus: "transaction.success",
      claimedAmountMinor: 5000,
    });
  });

  it("accepts the seed's variant (object stateData, no event) and rejects garbage", () => {
    const seed = JSON.stringify({ transactionId: "txn_def456789012", isPaymentSucces: false, method: "MOBILE_MONEY", amount: "5000", failureCode: "insufficient_fund", stateData: { orderId: "12345" } });
    expect(kkiapayProvider.parseNotification(inbound(seed))).toEqual({
      lookup: { providerReference: "txn_def456789012" },
      evidence: { providerReference: "txn_def456789012" },
      dedupeKey: "txn_def456789012:transaction.failed",
      claimedStatus: "transaction.failed",
      claimedAmountMinor: 5000,
    });
    expect(kkiapayProvider.parseNotification(inbound("not json"))).toBeNull();
    expect(kkiapayProvider.parseNotification(inbound(JSON.stringify({ amount: 5 })))).toBeNull();
  });

  it("authenticates x-kkiapay-secret: the secret as is, or an HMAC-SHA256 of the body", () => {
    const ctx = offlineCtx();
    const verify = (headers: Record<string, string>, body = successBody) => kkiapayProvider.verifyNotification(inbound(body, headers), payment, ctx);
    const hex = createHmac("sha256", credentials.secretKey).update(successBody).digest("hex");
    const b64 = createHmac("sha256", credentials.secretKey).update(successBody).digest("base64");
    expect(verify({ "x-kkiapay-secret": "hash-secret-123" })).toBe("authentic");
    expect(verify({ "X-Kkiapay-Secret": "hash-secret-123" })).toBe("authentic");
    expect(verify({ "x-kkiapay-secret": hex })).toBe("authentic");
    expect(verify({ "x-kkiapay-secret": b64 })).toBe("authentic");
    expect(verify({ "x-kkiapay-secret": "hash-secret-124" })).toBe("forged");
    expect(verify({ "x-kkiapay-secret": hex }, successBody.replace("5000", "50"))).toBe("forged");
    expect(verify({ "x-kkiapay-secret": "" })).toBe("forged");
    expect(verify({})).toBe("forged");
  });

  it("acknowledges with a 2xx unless forged", () => {
    expect(kkiapayProvider.acknowledge!("authentic").status).toBe(200);
    expect(kkiapayProvider.acknowledge!("duplicate").status).toBe(200);
    expect(kkiapayProvider.acknowledge!("processed").status).toBe(200);
    expect(kkiapayProvider.acknowledge!("forged").status).toBe(401);
  });

  it("publishes the public key and validates credentials", () => {
    expect(kkiapayProvider.publicId(credentials)).toBe("pk_test");
    expect(kkiapayProvider.credentialsSchema.safeParse({ publicKey: "a", privateKey: "b" }).success).toBe(false);
    expect(kkiapayProvider.capabilities).toMatchObject({ currencies: ["XOF"], refunds: "full" });
  });
});
