import { describe, expect, it } from "vitest";
import { ProviderError, type InitializeInput } from "@/lib/payments/types";
import { orangeMoneyProvider } from ".";
import { buildWebPaymentRequest } from "./request";
import { credentialsSchema, statusResponseSchema, tokenResponseSchema, webPaymentRequestSchema, webPaymentResponseSchema } from "./schemas";

const credentials = credentialsSchema.parse({ clientId: "c", clientSecret: "s", merchantKey: "a86b2087" });

const input: InitializeInput = {
  reference: "CS251122ABCDEFGHJK",
  amountMinor: 1200,
  currency: "XOF",
  description: "Commande",
  method: "orange_money",
  customer: { name: "Awa", country: "CI" },
  locale: "fr",
  merchantName: "Boutique Démo d'Abidjan — Plateau Centre",
  urls: { notify: "https://shop.example/api/webhooks/orange-money/demo?ref=CS251122ABCDEFGHJK", return: "https://shop.example/r", cancel: "https://shop.example/c" },
};

describe("Orange Money wire formats: PROVIDERS.md §2 worked examples", () => {
  it("reads the token answer, whose expires_in is a string", () => {
    expect(tokenResponseSchema.parse({ token_type: "Bearer", access_token: "abc", expires_in: "7776000" })).toEqual({ token_type: "Bearer", access_token: "abc", expires_in: 7_776_000 });
  });

  it("the §2.3 request example is exactly what the strict request schema accepts", () => {
    const example = {
      merchant_key: "a86b2087",
      currency: "OUV",
      order_id: "MY_ORDER_ID_08082105_0023457",
      amount: 1200,
      return_url: "https://shop.example/return",
      cancel_url: "https://shop.example/cancel",
      notif_url: "https://shop.example/notif",
      lang: "fr",
      reference: "ref Merchant",
    };
    expect(webPaymentRequestSchema.parse(example)).toEqual(example);
    expect(webPaymentRequestSchema.safeParse({ ...example, extra: 1 }).success).toBe(false);
  });

  it("reads the §2.3 response and the §2.4 status example", () => {
    const created = webPaymentResponseSchema.parse({
      status: 201,
      message: "OK",
      pay_token: "f5720dd906203c62033ffe64ed75614785878b0ab2231d9c582b2908fca0ab9a",
      payment_url: "https://webpayment-qualif.orange-money.com/payment/pay_token/f5720dd906203c62033ffe64ed75614785878b0ab2231d9c582b2908fca0ab9a",
      notif_token: "dd497bda3b250e536186fc0663f32f40",
    });
    expect(created.notif_token).toBe("dd497bda3b250e536186fc0663f32f40");
    expect(statusResponseSchema.parse({ status: "SUCCESS", order_id: "MY_ORDER_ID_08082105_0023457", txnid: "MP150709.1341.A00073" })).toEqual({
      status: "SUCCESS",
      order_id: "MY_ORDER_ID_08082105_0023457",
      txnid: "MP150709.1341.A00073",
    });
  });
});

describe("Orange Money request building and amount rules", () => {
  it("defaults the environment to dev and refuses an unknown one", () => {
    expect(credentials.environment).toBe("dev");
    expect(credentialsSchema.safeParse({ clientId: "c", clientSecret: "s", merchantKey: "k", environment: "ci" }).success).toBe(true);
    expect(credentialsSchema.safeParse({ clientId: "c", clientSecret: "s", merchantKey: "k", environment: "prod" }).success).toBe(false);
    expect(orangeMoneyProvider.publicId(credentials)).toBe("a86b2087");
  });

  it("sends OUV on dev, the payment currency on a country, whole units, and the merchant name cut to 30", () => {
    const dev = buildWebPaymentRequest(input, credentials);
    expect(dev).toEqual({
      merchant_key: "a86b2087",
      currency: "OUV",
      order_id: "CS251122ABCDEFGHJK",
      amount: 1200,
      return_url: "https://shop.example/r",
      cancel_url: "https://shop.example/c",
      notif_url: input.urls.notify,
      lang: "fr",
      reference: "Boutique Démo d'Abidjan — Plat",
    });
    expect(Array.from(dev.reference)).toHaveLength(30);
    expect(buildWebPaymentRequest(input, { ...credentials, environment: "ci" }).currency).toBe("XOF");
    expect(buildWebPaymentRequest({ ...input, currency: "KES", amountMinor: 125_000 }, credentials).amount).toBe(1250);
  });

  it("refuses an order_id over 30 and URLs over 120 characters before any call", () => {
    const refused = (override: Partial<InitializeInput>) => {
      try {
        buildWebPaymentRequest({ ...input, ...override }, credentials);
        return null;
      } catch (error) {
        return error instanceof ProviderError ? [error.code, error.retryable, Boolean(error.details.userMessage?.fr)] : error;
      }
    };
    expect(refused({ reference: "C".repeat(31) })).toEqual(["reference_too_long", false, true]);
    const long = `https://shop.example/${"x".repeat(100)}`;
    expect(long.length).toBe(121);
    for (const urls of [{ ...input.urls, notify: long }, { ...input.urls, return: long }, { ...input.urls, cancel: long }]) {
      expect(refused({ urls })).toEqual(["url_too_long", false, true]);
    }
    expect(refused({ urls: { ...input.urls, notify: long.slice(0, 120) } })).toBeNull();
  });

  it("checkAmount: positive integers in whole currency units only", () => {
    const check = orangeMoneyProvider.checkAmount;
    expect(check(1200, "XOF")).toEqual({ ok: true });
    expect(check(1, "XOF")).toEqual({ ok: true });
    expect(check(125_000, "KES")).toEqual({ ok: true });
    expect(check(125_050, "KES")).toMatchObject({ ok: false, code: "amount_not_whole" });
    for (const bad of [0, -100, 12.5, Number.NaN]) expect(check(bad, "XOF")).toMatchObject({ ok: false, code: "amount_invalid" });
  });

  it("has no refund API and a 10-minute window", () => {
    expect(orangeMoneyProvider.refund).toBeUndefined();
    expect(orangeMoneyProvider.capabilities).toMatchObject({ refunds: "none", windowMinutes: 10, methods: ["orange_money"] });
  });
});
