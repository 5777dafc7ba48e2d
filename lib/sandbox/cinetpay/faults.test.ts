import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { startReceiver, type Received } from "@/lib/testing/http-host";
import { DEMO, check, createPayment, deliveries, initBody, phpStyleXToken, postJson, setFaults, startCinetpay, submit } from "./test-support";

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

const ACCEPT = { action: "pay", method: "OM", phone: "0707070707", outcome: "accepted" };

function form(r: Received) {
  return Object.fromEntries(new URLSearchParams(r.body));
}

describe.each(TEST_DATABASES)("CinetPay simulator faults on $name", ({ open }) => {
  let database: Database;
  let env: Awaited<ReturnType<typeof startCinetpay>>;
  let receiver: Receiver;
  beforeAll(async () => {
    database = await open();
    env = await startCinetpay(database);
  });
  afterEach(async () => {
    await setFaults(env.api, {});
    await receiver?.close();
  });
  afterAll(async () => {
    await env.sandbox.close();
    await database.close();
  });

  async function pay(overrides: Record<string, unknown> = {}) {
    receiver = await startReceiver();
    return createPayment(env.api, `${receiver.url}/notify`, overrides);
  }

  it("duplicate: every POST arrives twice, identical and signed", async () => {
    const p = await pay();
    await setFaults(env.api, { duplicateNotification: true });
    await submit(p.url, ACCEPT);
    const received = await receiver.waitFor(3);
    expect(received.map((r) => r.method)).toEqual(["GET", "POST", "POST"]);
    expect(received[1]!.body).toBe(received[2]!.body);
    expect(received[2]!.headers.get("x-token")).toBe(phpStyleXToken(DEMO.secretKey, received[2]!.body));
  });

  it("delay (from the page's advanced panel): notifications leave N seconds late", async () => {
    const p = await pay();
    const started = Date.now();
    await submit(p.url, { ...ACCEPT, fault_notificationDelaySeconds: "1" });
    await receiver.waitFor(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it("drop: nothing reaches notify_url, the deliveries are recorded as dropped", async () => {
    const dropped = await pay();
    const target = receiver;
    await submit(dropped.url, { ...ACCEPT, fault_dropNotification: "1" });
    // A second payment to the same receiver is delivered normally; only its requests arrive.
    const delivered = await createPayment(env.api, `${target.url}/notify`);
    await submit(delivered.url, ACCEPT);
    const received = await target.waitFor(2);
    expect(received.filter((r) => r.method === "POST").map((r) => form(r).cpm_trans_id)).toEqual([delivered.transactionId]);
    const log = await deliveries(env.api, dropped.transactionId);
    expect(log.map((d) => [d.method, d.error])).toEqual([
      ["GET", "dropped (fault)"],
      ["POST", "dropped (fault)"],
    ]);
  });

  it("out of order: the final notification arrives before the WAITING_FOR_CUSTOMER one", async () => {
    const p = await pay();
    await submit(p.url, { action: "pay", method: "OM", phone: "0707070707", outcome: "waiting", fault_outOfOrder: "1" });
    await submit(`${p.url}/confirm`, { decision: "accepted" });
    const received = await receiver.waitFor(3);
    expect(received.map((r) => r.method)).toEqual(["GET", "POST", "POST"]);
    expect(received.slice(1).map((r) => form(r).cpm_error_message)).toEqual(["SUCCES", "WAITING_CUSTOMER_TO_VALIDATE"]);
  });

  it("tamperAmount: the notification claims another amount, validly signed; the check tells the truth", async () => {
    const p = await pay();
    await submit(p.url, { ...ACCEPT, fault_tamperAmount: "1" });
    const [, post] = await receiver.waitFor(2);
    expect(form(post!).cpm_amount).not.toBe("5000");
    expect(post!.headers.get("x-token")).toBe(phpStyleXToken(DEMO.secretKey, post!.body));
    expect((await check(env.api, { transaction_id: p.transactionId })).json).toMatchObject({ data: { amount: "5000" } });
  });

  it("statusAnswerOmits: the check answers without the amount, or without the currency", async () => {
    const p = await pay();
    await submit(p.url, ACCEPT);
    await setFaults(env.api, { statusAnswerOmits: "amount" });
    const noAmount = (await check(env.api, { transaction_id: p.transactionId })).json as { data: Record<string, unknown> };
    expect(noAmount.data).toMatchObject({ status: "ACCEPTED", currency: "XOF" });
    expect(noAmount.data).not.toHaveProperty("amount");
    await setFaults(env.api, { statusAnswerOmits: "currency" });
    const noCurrency = (await check(env.api, { transaction_id: p.transactionId })).json as { data: Record<string, unknown> };
    expect(noCurrency.data).toMatchObject({ status: "ACCEPTED", amount: "5000" });
    expect(noCurrency.data).not.toHaveProperty("currency");
  });

  it("status API 5xx for the account, timeout for one payment only", async () => {
    const p = await pay();
    const other = await createPayment(env.api, `${receiver.url}/notify`);
    await submit(p.url, { ...ACCEPT, fault_statusApi: "timeout" });
    await expect(
      fetch(`${env.api}/v2/payment/check`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ apikey: DEMO.apiKey, site_id: DEMO.siteId, transaction_id: p.transactionId }),
        signal: AbortSignal.timeout(300),
      }),
    ).rejects.toThrow();
    expect((await check(env.api, { transaction_id: other.transactionId })).status).toBe(200);
    await setFaults(env.api, { statusApi: "5xx" });
    expect((await check(env.api, { transaction_id: other.transactionId })).status).toBe(503);
  });

  it("init 5xx and init timeout", async () => {
    receiver = await startReceiver();
    await setFaults(env.api, { init: "5xx" });
    expect((await postJson(`${env.api}/v2/payment`, initBody(`${receiver.url}/notify`))).status).toBe(503);
    await setFaults(env.api, { init: "timeout" });
    await expect(
      fetch(`${env.api}/v2/payment`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(initBody(`${receiver.url}/notify`)), signal: AbortSignal.timeout(300) }),
    ).rejects.toThrow();
  });

  it("rate limit: 429 TOO_MANY_REQUEST once the account is over its calls per minute", async () => {
    receiver = await startReceiver();
    await setFaults(env.api, { rateLimitPerMinute: 2 });
    // Five calls span at most two minute windows, so one window sees more than two.
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await check(env.api, { transaction_id: "ANY" }));
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]!.json).toMatchObject({ code: "429", message: "TOO_MANY_REQUEST" });
  });
});
