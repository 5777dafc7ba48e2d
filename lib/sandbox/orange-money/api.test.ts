import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { seedDemo } from "@/db/seed";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { startSandbox } from "@/lib/testing/sandbox-host";
import { orangeMoneySandbox } from ".";
import { basicAuth, createWebPayment, fetchToken, postJson, seededAccount, transactionStatus, webPaymentBody } from "./testing";

const demo = seededAccount("demo");
const autre = seededAccount("autre");
const DAY_MS = 86_400_000;

describe.each(TEST_DATABASES)("Orange Money simulator API on $name", ({ open }) => {
  let database: Database;
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let base: string;
  let token: string;

  beforeAll(async () => {
    database = await open();
    await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY, orders: 0 });
    sandbox = await startSandbox(database, { providers: [orangeMoneySandbox] });
    base = sandbox.sandboxUrl("orange-money");
    token = await fetchToken(base, demo);
  });
  afterAll(async () => {
    await sandbox.close();
    await database.close();
  });

  const webpayment = (env = "dev") => `${base}/orange-money-webpay/${env}/v1/webpayment`;
  const notifUrl = "http://shop.test/api/webhooks/orange-money/demo?ref=X";

  describe("POST /oauth/v3/token", () => {
    const tokenCall = (headers: Record<string, string>, body = "grant_type=client_credentials") =>
      fetch(`${base}/oauth/v3/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json", ...headers }, body });

    it("answers a Bearer token whose expires_in is the string 7776000", async () => {
      const res = await tokenCall({ authorization: basicAuth(demo.clientId, demo.clientSecret) });
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body).toEqual({ token_type: "Bearer", access_token: expect.any(String), expires_in: "7776000" });
      expect(body.access_token.length).toBeGreaterThan(20);
    });

    it("answers 401 code 41 to a wrong secret, another merchant's secret or a malformed header", async () => {
      for (const authorization of [basicAuth(demo.clientId, "nope"), basicAuth(demo.clientId, autre.clientSecret), "Basic bm9jb2xvbg=="]) {
        const res = await tokenCall({ authorization });
        expect(res.status).toBe(401);
        expect(await res.json()).toMatchObject({ code: 41, message: "Invalid credentials" });
      }
    });

    it("answers 401 code 40 without credentials", async () => {
      const res = await tokenCall({});
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ code: 40, message: "Missing credentials" });
    });

    it("requires grant_type=client_credentials", async () => {
      const auth = { authorization: basicAuth(demo.clientId, demo.clientSecret) };
      expect(await (await tokenCall(auth, "")).json()).toMatchObject({ code: 23 });
      const wrong = await tokenCall(auth, "grant_type=password");
      expect(wrong.status).toBe(400);
      expect(await wrong.json()).toMatchObject({ code: 24 });
    });
  });

  describe("POST /orange-money-webpay/{env}/v1/webpayment", () => {
    it("creates a payment: HTTP 201 with pay_token, payment_url and notif_token", async () => {
      const body = webPaymentBody(demo, notifUrl);
      const res = await postJson(webpayment(), token, body);
      expect(res.status).toBe(201);
      const created = await res.json();
      expect(created).toEqual({ status: 201, message: "OK", pay_token: expect.stringMatching(/^[0-9a-f]{64}$/), payment_url: expect.any(String), notif_token: expect.stringMatching(/^[0-9a-f]{32}$/) });
      expect(created.payment_url).toBe(`${base}/payment/pay_token/${created.pay_token}`);
      const status = await transactionStatus(base, token, { order_id: body.order_id, amount: 1200, pay_token: created.pay_token });
      expect(status).toEqual({ status: 201, json: { status: "INITIATED", order_id: body.order_id } });
    });

    it("refuses a missing, invalid or expired token with 401 codes 40, 41 and 42", async () => {
      const body = webPaymentBody(demo, notifUrl);
      const missing = await postJson(webpayment(), null, body);
      expect([missing.status, (await missing.json()).code]).toEqual([401, 40]);
      const forged = await postJson(webpayment(), `${token.slice(0, -4)}AAAA`, body);
      expect([forged.status, (await forged.json()).code]).toEqual([401, 41]);
      sandbox.clock.offsetMs = 91 * DAY_MS;
      try {
        const expired = await postJson(webpayment(), token, body);
        expect([expired.status, await expired.json()]).toEqual([401, expect.objectContaining({ code: 42, message: "Expired credentials" })]);
      } finally {
        sandbox.clock.offsetMs = 0;
      }
    });

    it("refuses another merchant's merchant_key with 403 code 50", async () => {
      const res = await postJson(webpayment(), token, webPaymentBody(demo, notifUrl, { merchant_key: autre.merchantKey }));
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ code: 50, message: "Access denied" });
    });

    it("takes only OUV on dev, and only the country's currency on a country path", async () => {
      const xofOnDev = await postJson(webpayment(), token, webPaymentBody(demo, notifUrl, { currency: "XOF" }));
      expect([xofOnDev.status, (await xofOnDev.json()).code]).toEqual([400, 24]);
      const ouvOnCi = await postJson(webpayment("ci"), token, webPaymentBody(demo, notifUrl));
      expect([ouvOnCi.status, (await ouvOnCi.json()).code]).toEqual([400, 24]);
      const xofOnCi = await createWebPayment(base, token, webPaymentBody(demo, notifUrl, { currency: "XOF" }), "ci");
      expect(xofOnCi.status).toBe(201);
      const unknown = await postJson(webpayment("zz"), token, webPaymentBody(demo, notifUrl));
      expect([unknown.status, (await unknown.json()).code]).toEqual([404, 60]);
    });

    it("enforces the 30-character order_id and reference and the 120-character URLs", async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ order_id: "A".repeat(31) }, "OrderId"],
        [{ reference: "R".repeat(31) }, "Reference"],
        [{ return_url: `http://shop.test/${"r".repeat(110)}` }, "ReturnUrl"],
        [{ cancel_url: `http://shop.test/${"c".repeat(110)}` }, "CancelUrl"],
        [{ notif_url: `http://shop.test/${"n".repeat(110)}` }, "NotifUrl"],
      ];
      for (const [override, field] of cases) {
        const res = await postJson(webpayment(), token, webPaymentBody(demo, notifUrl, override));
        expect(res.status).toBe(400);
        expect(await res.json()).toEqual({ code: 24, message: "Invalid body field", description: `Key: 'WebPaymentInfo.${field}' Error:Field validation for '${field}' failed on the 'max' tag` });
      }
      const exactly = await createWebPayment(base, token, webPaymentBody(demo, `http://shop.test/${"n".repeat(120 - 17)}`, { order_id: `O${Date.now()}`.padEnd(30, "9"), reference: "R".repeat(30) }));
      expect(exactly.status).toBe(201);
    });

    it("rejects a reused order_id", async () => {
      const body = webPaymentBody(demo, notifUrl);
      await createWebPayment(base, token, body);
      const again = await postJson(webpayment(), token, body);
      expect(again.status).toBe(403);
      expect((await again.json()).description).toMatch(/unique/);
    });

    it("validates the body like Orange's Go backend", async () => {
      const withoutAmount = webPaymentBody(demo, notifUrl);
      delete withoutAmount.amount;
      const missing = await postJson(webpayment(), token, withoutAmount);
      expect([missing.status, await missing.json()]).toEqual([
        400,
        { code: 23, message: "Missing body field", description: "Key: 'WebPaymentInfo.Amount' Error:Field validation for 'Amount' failed on the 'required' tag" },
      ]);
      const decimal = await postJson(webpayment(), token, webPaymentBody(demo, notifUrl, { amount: 12.5 }));
      expect([decimal.status, (await decimal.json()).code]).toEqual([400, 22]);
      const asString = await postJson(webpayment(), token, webPaymentBody(demo, notifUrl, { amount: "1200" }));
      expect(await asString.json()).toMatchObject({ code: 22, description: "json: cannot unmarshal string into Go struct field WebPaymentInfo.amount of type int" });
      const negative = await postJson(webpayment(), token, webPaymentBody(demo, notifUrl, { amount: -5 }));
      expect([negative.status, (await negative.json()).code]).toEqual([400, 24]);
      const notJson = await postJson(webpayment(), token, "{oops");
      expect([notJson.status, (await notJson.json()).code]).toEqual([400, 22]);
    });
  });

  describe("POST /orange-money-webpay/{env}/v1/transactionstatus", () => {
    it("needs order_id, amount and pay_token, answering Go-style 400 code 23", async () => {
      const missing = await transactionStatus(base, token, { amount: 1200, pay_token: "x" });
      expect(missing).toEqual({
        status: 400,
        json: { code: 23, message: "Missing body field", description: "Key: 'GetTransactionStatusInfo.OrderId' Error:Field validation for 'OrderId' failed on the 'required' tag" },
      });
      const noToken = await transactionStatus(base, token, { order_id: "A", amount: 1200 });
      expect(noToken.json.description).toContain("'GetTransactionStatusInfo.PayToken'");
    });

    it("finds a transaction only by all three fields, and only for its own account", async () => {
      const body = webPaymentBody(demo, notifUrl);
      const created = await createWebPayment(base, token, body);
      const wrongAmount = await transactionStatus(base, token, { order_id: body.order_id, amount: 1201, pay_token: created.pay_token });
      expect([wrongAmount.status, wrongAmount.json.code]).toEqual([404, 60]);
      const wrongToken = await transactionStatus(base, token, { order_id: body.order_id, amount: 1200, pay_token: "f".repeat(64) });
      expect(wrongToken.status).toBe(404);
      const autreToken = await fetchToken(base, autre);
      const otherAccount = await transactionStatus(base, autreToken, { order_id: body.order_id, amount: 1200, pay_token: created.pay_token });
      expect(otherAccount.status).toBe(404);
      const wrongEnv = await transactionStatus(base, token, { order_id: body.order_id, amount: 1200, pay_token: created.pay_token }, "ci");
      expect(wrongEnv.status).toBe(404);
    });

    it("keeps an abandoned transaction INITIATED after its 10 minutes", async () => {
      const body = webPaymentBody(demo, notifUrl);
      const created = await createWebPayment(base, token, body);
      sandbox.clock.offsetMs = 11 * 60_000;
      try {
        const later = await transactionStatus(base, token, { order_id: body.order_id, amount: 1200, pay_token: created.pay_token });
        expect(later).toEqual({ status: 201, json: { status: "INITIATED", order_id: body.order_id } });
      } finally {
        sandbox.clock.offsetMs = 0;
      }
    });
  });

  it("serves nothing else under /sandbox/orange-money", async () => {
    expect((await fetch(`${base}/v2/payment`, { method: "POST" })).status).toBe(404);
    expect((await fetch(`${base}/payment/pay_token/abc/refund`)).status).toBe(404);
  });
});
