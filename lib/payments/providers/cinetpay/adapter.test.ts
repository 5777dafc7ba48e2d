import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { newPaymentReference } from "@/lib/ids";
import { ProviderError, type InboundRequest, type InitializeInput, type PaymentHandle, type ProviderContext } from "@/lib/payments/types";
import { AUTRE, DEMO, setFaults, startCinetpay, submit } from "@/lib/sandbox/cinetpay/test-support";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { startReceiver, type Received } from "@/lib/testing/http-host";
import { cinetpayProvider, type CinetpayCredentials } from "./index";

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

function inbound(receiver: Receiver, r: Received): InboundRequest {
  return { method: r.method, url: `${receiver.url}${r.path}`, headers: Object.fromEntries(r.headers), query: Object.fromEntries(r.query), body: r.body };
}

function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  return promise.then(
    () => {
      throw new Error("expected a ProviderError");
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(ProviderError);
      return error as ProviderError;
    },
  );
}

describe.each(TEST_DATABASES)("CinetPay adapter against the simulator on $name", ({ open }) => {
  let database: Database;
  let env: Awaited<ReturnType<typeof startCinetpay>>;
  let receiver: Receiver;
  const receivers: Receiver[] = [];
  let calls = 0;
  const counting: typeof fetch = (input, init) => {
    calls += 1;
    return fetch(input, init);
  };
  const ctx = (over: Partial<ProviderContext<CinetpayCredentials>> = {}): ProviderContext<CinetpayCredentials> => ({
    mode: "sandbox",
    credentials: DEMO,
    urls: { api: env.api },
    timeoutMs: 2000,
    fetch: counting,
    ...over,
  });

  beforeAll(async () => {
    database = await open();
    env = await startCinetpay(database);
  });
  afterEach(async () => {
    await setFaults(env.api, {});
    await Promise.all(receivers.splice(0).map((r) => r.close()));
  });
  afterAll(async () => {
    await env.sandbox.close();
    await database.close();
  });

  async function newReceiver() {
    receiver = await startReceiver();
    receivers.push(receiver);
    return receiver;
  }

  async function start(over: Partial<InitializeInput> = {}) {
    await newReceiver();
    const input: InitializeInput = {
      reference: newPaymentReference(),
      amountMinor: 5000,
      currency: "XOF",
      description: "Commande #42",
      method: "orange_money",
      customer: { name: "Awa Koné", email: "awa@example.com", phone: "+2250707070707", country: "CI" },
      locale: "fr",
      merchantName: "Boutique Demo",
      urls: { notify: `${receiver.url}/api/webhooks/cinetpay/demo`, return: "https://shop.example.com/return", cancel: "https://shop.example.com/return" },
      ...over,
    };
    const result = await cinetpayProvider.initialize(input, ctx());
    const handle: PaymentHandle = { reference: input.reference, amountMinor: input.amountMinor, currency: input.currency, providerToken: result.providerToken, stored: result.stored ?? {} };
    return { input, result, handle };
  }

  it("initializes: a redirect to the hosted page, the payment token, pending, and a trace without the API key", async () => {
    const { result } = await start();
    expect(result.status).toBe("pending");
    expect(result.action).toEqual({ type: "redirect", url: `${env.api}/payment/${result.providerToken}` });
    expect(result.providerToken).toMatch(/^[0-9a-f]{64}$/);
    expect(result.trace.httpStatus).toBe(200);
    expect(JSON.stringify(result.trace)).not.toContain(DEMO.apiKey);
    expect((await fetch((result.action as { url: string }).url)).status).toBe(200);
  });

  it("accepted: the notification parses, verifies as authentic, and getStatus reports paid with amount, operator and settlement date", async () => {
    const { input, result, handle } = await start();
    await submit((result.action as { url: string }).url, { action: "pay", method: "OM", phone: "0707070707", outcome: "accepted" });
    const [ping, post] = await receiver.waitFor(2);
    expect(cinetpayProvider.parseNotification(inbound(receiver, ping!))).toBeNull();
    const parsed = cinetpayProvider.parseNotification(inbound(receiver, post!));
    expect(parsed).toMatchObject({ lookup: { reference: input.reference }, claimedStatus: "SUCCES", claimedAmountMinor: 5000 });
    expect(cinetpayProvider.verifyNotification(inbound(receiver, post!), handle, ctx())).toBe("authentic");

    const status = await cinetpayProvider.getStatus(handle, ctx());
    expect(status).toMatchObject({ status: "paid", providerStatus: "ACCEPTED", amountMinor: 5000, currency: "XOF", method: "orange_money", providerReference: expect.stringMatching(/^MP/) });
    expect(status.settlementDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(status.failureCode).toBeUndefined();
  });

  it("forged notifications: a changed amount, another merchant's secret, a missing x-token", async () => {
    const { result, handle } = await start();
    await submit((result.action as { url: string }).url, { action: "pay", method: "OM", phone: "0707070707", outcome: "accepted" });
    const [, post] = await receiver.waitFor(2);
    const genuine = inbound(receiver, post!);
    expect(cinetpayProvider.verifyNotification({ ...genuine, body: genuine.body.replace("cpm_amount=5000", "cpm_amount=50") }, handle, ctx())).toBe("forged");
    expect(cinetpayProvider.verifyNotification(genuine, handle, ctx({ credentials: { ...DEMO, secretKey: AUTRE.secretKey } }))).toBe("forged");
    const { "x-token": _dropped, ...headers } = genuine.headers;
    expect(_dropped).toBeTruthy();
    expect(cinetpayProvider.verifyNotification({ ...genuine, headers }, handle, ctx())).toBe("forged");
  });

  it("tampered amount: authentic signature, but the status API tells the real amount", async () => {
    const { result, handle } = await start();
    await submit((result.action as { url: string }).url, { action: "pay", method: "OM", phone: "0707070707", outcome: "accepted", fault_tamperAmount: "1" });
    const [, post] = await receiver.waitFor(2);
    const parsed = cinetpayProvider.parseNotification(inbound(receiver, post!));
    expect(parsed!.claimedAmountMinor).not.toBe(5000);
    expect(cinetpayProvider.verifyNotification(inbound(receiver, post!), handle, ctx())).toBe("authentic");
    expect((await cinetpayProvider.getStatus(handle, ctx())).amountMinor).toBe(5000);
  });

  it("maps refused, cancelled and waiting payments", async () => {
    const refused = await start();
    await submit((refused.result.action as { url: string }).url, { action: "pay", method: "MOMO", phone: "0505050505", outcome: "refused", failure_code: "602" });
    expect(await cinetpayProvider.getStatus(refused.handle, ctx())).toMatchObject({ status: "failed", providerStatus: "REFUSED", failureCode: "602", failureMessage: "INSUFFISENT_BALANCE", method: "mtn" });
    expect((await cinetpayProvider.getStatus(refused.handle, ctx())).settlementDate).toBeUndefined();

    const cancelled = await start();
    await submit((cancelled.result.action as { url: string }).url, { action: "cancel" });
    expect(await cinetpayProvider.getStatus(cancelled.handle, ctx())).toMatchObject({ status: "cancelled", failureCode: "627" });

    const waiting = await start();
    expect((await cinetpayProvider.getStatus(waiting.handle, ctx())).status).toBe("pending");
    const url = (waiting.result.action as { url: string }).url;
    await submit(url, { action: "pay", method: "OM", phone: "0707070707", outcome: "waiting" });
    expect((await cinetpayProvider.getStatus(waiting.handle, ctx())).status).toBe("waiting_for_customer");
    await submit(`${url}/confirm`, { decision: "accepted" });
    expect((await cinetpayProvider.getStatus(waiting.handle, ctx())).status).toBe("paid");
  });

  it("card payments go to the card channel with the customer fields", async () => {
    const { result, handle } = await start({
      method: "card",
      customer: { name: "Awa Koné", email: "awa@example.com", phone: "+2250707070707", country: "CI", billing: { address: "Rue des Jardins", city: "Abidjan", state: "Lagunes", zip: "" } },
    });
    await submit((result.action as { url: string }).url, { action: "pay", method: "CARD", outcome: "accepted" });
    expect(await cinetpayProvider.getStatus(handle, ctx())).toMatchObject({ status: "paid", method: "card" });
  });

  it("refuses a bad amount before any call, and maps init errors", async () => {
    calls = 0;
    const bad = await rejection(start({ amountMinor: 5001 }));
    expect(bad).toMatchObject({ code: "not_multiple_of_5", retryable: false });
    expect(calls).toBe(0);

    const wrongKey = await rejection(cinetpayProvider.initialize((await startInput()).input, ctx({ credentials: { ...DEMO, apiKey: "wrong" } })));
    expect(wrongKey).toMatchObject({ code: "invalid_credentials", retryable: false, details: { httpStatus: 401 } });
    expect(wrongKey.details.userMessage?.fr).toBeTruthy();

    const first = await start();
    const duplicate = await rejection(cinetpayProvider.initialize(first.input, ctx()));
    expect(duplicate).toMatchObject({ code: "duplicate_transaction", retryable: false });
  });

  it("init faults: 5xx and timeout are retryable errors", async () => {
    await setFaults(env.api, { init: "5xx" });
    expect(await rejection(start())).toMatchObject({ code: "provider_unavailable", retryable: true });
    await setFaults(env.api, { init: "timeout" });
    const { input } = await startInput();
    expect(await rejection(cinetpayProvider.initialize(input, ctx({ timeoutMs: 300 })))).toMatchObject({ code: "timeout", retryable: true });
  });

  it("status faults and limits: 5xx, timeout, 429 and unknown payments", async () => {
    const { handle } = await start();
    await setFaults(env.api, { statusApi: "5xx" });
    expect(await rejection(cinetpayProvider.getStatus(handle, ctx()))).toMatchObject({ code: "provider_unavailable", retryable: true });
    await setFaults(env.api, { statusApi: "timeout" });
    expect(await rejection(cinetpayProvider.getStatus(handle, ctx({ timeoutMs: 200 })))).toMatchObject({ code: "timeout", retryable: true });
    await setFaults(env.api, { rateLimitPerMinute: 1 });
    // Three calls span at most two minute windows, so one window sees two calls: over a limit of one.
    const outcomes = await Promise.allSettled([0, 1, 2].map(() => cinetpayProvider.getStatus(handle, ctx())));
    const limited = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]!.reason).toMatchObject({ code: "rate_limited", retryable: true });
    await setFaults(env.api, {});
    expect(await rejection(cinetpayProvider.getStatus({ ...handle, reference: "CSUNKNOWN0000" }, ctx()))).toMatchObject({ code: "transaction_not_found", retryable: false });
  });

  async function startInput() {
    await newReceiver();
    return {
      input: {
        reference: newPaymentReference(),
        amountMinor: 1000,
        currency: "XOF",
        description: "Test",
        method: "mtn",
        customer: { name: "Awa", country: "CI" },
        locale: "en",
        merchantName: "Boutique Demo",
        urls: { notify: `${receiver.url}/n`, return: "https://shop.example.com/return", cancel: "https://shop.example.com/return" },
      } satisfies InitializeInput,
    };
  }
});
