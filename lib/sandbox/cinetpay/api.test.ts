import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { AUTRE, DEMO, check, createPayment, initBody, postJson, startCinetpay, submit } from "./test-support";

const NOTIFY = "http://127.0.0.1:9/unused"; // these tests never reach a final status

describe.each(TEST_DATABASES)("CinetPay simulator API on $name", ({ open }) => {
  let database: Database;
  let env: Awaited<ReturnType<typeof startCinetpay>>;
  beforeAll(async () => {
    database = await open();
    env = await startCinetpay(database);
  });
  afterAll(async () => {
    await env.sandbox.close();
    await database.close();
  });

  it("creates a payment: code 201 CREATED, a hex token and the hosted page URL", async () => {
    const body = initBody(NOTIFY);
    const res = await postJson(`${env.api}/v2/payment`, body);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ code: "201", message: "CREATED", description: expect.any(String), api_response_id: expect.stringMatching(/^\d+\.\d{4}$/) });
    const data = res.json!.data as { payment_token: string; payment_url: string };
    expect(data.payment_token).toMatch(/^[0-9a-f]{64}$/);
    expect(data.payment_url).toBe(`${env.api}/payment/${data.payment_token}`);
    const page = await fetch(data.payment_url);
    expect(page.status).toBe(200);
  });

  it("accepts site_id as a number, as the SDKs send it", async () => {
    const res = await postJson(`${env.api}/v2/payment`, initBody(NOTIFY, { site_id: Number(DEMO.siteId) }));
    expect(res.json?.code).toBe("201");
  });

  it.each([
    ["a bad apikey", { apikey: "nope" }, 401, "609", "AUTH_NOT_FOUND"],
    ["another merchant's apikey", { apikey: AUTRE.apiKey }, 401, "609", "AUTH_NOT_FOUND"],
    ["an unknown site_id", { site_id: "999999" }, 401, "613", "ERROR_SITE_ID_NOTVALID"],
    ["no apikey", { apikey: undefined }, 400, "608", "MINIMUM_REQUIRED_FIELDS"],
    ["no notify_url", { notify_url: undefined }, 400, "608", "MINIMUM_REQUIRED_FIELDS"],
    ["an amount that is not an integer", { amount: 100.5 }, 400, "608", "MINIMUM_REQUIRED_FIELDS"],
    ["an amount that is not a multiple of 5", { amount: 5001 }, 400, "608", "MINIMUM_REQUIRED_FIELDS"],
    ["an amount under 100 XOF", { amount: 95 }, 400, "608", "MINIMUM_REQUIRED_FIELDS"],
    ["an unsupported currency", { currency: "EUR" }, 400, "608", "MINIMUM_REQUIRED_FIELDS"],
    ["an unknown channel", { channels: "MOBILE" }, 400, "608", "MINIMUM_REQUIRED_FIELDS"],
    ["metadata as an object", { metadata: { orderId: 1 } }, 400, "608", "MINIMUM_REQUIRED_FIELDS"],
    ["CREDIT_CARD without the customer's address", { channels: "CREDIT_CARD" }, 400, "608", "MINIMUM_REQUIRED_FIELDS"],
    ["a locked phone number that is not one", { lock_phone_number: true, customer_phone_number: "abc" }, 400, "624", "An error occurred while processing the request"],
  ])("refuses %s with HTTP %i and code %s", async (_label, overrides, httpStatus, code, message) => {
    const res = await postJson(`${env.api}/v2/payment`, initBody(NOTIFY, overrides));
    expect(res.status).toBe(httpStatus);
    expect(res.json).toMatchObject({ code, message, description: expect.any(String) });
    expect(res.json).not.toHaveProperty("data.payment_token");
  });

  it("allows cents and non-multiples of 5 in USD only, and combined channels", async () => {
    expect((await postJson(`${env.api}/v2/payment`, initBody(NOTIFY, { currency: "USD", amount: 10.5 }))).json?.code).toBe("201");
    expect((await postJson(`${env.api}/v2/payment`, initBody(NOTIFY, { channels: "MOBILE_MONEY, WALLET" }))).json?.code).toBe("201");
  });

  it("refuses a transaction_id used before", async () => {
    const body = initBody(NOTIFY);
    expect((await postJson(`${env.api}/v2/payment`, body)).json?.code).toBe("201");
    const again = await postJson(`${env.api}/v2/payment`, body);
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ code: "620", message: "ERROR_DOUBLE_PAYEMNT" });
  });

  it("answers a form body with 403 and a request without User-Agent with 1010", async () => {
    const form = await fetch(`${env.api}/v2/payment`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(initBody(NOTIFY) as Record<string, string>).toString() });
    expect(form.status).toBe(403);
    expect(await form.json()).toMatchObject({ code: "403" });
    const { request } = await import("node:http");
    const bare = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const r = request(`${env.api}/v2/payment`, { method: "POST", headers: { "content-type": "application/json" } }, (res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      r.on("error", reject);
      r.end(JSON.stringify(initBody(NOTIFY)));
    });
    expect(bare.status).toBe(403);
    expect(JSON.parse(bare.body)).toMatchObject({ code: "1010" });
  });

  it("checks a new payment by transaction_id and by token: string amounts, no payment date yet", async () => {
    const p = await createPayment(env.api, NOTIFY, { amount: 1500 });
    for (const by of [{ transaction_id: p.transactionId }, { token: p.token }]) {
      const res = await check(env.api, by);
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        code: "201",
        message: "CREATED",
        data: { amount: "1500", currency: "XOF", status: "CREATED", description: "Abonnement mensuel", metadata: '{"orderId":"ORD-1"}', operator_id: null, payment_date: " " },
        api_response_id: expect.any(String),
      });
    }
  });

  it("checks an accepted payment: code 00, operator id, payment date and funds two days later", async () => {
    const p = await createPayment(env.api, NOTIFY);
    await submit(p.url, { action: "pay", method: "OM", phone: "0707070707", outcome: "accepted", fault_dropNotification: "1" });
    const res = await check(env.api, { transaction_id: p.transactionId });
    expect(res.json).toMatchObject({ code: "00", message: "SUCCES", data: { status: "ACCEPTED", amount: "5000", payment_method: "OM", operator_id: expect.stringMatching(/^MP\d{6}\.\d{4}\.[A-Z0-9]{6}$/) } });
    const data = res.json!.data as { payment_date: string; fund_availability_date: string };
    expect(data.payment_date).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const paid = new Date(`${data.payment_date.slice(0, 10)}T00:00:00Z`);
    paid.setUTCDate(paid.getUTCDate() + 2);
    expect(data.fund_availability_date).toBe(`${paid.toISOString().slice(0, 10)} 00:00:00`);
  });

  it("answers check errors: unknown transaction, missing id, wrong key, another merchant's token", async () => {
    const unknown = await check(env.api, { transaction_id: "NOPE123" });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ code: "404", message: "TRANSACTION_NOT_FOUND" });
    expect((await check(env.api, {})).json).toMatchObject({ code: "608" });
    const badKey = await check(env.api, { transaction_id: "X" }, { ...DEMO, apiKey: "wrong" });
    expect(badKey.status).toBe(401);
    expect(badKey.json).toMatchObject({ code: "609", message: "AUTH_NOT_FOUND" });
    const p = await createPayment(env.api, NOTIFY);
    expect((await check(env.api, { token: p.token }, AUTRE)).json).toMatchObject({ code: "404" });
  });

  it("serves nothing at unknown paths", async () => {
    expect((await fetch(`${env.api}/v2/nothing`, { method: "POST" })).status).toBe(404);
    expect((await fetch(`${env.api}/payment/unknown-token`)).status).toBe(404);
  });
});
