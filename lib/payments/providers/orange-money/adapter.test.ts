import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { seedDemo } from "@/db/seed";
import { newPaymentReference } from "@/lib/ids";
import { ProviderError, type InboundRequest, type InitializeInput, type PaymentHandle, type ProviderContext } from "@/lib/payments/types";
import { orangeMoneySandbox } from "@/lib/sandbox/orange-money";
import { notificationFor, seededAccount, setFaults, submitPaymentPage, type OmTestAccount } from "@/lib/sandbox/orange-money/testing";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { startReceiver, type Received } from "@/lib/testing/http-host";
import { startSandbox, withClockStopped } from "@/lib/testing/sandbox-host";
import { orangeMoneyProvider } from ".";
import { credentialsSchema, type OrangeCredentials } from "./schemas";

const demo = seededAccount("demo");
const autre = seededAccount("autre");
const CONFIRM = { msisdn: "0707070707", otp: "1234" };
const DAY_MS = 86_400_000;

type Call = { url: string; status: number | "error" };

/** Counts every HTTP exchange the adapter makes, to see token requests, retries and refusals. */
function countingFetch(calls: Call[]): typeof fetch {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    try {
      const res = await fetch(input, init);
      calls.push({ url, status: res.status });
      return res;
    } catch (error) {
      calls.push({ url, status: "error" });
      throw error;
    }
  };
}

const tokenCalls = (calls: Call[]) => calls.filter((c) => c.url.endsWith("/oauth/v3/token"));

function toInbound(r: Received): InboundRequest {
  return { method: r.method, url: r.path, headers: Object.fromEntries(r.headers), query: Object.fromEntries(r.query), body: r.body };
}

async function caught(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  if (!(error instanceof ProviderError)) throw new Error(`expected a ProviderError, got ${String(error)}`);
  return error;
}

describe.each(TEST_DATABASES)("Orange Money adapter against the simulator on $name", ({ open }) => {
  let database: Database;
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let base: string;

  beforeAll(async () => {
    database = await open();
    await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY, orders: 0 });
    sandbox = await startSandbox(database, { providers: [orangeMoneySandbox] });
    receiver = await startReceiver();
    base = sandbox.sandboxUrl("orange-money");
  });
  afterEach(() => setFaults(base, demo, {}));
  afterAll(async () => {
    await receiver.close();
    await sandbox.close();
    await database.close();
  });

  function context(account: OmTestAccount = demo, options: { calls?: Call[]; api?: string; timeoutMs?: number; environment?: string } = {}): ProviderContext<OrangeCredentials> {
    return {
      mode: "sandbox",
      credentials: credentialsSchema.parse({ ...account, ...(options.environment ? { environment: options.environment } : {}) }),
      urls: { api: options.api ?? base },
      timeoutMs: options.timeoutMs ?? 5000,
      fetch: countingFetch(options.calls ?? []),
    };
  }

  function input(overrides: Partial<InitializeInput> = {}): InitializeInput {
    const reference = newPaymentReference();
    // Loopback: the simulator only sends shoppers back to the app's origin or loopback.
    const back = `http://127.0.0.1:9/orders/ord_1?payment=${reference}`;
    return {
      reference,
      amountMinor: 5000,
      currency: "XOF",
      description: "Commande 251122-ABC Boutique Demo",
      method: "orange_money",
      customer: { name: "Awa Koné", country: "CI", phone: "+2250707070707" },
      locale: "fr",
      merchantName: "Boutique Demo",
      urls: { notify: `${receiver.url}/api/webhooks/orange-money/demo?ref=${reference}`, return: back, cancel: `${back}&cancelled=1` },
      ...overrides,
    };
  }

  /** Creates the payment through the adapter and keeps what the service would store. */
  async function start(overrides: Partial<InitializeInput> = {}, ctx = context()) {
    const data = input(overrides);
    const result = await orangeMoneyProvider.initialize(data, ctx);
    const handle: PaymentHandle = {
      reference: data.reference,
      amountMinor: data.amountMinor,
      currency: data.currency,
      providerToken: result.providerToken,
      stored: result.stored ?? {},
      storedSecret: result.storedSecret,
    };
    const url = result.action.type === "redirect" ? result.action.url : "";
    return { data, result, handle, url };
  }

  it("initialize: a redirect to the payment page, pay_token and notif_token kept, a 10-minute window", async () => {
    const calls: Call[] = [];
    const before = Date.now();
    const { data, result, url } = await start({}, context(demo, { calls }));
    expect(result.status).toBe("waiting_for_customer");
    expect(url).toBe(`${base}/payment/pay_token/${result.providerToken}`);
    expect(result.providerToken).toMatch(/^[0-9a-f]{64}$/);
    expect(result.storedSecret).toEqual({ notifToken: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(result.stored).toMatchObject({ payToken: result.providerToken, environment: "dev", currency: "OUV", amount: 5000 });
    expect(result.expiresAt!.getTime() - before).toBeGreaterThanOrEqual(10 * 60_000 - 1000);
    expect(result.expiresAt!.getTime() - before).toBeLessThanOrEqual(10 * 60_000 + 5000);
    // Secrets never reach the event timeline.
    const trace = JSON.stringify(result.trace);
    for (const secret of [demo.clientSecret, demo.merchantKey, result.storedSecret!.notifToken!]) expect(trace).not.toContain(secret);
    expect(trace).toContain(data.reference);
    expect(result.trace.httpStatus).toBe(201);
    expect(calls.filter((c) => c.url.endsWith("/v1/webpayment"))).toHaveLength(1);
  });

  it("a paid payment: notification authenticated with notif_token, then getStatus says paid with the txnid", async () => {
    const { data, result, handle, url } = await start();
    expect((await orangeMoneyProvider.getStatus(handle, context())).status).toBe("waiting_for_customer");
    expect((await submitPaymentPage(url, { ...CONFIRM, outcome: "SUCCESS" })).headers.get("location")).toBe(data.urls.return);

    const delivery = toInbound(await notificationFor(receiver, data.reference));
    const parsed = orangeMoneyProvider.parseNotification(delivery);
    expect(parsed).toMatchObject({ lookup: { reference: data.reference }, claimedStatus: "SUCCESS" });
    expect(JSON.parse(delivery.body).notif_token).toBe(result.storedSecret!.notifToken);
    expect(orangeMoneyProvider.verifyNotification(delivery, handle, context())).toBe("authentic");
    const forged = { ...delivery, body: JSON.stringify({ ...JSON.parse(delivery.body), notif_token: "0".repeat(32) }) };
    expect(orangeMoneyProvider.verifyNotification(forged, handle, context())).toBe("forged");

    const status = await orangeMoneyProvider.getStatus(handle, context());
    expect(status).toMatchObject({ status: "paid", providerStatus: "SUCCESS", providerReference: JSON.parse(delivery.body).txnid, method: "orange_money" });
    expect(parsed!.dedupeKey).toBe(`${status.providerReference}:SUCCESS`);
    // transactionstatus states no amount: the answer is about the amount the query named.
    expect(status).toMatchObject({ amountMinor: handle.amountMinor, currency: handle.currency });
  });

  it("a failed payment maps to failed", async () => {
    const { data, handle, url } = await start();
    await submitPaymentPage(url, { ...CONFIRM, outcome: "FAILED" });
    await notificationFor(receiver, data.reference);
    expect(await orangeMoneyProvider.getStatus(handle, context())).toMatchObject({ status: "failed", providerStatus: "FAILED", failureCode: "FAILED" });
  });

  it("a cancelled payment stays INITIATED: waiting in the window, expired past it", async () => {
    const { handle, url } = await start();
    expect((await fetch(`${url}/cancel`, { redirect: "manual" })).status).toBe(303);
    expect(await orangeMoneyProvider.getStatus(handle, context())).toMatchObject({ status: "waiting_for_customer", providerStatus: "INITIATED" });
    const elevenMinutesLater = { ...handle, stored: { ...handle.stored, expiresAt: new Date(Date.now() - 60_000).toISOString() } };
    expect(await orangeMoneyProvider.getStatus(elevenMinutesLater, context())).toMatchObject({ status: "expired", providerStatus: "INITIATED" });
  });

  it("pays in the country's currency on a country environment", async () => {
    const { result, handle } = await start({}, context(demo, { environment: "ci" }));
    expect(result.stored).toMatchObject({ environment: "ci", currency: "XOF" });
    expect((await orangeMoneyProvider.getStatus(handle, context(demo, { environment: "dev" }))).status).toBe("waiting_for_customer");
  });

  it("sends KES as whole shillings on dev", async () => {
    const { result, handle } = await start({ currency: "KES", amountMinor: 125_000 }, context(autre));
    expect(result.stored).toMatchObject({ amount: 1250, currency: "OUV" });
    expect((await orangeMoneyProvider.getStatus(handle, context(autre))).providerStatus).toBe("INITIATED");
  });

  it("refuses amounts and over-long fields before any call", async () => {
    const calls: Call[] = [];
    const ctx = context(demo, { calls });
    const longUrl = `http://shop.test/${"x".repeat(104)}`;
    for (const overrides of [{ amountMinor: 0 }, { currency: "KES", amountMinor: 125_050 }, { reference: "C".repeat(31) }, { urls: { notify: longUrl, return: "http://shop.test/r", cancel: "http://shop.test/c" } }]) {
      const error = await caught(orangeMoneyProvider.initialize(input(overrides), ctx));
      expect(error.retryable).toBe(false);
      expect(error.details.userMessage?.en).toBeTruthy();
    }
    expect(calls).toEqual([]);
  });

  it("maps Orange's errors: wrong secret, foreign merchant_key, unknown transaction", async () => {
    const wrongSecret = await caught(orangeMoneyProvider.initialize(input(), context({ ...demo, clientSecret: "wrong" })));
    expect([wrongSecret.code, wrongSecret.retryable, wrongSecret.details.httpStatus]).toEqual(["invalid_credentials", false, 401]);
    const foreignKey = await caught(orangeMoneyProvider.initialize(input(), context({ ...demo, merchantKey: autre.merchantKey })));
    expect([foreignKey.code, foreignKey.retryable, foreignKey.details.httpStatus]).toEqual(["access_denied", false, 403]);
    const { handle } = await start();
    const unknown = await caught(orangeMoneyProvider.getStatus({ ...handle, providerToken: "f".repeat(64) }, context()));
    expect([unknown.code, unknown.retryable]).toEqual(["transaction_not_found", false]);
  });

  it("status API 5xx: retried (idempotent), then a retryable error", async () => {
    const { handle } = await start();
    await setFaults(base, demo, { statusApi: "5xx" });
    const calls: Call[] = [];
    const error = await caught(orangeMoneyProvider.getStatus(handle, context(demo, { calls })));
    expect([error.code, error.retryable]).toEqual(["provider_unavailable", true]);
    expect(calls.filter((c) => c.url.endsWith("/transactionstatus")).map((c) => c.status)).toEqual([503, 503, 503]);
  });

  it("status API timeout: gives up after ctx.timeoutMs", async () => {
    const { handle } = await start();
    await setFaults(base, demo, { statusApi: "timeout" });
    const error = await caught(orangeMoneyProvider.getStatus(handle, context(demo, { timeoutMs: 200 })));
    expect([error.code, error.retryable]).toEqual(["timeout", true]);
  });

  it("init 5xx and timeout: not retried (a payment may exist), reported retryable", async () => {
    await orangeMoneyProvider.getStatus((await start()).handle, context()); // token cached
    await setFaults(base, demo, { init: "5xx" });
    const calls: Call[] = [];
    const e5 = await caught(orangeMoneyProvider.initialize(input(), context(demo, { calls })));
    expect([e5.code, e5.retryable]).toEqual(["provider_unavailable", true]);
    expect(calls.filter((c) => c.url.endsWith("/webpayment"))).toHaveLength(1);
    await setFaults(base, demo, { init: "timeout" });
    const timeout = await caught(orangeMoneyProvider.initialize(input(), context(demo, { timeoutMs: 200 })));
    expect([timeout.code, timeout.retryable]).toEqual(["timeout", true]);
  });

  it("rate limiting: 429 code 53 becomes a retryable rate_limited", async () => {
    const { handle } = await start();
    await setFaults(base, demo, { rateLimitPerMinute: 1 });
    const error = await withClockStopped(sandbox.clock, async () => {
      await orangeMoneyProvider.getStatus(handle, context()).catch(() => null);
      return caught(orangeMoneyProvider.getStatus(handle, context()));
    });
    expect([error.code, error.retryable, error.details.httpStatus]).toEqual(["rate_limited", true, 429]);
  });

  describe("token cache", () => {
    let own: Awaited<ReturnType<typeof startSandbox>>;
    beforeAll(async () => {
      // A host of its own: a fresh cache key, and a clock the test can move.
      own = await startSandbox(database, { providers: [orangeMoneySandbox] });
    });
    afterAll(() => own.close());

    it("single-flight: concurrent callers share one token request, later calls reuse it", async () => {
      const calls: Call[] = [];
      const api = own.sandboxUrl("orange-money");
      const payments = await Promise.all(Array.from({ length: 5 }, () => start({}, context(demo, { calls, api }))));
      expect(calls.filter((c) => c.url.endsWith("/v1/webpayment"))).toHaveLength(5);
      expect(tokenCalls(calls)).toHaveLength(1);
      const statuses = await Promise.all(payments.map((p) => orangeMoneyProvider.getStatus(p.handle, context(demo, { calls, api }))));
      expect(statuses.map((s) => s.status)).toEqual(Array(5).fill("waiting_for_customer"));
      expect(tokenCalls(calls)).toHaveLength(1);
      // Another application (client id) gets a token of its own.
      await start({}, context(autre, { calls, api }));
      expect(tokenCalls(calls)).toHaveLength(2);
    });

    it("refreshes on 401 code 42 (expired token) and retries the call once", async () => {
      const calls: Call[] = [];
      const api = own.sandboxUrl("orange-money");
      const { handle } = await start({}, context(demo, { calls, api }));
      const before = tokenCalls(calls).length;
      own.clock.offsetMs = 91 * DAY_MS;
      try {
        const status = await orangeMoneyProvider.getStatus(handle, context(demo, { calls, api }));
        expect(status.providerStatus).toBe("INITIATED");
      } finally {
        own.clock.offsetMs = 0;
      }
      expect(calls.filter((c) => c.url.endsWith("/transactionstatus")).map((c) => c.status)).toEqual([401, 201]);
      expect(tokenCalls(calls)).toHaveLength(before + 1);
      await orangeMoneyProvider.getStatus(handle, context(demo, { calls, api }));
      expect(tokenCalls(calls)).toHaveLength(before + 1);
    });
  });
});
