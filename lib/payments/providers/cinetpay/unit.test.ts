import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { InboundRequest, InitializeInput, PaymentHandle } from "@/lib/payments/types";
import { ProviderError } from "@/lib/payments/types";
import { fromWireAmount, toWireAmount } from "./amount";
import { cinetpayProvider } from "./index";
import { methodFromWire } from "./methods";
import { buildInitRequest } from "./request";
import { NOTIFICATION_FIELDS, xToken } from "./signature";
import { mapCinetpayStatus } from "./status";

const CREDS = { apiKey: "sbx_cp_demo_apikey_6f1c2a9e", siteId: "445160", secretKey: "SK_TEST_1234567890" };

// PROVIDERS.md §1.5 worked example.
const GOLDEN: [string, string][] = [
  ["cpm_site_id", "445160"],
  ["cpm_trans_id", "ORDER20250224A1"],
  ["cpm_trans_date", "2025-02-24 14:30:22"],
  ["cpm_amount", "5000"],
  ["cpm_currency", "XOF"],
  ["signature", "a1b2c3d4e5"],
  ["payment_method", "OM"],
  ["cel_phone_num", "0707070707"],
  ["cpm_phone_prefixe", "225"],
  ["cpm_language", "fr"],
  ["cpm_version", "V4"],
  ["cpm_payment_config", "Single"],
  ["cpm_page_action", "PAYMENT"],
  ["cpm_custom", '{"orderId":"ORD-1"}'],
  ["cpm_designation", "Abonnement mensuel"],
  ["cpm_error_message", "SUCCES"],
];
const GOLDEN_TOKEN = "5da33983e57addd86c34daaf403c04e371efbb486de03336ed59f8477e7b75a7";

function hmac(secret: string, data: string) {
  return createHmac("sha256", secret).update(data).digest("hex");
}

function delivery(fields: [string, string][], token: string | null): InboundRequest {
  return {
    method: "POST",
    url: "https://caisse.test/api/webhooks/cinetpay/demo",
    headers: { "content-type": "application/x-www-form-urlencoded", ...(token === null ? {} : { "X-Token": token }) },
    query: {},
    body: new URLSearchParams(fields).toString(),
  };
}

const PAYMENT: PaymentHandle = { reference: "ORDER20250224A1", amountMinor: 5000, currency: "XOF", stored: {} };
const CTX = { mode: "sandbox" as const, credentials: CREDS, urls: { api: "http://127.0.0.1:9" }, timeoutMs: 1000 };

describe("CinetPay x-token", () => {
  it("reproduces the worked example of PROVIDERS.md", () => {
    expect(hmac(CREDS.secretKey, GOLDEN.map(([, v]) => v).join(""))).toBe(GOLDEN_TOKEN);
    expect(xToken(CREDS.secretKey, Object.fromEntries(GOLDEN))).toBe(GOLDEN_TOKEN);
    expect([...NOTIFICATION_FIELDS]).toEqual(GOLDEN.map(([k]) => k));
  });

  it("signs by field name, counts a missing field as empty", () => {
    const shuffled = Object.fromEntries([...GOLDEN].reverse());
    expect(xToken(CREDS.secretKey, shuffled)).toBe(GOLDEN_TOKEN);
    const withoutCustom = GOLDEN.filter(([k]) => k !== "cpm_custom");
    expect(xToken(CREDS.secretKey, Object.fromEntries(withoutCustom))).toBe(hmac(CREDS.secretKey, withoutCustom.map(([, v]) => v).join("")));
  });
});

describe("CinetPay notifications", () => {
  it("ignores the bodiless GET ping", () => {
    expect(cinetpayProvider.parseNotification({ method: "GET", url: "https://caisse.test/x", headers: {}, query: {}, body: "" })).toBeNull();
    expect(cinetpayProvider.parseNotification({ ...delivery([["foo", "bar"]], null) })).toBeNull();
  });

  it("parses without trusting: lookup by cpm_trans_id, claimed status and amount, a dedupe key per status change", () => {
    const parsed = cinetpayProvider.parseNotification(delivery(GOLDEN, GOLDEN_TOKEN));
    expect(parsed).toMatchObject({ lookup: { reference: "ORDER20250224A1" }, claimedStatus: "SUCCES", claimedAmountMinor: 5000 });
    expect(cinetpayProvider.parseNotification(delivery(GOLDEN, GOLDEN_TOKEN))!.dedupeKey).toBe(parsed!.dedupeKey);
    const waiting = GOLDEN.map(([k, v]): [string, string] => [k, k === "cpm_error_message" ? "WAITING_CUSTOMER_TO_VALIDATE" : v]);
    expect(cinetpayProvider.parseNotification(delivery(waiting, hmac(CREDS.secretKey, waiting.map(([, v]) => v).join(""))))!.dedupeKey).not.toBe(parsed!.dedupeKey);
  });

  it("is authentic only with the right x-token, site and payment", () => {
    expect(cinetpayProvider.verifyNotification(delivery(GOLDEN, GOLDEN_TOKEN), PAYMENT, CTX)).toBe("authentic");
    expect(cinetpayProvider.verifyNotification(delivery(GOLDEN, GOLDEN_TOKEN.toUpperCase()), PAYMENT, CTX)).toBe("authentic");
    const tampered = GOLDEN.map(([k, v]): [string, string] => [k, k === "cpm_amount" ? "50" : v]);
    expect(cinetpayProvider.verifyNotification(delivery(tampered, GOLDEN_TOKEN), PAYMENT, CTX)).toBe("forged");
    expect(cinetpayProvider.verifyNotification(delivery(GOLDEN, null), PAYMENT, CTX)).toBe("forged");
    expect(cinetpayProvider.verifyNotification(delivery(GOLDEN, hmac("another secret", GOLDEN.map(([, v]) => v).join(""))), PAYMENT, CTX)).toBe("forged");
    expect(cinetpayProvider.verifyNotification(delivery(GOLDEN, GOLDEN_TOKEN), { ...PAYMENT, reference: "OTHER" }, CTX)).toBe("forged");
    expect(cinetpayProvider.verifyNotification(delivery(GOLDEN, GOLDEN_TOKEN), PAYMENT, { ...CTX, credentials: { ...CREDS, siteId: "445161" } })).toBe("forged");
  });

  it("acknowledges genuine deliveries with 200 and refuses a bad x-token with 401", () => {
    for (const verdict of ["authentic", "unverifiable", "duplicate", "processed"] as const) {
      expect(cinetpayProvider.acknowledge!(verdict).status).toBe(200);
    }
    expect(cinetpayProvider.acknowledge!("forged").status).toBe(401);
  });
});

describe("CinetPay status mapping (PROVIDERS.md §1.8)", () => {
  it.each([
    ["ACCEPTED", "00", "paid"],
    ["WAITING_FOR_CUSTOMER", "623", "waiting_for_customer"],
    [undefined, "623", "waiting_for_customer"],
    [undefined, "662", "waiting_for_customer"],
    [undefined, "663", "waiting_for_customer"],
    [undefined, "664", "waiting_for_customer"],
    ["REFUSED", "627", "cancelled"],
    ["REFUSED", "600", "failed"],
    ["REFUSED", "602", "failed"],
    ["REFUSED", "604", "failed"],
    ["REFUSED", "641", "failed"],
    ["REFUSED", "804", "failed"],
    ["REFUSED", "660", "refunded"],
    ["PENDING", "662", "pending"],
    ["CREATED", "201", "pending"],
    ["VALIDATED", "00", "pending"],
    ["SOMETHING_NEW", "999", "pending"],
    [undefined, undefined, "pending"],
    ["accepted", "00", "paid"],
  ] as const)("%s / %s → %s", (status, code, expected) => {
    expect(mapCinetpayStatus(status, code)).toBe(expected);
  });

  it("names payment methods our way", () => {
    expect(["OM", "MOMO", "MTNCM", "FLOOZ", "WAVECI", "VISAM", "XYZ", null].map(methodFromWire)).toEqual(["orange_money", "mtn", "mtn", "moov", "wave", "card", "XYZ", undefined]);
  });
});

describe("CinetPay amounts", () => {
  it.each([
    [5000, "XOF", true],
    [100, "XOF", true],
    [100, "XAF", true],
    [95, "XOF", false],
    [5001, "XOF", false],
    [0, "XOF", false],
    [50, "GNF", true],
    [1003, "USD", true],
    [50000, "CDF", true],
    [50050, "CDF", false],
    [50, "CDF", false],
    [5000, "KES", false],
    [5000.5, "XOF", false],
  ])("%s %s → ok %s", (amount, currency, ok) => {
    expect(cinetpayProvider.checkAmount(amount, currency).ok).toBe(ok);
  });

  it("explains refusals in French and English", () => {
    const res = cinetpayProvider.checkAmount(5001, "XOF");
    expect(res).toMatchObject({ ok: false, code: "not_multiple_of_5", message: { fr: expect.stringContaining("multiple de 5"), en: expect.stringContaining("multiple of 5") } });
  });

  it("converts between our minor units and CinetPay's strings", () => {
    expect(toWireAmount(5000, "XOF")).toBe(5000);
    expect(toWireAmount(1050, "USD")).toBe(10.5);
    expect(fromWireAmount("100", "XOF")).toBe(100);
    expect(fromWireAmount("100.00", "XOF")).toBe(100);
    expect(fromWireAmount("10.5", "USD")).toBe(1050);
    expect(fromWireAmount(250, "CDF")).toBe(25000);
    expect(fromWireAmount("10.55", "XOF")).toBeNull();
    expect(fromWireAmount("abc", "XOF")).toBeNull();
  });
});

describe("CinetPay init request", () => {
  const input: InitializeInput = {
    reference: "CS251122ABCDEFGHJK",
    amountMinor: 5000,
    currency: "XOF",
    description: "Commande #42 / test_1 & co",
    method: "orange_money",
    customer: { name: "Awa Koné Traoré", email: "awa@example.com", phone: "+2250707070707", country: "ci" },
    locale: "fr",
    merchantName: "Boutique Demo",
    urls: { notify: "https://caisse.test/api/webhooks/cinetpay/demo", return: "https://caisse.test/return", cancel: "https://caisse.test/return" },
  };

  it("is the documented flat body for mobile money", () => {
    expect(buildInitRequest(input, CREDS)).toEqual({
      apikey: CREDS.apiKey,
      site_id: "445160",
      transaction_id: "CS251122ABCDEFGHJK",
      amount: 5000,
      currency: "XOF",
      description: "Commande 42 test 1 co",
      notify_url: input.urls.notify,
      return_url: input.urls.return,
      channels: "MOBILE_MONEY",
      lang: "fr",
      metadata: '{"reference":"CS251122ABCDEFGHJK"}',
      customer_name: "Koné Traoré",
      customer_surname: "Awa",
      customer_email: "awa@example.com",
      customer_phone_number: "0707070707",
      customer_country: "CI",
    });
  });

  const billing = { address: " Rue des Jardins, Cocody ", city: "Abidjan", state: "Lagunes", zip: "" };

  it("sends the billing address the shopper typed for CREDIT_CARD, and asks for ALL channels with Wave", () => {
    const card = buildInitRequest({ ...input, method: "card", customer: { ...input.customer, billing } }, CREDS);
    // No postcode is common in the region: the required field goes as zeros, never a made-up address.
    expect(card).toMatchObject({ channels: "CREDIT_CARD", customer_address: "Rue des Jardins, Cocody", customer_city: "Abidjan", customer_state: "Lagunes", customer_zip_code: "00000" });
    expect(buildInitRequest({ ...input, method: "card", customer: { ...input.customer, billing: { ...billing, zip: "01 BP 1234" } } }, CREDS).customer_zip_code).toBe("01 BP 1234");
    expect(buildInitRequest({ ...input, method: "orange_money", customer: { ...input.customer, billing } }, CREDS)).not.toHaveProperty("customer_address");
    expect(buildInitRequest({ ...input, method: "wave" }, CREDS).channels).toBe("ALL");
  });

  it("mobile money leaves the operator to CinetPay's page: every mobile channel, no card, the shopper's number", () => {
    const mobile = buildInitRequest({ ...input, method: "mobile_money" }, CREDS);
    expect(mobile).toMatchObject({ channels: "MOBILE_MONEY, WALLET", customer_phone_number: "0707070707" });
    expect(mobile).not.toHaveProperty("customer_address");
    expect(cinetpayProvider.requiredCustomerData?.("mobile_money")).toEqual([]);
  });

  it("refuses a card payment without the e-mail, phone or address it needs, before any call", () => {
    expect(() => buildInitRequest({ ...input, method: "card", customer: { ...input.customer, billing, email: null } }, CREDS)).toThrow(/customer_email/);
    expect(() => buildInitRequest({ ...input, method: "card", customer: { ...input.customer, billing: null } }, CREDS)).toThrow(/billing address/);
    expect(() => buildInitRequest({ ...input, method: "card", customer: { ...input.customer, billing: { ...billing, city: " " } } }, CREDS)).toThrow(/billing address/);
    expect(() => buildInitRequest({ ...input, method: "orange_money", customer: { ...input.customer, email: null } }, CREDS)).not.toThrow();
  });

  it("tells the checkout what the card channel needs from the shopper", () => {
    expect(cinetpayProvider.requiredCustomerData?.("card")).toEqual(["email", "billing"]);
    expect(cinetpayProvider.requiredCustomerData?.("mtn")).toEqual([]);
  });

  it("refuses a method CinetPay does not offer, before any call", () => {
    expect(() => buildInitRequest({ ...input, method: "mpesa" }, CREDS)).toThrow(ProviderError);
  });

  it("validates the stored credentials and exposes the site id", () => {
    expect(cinetpayProvider.credentialsSchema.safeParse(CREDS).success).toBe(true);
    expect(cinetpayProvider.credentialsSchema.safeParse({ ...CREDS, siteId: "abc" }).success).toBe(false);
    expect(cinetpayProvider.credentialsSchema.safeParse({ apiKey: "x", siteId: "1" }).success).toBe(false);
    expect(cinetpayProvider.publicId(CREDS)).toBe("445160");
  });
});
