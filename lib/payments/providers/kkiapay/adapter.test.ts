import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { providerUrls } from "@/lib/payments/urls";
import { ProviderError, type InboundRequest, type InitializeInput, type PaymentHandle, type ProviderContext } from "@/lib/payments/types";
import { webhooksSettled } from "@/lib/sandbox/kkiapay/notifications";
import { AUTRE_KEYS, DEMO_KEYS, openKkiapayWorld, type KkiapayWorld, type Keys } from "@/lib/sandbox/kkiapay/test-support";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { startReceiver, type Received } from "@/lib/testing/http-host";
import { withClockStopped } from "@/lib/testing/sandbox-host";
import { kkiapayProvider } from "./index";
import type { KkiapayCredentials } from "./schemas";

let counter = 0;
function reference(): string {
  counter += 1;
  return `CSADAPTER${String(counter).padStart(6, "0")}`;
}

function input(ref: string, amountMinor = 5000): InitializeInput {
  return {
    reference: ref,
    amountMinor,
    currency: "XOF",
    description: "Pagne wax 6 yards",
    method: "mtn",
    customer: { name: "Aminata Traoré", email: "aminata@example.ci", phone: "+2250707070707", country: "CI" },
    locale: "fr",
    merchantName: "Boutique Démo",
    urls: { notify: "https://caisse.example/api/webhooks/kkiapay/demo", return: "https://caisse.example/pay/return", cancel: "https://caisse.example/pay/return" },
  };
}

function toInbound(r: Received, headers: Record<string, string> = {}): InboundRequest {
  const all: Record<string, string> = {};
  r.headers.forEach((value, key) => (all[key] = value));
  return { method: r.method, url: r.path, headers: { ...all, ...headers }, query: Object.fromEntries(r.query), body: r.body };
}

describe.each(TEST_DATABASES)("KKiaPay adapter against the simulator on $name", ({ open }) => {
  let database: Database;
  let world: KkiapayWorld;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const fetches: string[] = [];

  function ctx(keys: Keys = DEMO_KEYS, timeoutMs = 5000): ProviderContext<KkiapayCredentials> {
    const urls = providerUrls("kkiapay", "sandbox", {
      APP_URL: world.sandbox.url,
      CINETPAY_API_URL: "https://api-checkout.cinetpay.com",
      ORANGE_MONEY_API_URL: "https://api.orange.com",
      KKIAPAY_API_URL: "https://api.kkiapay.me",
      IPAY_API_URL: "https://apis.ipayafrica.com",
      IPAY_CHECKOUT_URL: "https://payments.ipayafrica.com",
      IPAY_IPN_URL: "https://www.ipayafrica.com/ipn/",
    });
    return {
      mode: "sandbox",
      credentials: keys,
      urls,
      timeoutMs,
      fetch: (url, init) => {
        fetches.push(String(url));
        return fetch(url, init);
      },
    };
  }

  /** initialize, then the shopper goes through the widget with exactly the config we returned. */
  async function payThroughWidget(options: { outcome?: "success" | "failed" | "pending"; faults?: Record<string, string>; amount?: number; keys?: Keys } = {}) {
    const ref = reference();
    const init = await kkiapayProvider.initialize(input(ref, options.amount), ctx(options.keys));
    if (init.action.type !== "widget") throw new Error("expected a widget action");
    const widget = await world.pay({ config: init.action.config, outcome: options.outcome, faults: options.faults, phone: "0707070707" });
    expect(widget.status).toBe(200);
    const handle: PaymentHandle = { reference: ref, amountMinor: options.amount ?? 5000, currency: "XOF", providerReference: widget.transactionId, stored: {} };
    return { ref, handle, widget };
  }

  async function providerError(promise: Promise<unknown>): Promise<ProviderError> {
    const error = await promise.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  }

  beforeAll(async () => {
    database = await open();
    // The app the input's URLs name: the simulator sends shoppers back to its origin only (or loopback).
    world = await openKkiapayWorld(database, { appOrigin: "https://caisse.example" });
    receiver = await startReceiver();
    await world.setWebhookUrl(receiver.url);
    await world.setWebhookUrl(receiver.url, AUTRE_KEYS);
  });
  afterAll(async () => {
    await webhooksSettled();
    await receiver.close();
    await world.close();
    await database.close();
  });

  it("initialize → widget → getStatus: paid, with amount, currency, fees and method", async () => {
    const { handle, widget } = await payThroughWidget();
    expect(widget.redirect).toBe(`https://caisse.example/pay/return?transaction_id=${widget.transactionId}`);
    const status = await kkiapayProvider.getStatus(handle, ctx());
    expect(status).toMatchObject({ status: "paid", providerStatus: "SUCCESS", amountMinor: 5000, currency: "XOF", feeMinor: 95, method: "mtn", providerReference: widget.transactionId });
    expect(status.trace.httpStatus).toBe(200);
    expect(JSON.stringify(status.trace)).not.toContain(DEMO_KEYS.privateKey);
  });

  it("refunds in full once, then reports refunded; a second refund is not eligible", async () => {
    const { handle } = await payThroughWidget();
    const refund = await kkiapayProvider.refund!({ payment: handle, amountMinor: 5000 }, ctx());
    expect(refund).toMatchObject({ status: "succeeded", providerReference: handle.providerReference });
    expect(await kkiapayProvider.getStatus(handle, ctx())).toMatchObject({ status: "refunded", providerStatus: "REVERTED", feeMinor: 95 });
    const again = await providerError(kkiapayProvider.refund!({ payment: handle, amountMinor: 5000 }, ctx()));
    expect(again).toMatchObject({ code: "refund_not_eligible", retryable: false });
    expect(again.details.userMessage?.fr).toBeTruthy();
  });

  it("maps failed and pending payments, and an unknown transaction stays pending", async () => {
    const failed = await payThroughWidget({ outcome: "failed" });
    expect(await kkiapayProvider.getStatus(failed.handle, ctx())).toMatchObject({ status: "failed", failureCode: "insufficient_fund", failureMessage: "Solde insuffisant" });
    const pending = await payThroughWidget({ outcome: "pending" });
    expect(await kkiapayProvider.getStatus(pending.handle, ctx())).toMatchObject({ status: "pending", providerStatus: "PENDING" });
    const unknown = await kkiapayProvider.getStatus({ ...pending.handle, providerReference: "ZZZZZZZZZ" }, ctx());
    expect(unknown).toMatchObject({ status: "pending", providerStatus: "TRANSACTION_NOT_FOUND" });
  });

  it("says which reference a transaction carries (the service binds it), and refuses another account's", async () => {
    const a = await payThroughWidget();
    const b = await payThroughWidget();
    const swapped = await kkiapayProvider.getStatus({ ...b.handle, providerReference: a.handle.providerReference }, ctx());
    expect(swapped).toMatchObject({ status: "paid", claimedReference: a.handle.reference });
    expect(swapped.performedAt).toBeInstanceOf(Date);

    const theirs = await payThroughWidget({ keys: AUTRE_KEYS });
    const foreign = await providerError(kkiapayProvider.getStatus({ ...a.handle, providerReference: theirs.handle.providerReference }, ctx()));
    expect(foreign).toMatchObject({ code: "transaction_mismatch", details: { httpStatus: 403 } });
  });

  it("turns a wrong key into invalid_credentials", async () => {
    const { handle } = await payThroughWidget();
    const error = await providerError(kkiapayProvider.getStatus(handle, ctx({ ...DEMO_KEYS, secretKey: "wrong" })));
    expect(error).toMatchObject({ code: "invalid_credentials", retryable: false, details: { httpStatus: 401 } });
    expect(error.details.userMessage?.en).toContain("keys");
    expect(error.message).not.toContain("wrong");
  });

  it("survives the status API faults: 5xx, timeout and rate limiting", async () => {
    const { handle } = await payThroughWidget({ keys: AUTRE_KEYS });
    const autreHandle = { ...handle };
    try {
      await world.setFaults({ statusApi: "5xx" }, AUTRE_KEYS);
      const before = fetches.length;
      const down = await providerError(kkiapayProvider.getStatus(autreHandle, ctx(AUTRE_KEYS)));
      expect(down).toMatchObject({ code: "provider_unavailable", retryable: true, details: { httpStatus: 503 } });
      expect(fetches.length - before).toBe(3); // status checks are idempotent: providerFetch retries twice

      await world.setFaults({ statusApi: "timeout" }, AUTRE_KEYS);
      const slow = await providerError(kkiapayProvider.getStatus(autreHandle, ctx(AUTRE_KEYS, 250)));
      expect(slow).toMatchObject({ code: "timeout", retryable: true });

      await world.setFaults({ rateLimitPerMinute: 1 }, AUTRE_KEYS);
      const limited = await withClockStopped(world.sandbox.clock, async () => {
        await kkiapayProvider.getStatus(autreHandle, ctx(AUTRE_KEYS)).catch(() => undefined);
        return providerError(kkiapayProvider.getStatus(autreHandle, ctx(AUTRE_KEYS)));
      });
      expect(limited).toMatchObject({ code: "rate_limited", retryable: true, details: { httpStatus: 429 } });
    } finally {
      await world.setFaults({}, AUTRE_KEYS);
    }
    expect(await kkiapayProvider.getStatus(autreHandle, ctx(AUTRE_KEYS))).toMatchObject({ status: "paid" });
  });

  it("parses and authenticates the simulator's webhook, and rejects a forged one", async () => {
    const already = receiver.received.length;
    const { handle, ref } = await payThroughWidget();
    const hooks = await receiver.waitFor(already + 1);
    const hook = hooks.find((h) => JSON.parse(h.body).stateData === ref)!;
    const request = toInbound(hook);
    expect(kkiapayProvider.parseNotification(request)).toEqual({
      lookup: { providerReference: handle.providerReference, reference: ref },
      evidence: { providerReference: handle.providerReference },
      dedupeKey: `${handle.providerReference}:transaction.success`,
      claimedStatus: "transaction.success",
      claimedAmountMinor: 5000,
    });
    expect(kkiapayProvider.verifyNotification(request, handle, ctx())).toBe("authentic");
    expect(kkiapayProvider.verifyNotification(toInbound(hook, { "x-kkiapay-secret": AUTRE_KEYS.secretKey }), handle, ctx())).toBe("forged");
    expect(kkiapayProvider.verifyNotification(request, handle, ctx(AUTRE_KEYS))).toBe("forged");
  });

  it("a tampered webhook is authentic but the status API gives the real amount", async () => {
    const already = receiver.received.length;
    const { handle, ref } = await payThroughWidget({ amount: 9000, faults: { fault_tamperAmount: "1" } });
    const hooks = await receiver.waitFor(already + 1);
    const request = toInbound(hooks.find((h) => JSON.parse(h.body).stateData === ref)!);
    const parsed = kkiapayProvider.parseNotification(request)!;
    expect(kkiapayProvider.verifyNotification(request, handle, ctx())).toBe("authentic");
    expect(parsed.claimedAmountMinor).not.toBe(9000);
    expect((await kkiapayProvider.getStatus(handle, ctx())).amountMinor).toBe(9000);
  });
});
