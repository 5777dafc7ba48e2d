import { afterEach, describe, expect, it } from "vitest";
import { providerUrls } from "@/lib/payments/urls";
import { ProviderError, type InboundRequest, type InitializeInput, type PaymentHandle, type ProviderContext } from "@/lib/payments/types";
import { startHost, type Received } from "@/lib/testing/http-host";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { answerPhone, chooseOutcome, hmacHex, setFaults, useIpayWorld, vendor } from "@/lib/sandbox/ipay/testing";
import { ipayProvider } from "./index";
import type { IpayCredentials } from "./schemas";

const autre = vendor("autre");

function inbound(r: Received): InboundRequest {
  return { method: r.method, url: `http://shop.test${r.path}?${r.query}`, headers: {}, query: Object.fromEntries(r.query), body: r.body };
}

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe.each(TEST_DATABASES)("iPay adapter against the simulator on $name", ({ open }) => {
  const env = useIpayWorld(open);
  let seq = 0;
  afterEach(() => setFaults(env.world.base, autre, {}));

  function ctx(over: Partial<ProviderContext<IpayCredentials>> = {}): ProviderContext<IpayCredentials> {
    const urls = providerUrls("ipay", "sandbox", {
      APP_URL: env.world.sandbox.url,
      CINETPAY_API_URL: "https://unused.test",
      ORANGE_MONEY_API_URL: "https://unused.test",
      KKIAPAY_API_URL: "https://unused.test",
      IPAY_API_URL: "https://unused.test",
      IPAY_CHECKOUT_URL: "https://unused.test",
      IPAY_IPN_URL: "https://unused.test/ipn/",
    });
    return { mode: "sandbox", credentials: { vendorId: autre.vid, securityKey: autre.key }, urls, timeoutMs: 3_000, ...over };
  }

  function input(over: Partial<InitializeInput> = {}): InitializeInput {
    seq += 1;
    return {
      reference: `CS251122ADAPT${Date.now().toString(36).toUpperCase()}${seq}`,
      amountMinor: 125_000,
      currency: "KES",
      description: "Commande test",
      method: "mpesa",
      customer: { name: "Brian Otieno", email: "brian@example.co.ke", phone: "+254722000000", country: "KE" },
      locale: "en",
      merchantName: "Duka la Autre",
      urls: { notify: `${env.receiver.url}/api/webhooks/ipay/autre`, return: `${env.receiver.url}/orders/ord_1/return?p=pay_${seq}`, cancel: `${env.receiver.url}/orders/ord_1/return?p=pay_${seq}&cancelled=1` },
      ...over,
    };
  }

  const handle = (i: InitializeInput, stored: Record<string, unknown> = {}, providerReference?: string): PaymentHandle => ({
    reference: i.reference,
    amountMinor: i.amountMinor,
    currency: i.currency,
    stored,
    providerReference: providerReference ?? null,
  });

  /** The shopper goes through the hosted page to `outcome`; resolves to iPay's callback as our return page got it. */
  async function payHosted(i: InitializeInput, outcome: string) {
    const result = await ipayProvider.initialize(i, ctx());
    if (result.action.type !== "form") throw new Error("expected a form");
    const posted = await fetch(result.action.url, { method: "POST", body: new URLSearchParams(result.action.fields), redirect: "manual" });
    const choice = await chooseOutcome(new URL(posted.headers.get("location")!, env.world.base).toString(), { outcome });
    const before = env.receiver.received.length;
    await fetch(choice.headers.get("location")!);
    const [arrived] = (await env.receiver.waitFor(before + 1)).slice(before);
    return { stored: result.stored ?? {}, callback: inbound(arrived!) };
  }

  /** Fetch that counts calls by path, to see which of search and the IPN were asked. */
  function counting() {
    const paths: string[] = [];
    const fetchCounting: typeof fetch = (input, init) => {
      paths.push(new URL(input instanceof Request ? input.url : String(input)).pathname.replace(/^.*\/sandbox\/ipay/, ""));
      return fetch(input, init);
    };
    return { paths, fetch: fetchCounting };
  }

  describe("hosted checkout", () => {
    it("builds the §4.1 form, signed with SHA1 over the documented order, and makes no call", async () => {
      let calls = 0;
      const counting: typeof fetch = (...args) => ((calls += 1), fetch(...args));
      const i = input();
      const result = await ipayProvider.initialize(i, ctx({ fetch: counting }));
      expect(calls).toBe(0);
      expect(result.status).toBe("pending");
      expect(result.stored).toEqual({ oid: i.reference, flow: "hosted" });
      if (result.action.type !== "form") throw new Error("expected a form");
      expect(result.action.method).toBe("POST");
      expect(result.action.url).toBe(`${env.world.base}/v3/ke?lang=en`);
      const f = result.action.fields;
      expect(f).toMatchObject({ live: "0", oid: i.reference, inv: i.reference.slice(-15), ttl: "1250.00", tel: "254722000000", eml: "brian@example.co.ke", vid: "autre", curr: "KES", cbk: i.urls.return, cst: "1", crl: "0", mpesa: "1", airtel: "0", creditcard: "0" });
      const data = ["live", "oid", "inv", "ttl", "tel", "eml", "vid", "curr", "p1", "p2", "p3", "p4", "cbk", "cst", "crl"].map((k) => f[k] ?? "").join("");
      expect(f.hsh).toBe(hmacHex("sha1", autre.key, data));
      expect(JSON.stringify(result.trace)).not.toContain(f.hsh);
    });

    it("turns on only the chosen method's channel, and pads a missing phone", async () => {
      const result = await ipayProvider.initialize(input({ method: "card", customer: { name: "X", email: null, phone: null, country: "KE" } }), ctx());
      if (result.action.type !== "form") throw new Error("expected a form");
      expect(result.action.fields).toMatchObject({ creditcard: "1", mpesa: "0", airtel: "0", tel: "254700000000", eml: "", cst: "0" });
    });

    it.each([
      ["paid", 125_000],
      ["more", 135_000],
      ["less", 62_500],
    ] as const)("form → simulator → %s → cbk → parseNotification → getStatus", async (outcome, paidMinor) => {
      const i = input();
      const result = await ipayProvider.initialize(i, ctx());
      if (result.action.type !== "form") throw new Error("expected a form");
      const posted = await fetch(result.action.url, { method: "POST", body: new URLSearchParams(result.action.fields), redirect: "manual" });
      expect(posted.status).toBe(303);
      const page = new URL(posted.headers.get("location")!, env.world.base).toString();
      expect(await (await fetch(page)).text()).toContain('<html lang="en">');
      const choice = await chooseOutcome(page, { outcome });
      const before = env.receiver.received.length;
      await fetch(choice.headers.get("location")!);
      const [arrived] = (await env.receiver.waitFor(before + 1)).slice(before);
      expect(arrived!.path).toBe("/orders/ord_1/return");

      const parsed = ipayProvider.parseNotification(inbound(arrived!));
      expect(parsed?.lookup).toEqual({ reference: i.reference });
      expect(parsed?.claimedAmountMinor).toBe(paidMinor);
      expect(ipayProvider.verifyNotification(inbound(arrived!), handle(i), ctx())).toBe("unverifiable");

      const status = await ipayProvider.getStatus(handle(i, result.stored), ctx());
      expect(status).toMatchObject({ status: "paid", paidAmountMinor: paidMinor, currency: "KES", method: "mpesa", providerReference: arrived!.query.get("txncd") });
      expect(status.amountMinor).toBeUndefined();
    });

    it("getStatus reads pending and failed checkouts as pending (no payment record yet)", async () => {
      for (const outcome of ["pending", "failed"]) {
        const i = input();
        const result = await ipayProvider.initialize(i, ctx());
        if (result.action.type !== "form") throw new Error("expected a form");
        const posted = await fetch(result.action.url, { method: "POST", body: new URLSearchParams(result.action.fields), redirect: "manual" });
        await chooseOutcome(new URL(posted.headers.get("location")!, env.world.base).toString(), { outcome });
        expect(await ipayProvider.getStatus(handle(i, result.stored), ctx())).toMatchObject({ status: "pending", providerStatus: "not_found" });
      }
    });
  });

  describe("IPN (the callback's ids, checked with iPay)", () => {
    it.each([
      ["paid", 125_000],
      ["more", 135_000],
      ["less", 62_500],
    ] as const)("%s: search alone decides, with the amount it found", async (outcome, paidMinor) => {
      const i = input();
      const { stored, callback } = await payHosted(i, outcome);
      const evidence = ipayProvider.parseNotification(callback)!.evidence;
      const calls = counting();
      const status = await ipayProvider.getStatus(handle(i, stored), ctx({ fetch: calls.fetch }), evidence);
      expect(status).toMatchObject({ status: "paid", paidAmountMinor: paidMinor, currency: "KES" });
      expect(status.amountMinor).toBeUndefined();
      expect(status.attemptOutcome).toBeUndefined();
      expect(calls.paths).toEqual(["/payments/v2/transaction/search"]);
    });

    it.each([
      ["failed", "fe2707etr5s4wq"],
      ["used", "cr5i3pgy9867e1"],
    ] as const)("%s: stays pending, and says how the attempt ended", async (outcome, code) => {
      const i = input();
      const { stored, callback } = await payHosted(i, outcome);
      const evidence = ipayProvider.parseNotification(callback)!.evidence;
      const calls = counting();
      const status = await ipayProvider.getStatus(handle(i, stored), ctx({ fetch: calls.fetch }), evidence);
      expect(status).toMatchObject({ status: "pending", providerStatus: code, attemptOutcome: outcome });
      expect(calls.paths).toEqual(["/payments/v2/transaction/search", "/ipn/"]);
      // Without the callback's ids (reconciliation), only search speaks: pending, nothing more.
      const later = await ipayProvider.getStatus(handle(i, stored), ctx());
      expect(later).toMatchObject({ status: "pending", providerStatus: "not_found" });
      expect(later.attemptOutcome).toBeUndefined();
    });

    it("pending: stays pending with no attempt outcome", async () => {
      const i = input();
      const { stored, callback } = await payHosted(i, "pending");
      const status = await ipayProvider.getStatus(handle(i, stored), ctx(), ipayProvider.parseNotification(callback)!.evidence);
      expect(status).toMatchObject({ status: "pending", providerStatus: "bdi6p2yy76etrs" });
      expect(status.attemptOutcome).toBeUndefined();
    });

    it("made-up ids never fail a payment, and never stop search from paying one", async () => {
      const i = input();
      const forged = { fields: { id: i.reference, ivm: i.reference.slice(-15), qwh: "1", afd: "2", poi: "3", uyt: "4", ifd: "5" } };
      const result = await ipayProvider.initialize(i, ctx());
      // iPay answers "failed" for ids it never issued: an attempt outcome at most, never a failed payment.
      expect(await ipayProvider.getStatus(handle(i, result.stored), ctx(), forged)).toMatchObject({ status: "pending", attemptOutcome: "failed" });
      const { stored } = await payHosted(i, "paid");
      expect(await ipayProvider.getStatus(handle(i, stored), ctx(), forged)).toMatchObject({ status: "paid", paidAmountMinor: 125_000 });
    });

    it("does not ask the IPN about ids that are incomplete or name another payment", async () => {
      const a = input();
      const { callback } = await payHosted(a, "failed");
      const ids = ipayProvider.parseNotification(callback)!.evidence!.fields!;
      const b = input();
      const result = await ipayProvider.initialize(b, ctx());
      for (const fields of [ids, { ...ids, id: b.reference, qwh: "" }, { id: b.reference }]) {
        const calls = counting();
        const status = await ipayProvider.getStatus(handle(b, result.stored), ctx({ fetch: calls.fetch }), { fields });
        expect(status).toMatchObject({ status: "pending", providerStatus: "not_found" });
        expect(status.attemptOutcome).toBeUndefined();
        expect(calls.paths).toEqual(["/payments/v2/transaction/search"]);
      }
    });

    describe("against a scripted iPay", () => {
      async function scripted(ipn: () => Response, search: () => Response = () => Response.json({ header_status: 404, status: 0, message: "No payment record found" }, { status: 404 })) {
        const asked: URL[] = [];
        const host = await startHost((req) => {
          const url = new URL(req.url);
          asked.push(url);
          return url.pathname === "/ipn/" ? ipn() : search();
        });
        const urls = { api: `${host.url}/payments/v2`, checkout: host.url, ipn: `${host.url}/ipn/` };
        return { asked, host, ctx: ctx({ urls }) };
      }
      const ids = (i: InitializeInput) => ({ fields: { id: i.reference, ivm: "INV1", qwh: "11", afd: "22", poi: "33", uyt: "44", ifd: "55" } });
      const text = (body: string, status = 200) => new Response(body, { status, headers: { "content-type": "text/plain" } });

      it("asks GET <ipn>?vendor&id&ivm&qwh&afd&poi&uyt&ifd with the callback's exact ids", async () => {
        const i = input();
        const s = await scripted(() => text("bdi6p2yy76etrs\n"));
        try {
          expect(await ipayProvider.getStatus(handle(i), s.ctx, ids(i))).toMatchObject({ status: "pending", providerStatus: "bdi6p2yy76etrs" });
          const ipn = s.asked.find((u) => u.pathname === "/ipn/")!;
          expect(Object.fromEntries(ipn.searchParams)).toEqual({ vendor: autre.vid, ...ids(i).fields });
        } finally {
          await s.host.close();
        }
      });

      it.each(["aei7p7yrx4ae34", "eq3i7p5yt7645e", "dtfi4p7yty45wq"])("IPN %s while search has no record: pending, no amount taken from the callback", async (code) => {
        const i = input();
        const s = await scripted(() => text(code));
        try {
          const status = await ipayProvider.getStatus(handle(i), s.ctx, ids(i));
          expect(status).toMatchObject({ status: "pending", providerStatus: code });
          expect(status.paidAmountMinor).toBeUndefined();
          expect(status.attemptOutcome).toBeUndefined();
        } finally {
          await s.host.close();
        }
      });

      it("an unreadable IPN answer is an unexpected response; an IPN outage is retryable", async () => {
        const i = input();
        const html = await scripted(() => new Response("<html>Maintenance</html>", { headers: { "content-type": "text/html" } }));
        const down = await scripted(() => text("Service Unavailable", 503));
        try {
          expect(await rejection(ipayProvider.getStatus(handle(i), html.ctx, ids(i)))).toMatchObject({ code: "unexpected_response" });
          expect(await rejection(ipayProvider.getStatus(handle(i), down.ctx, ids(i)))).toMatchObject({ code: "provider_unavailable", retryable: true });
        } finally {
          await html.host.close();
          await down.host.close();
        }
      });
    });
  });

  describe("M-Pesa STK push", () => {
    it("push → approve on the phone → callback → paid → partial and full refunds", async () => {
      const i = input({ flow: "push" });
      const result = await ipayProvider.initialize(i, ctx());
      expect(result).toMatchObject({ status: "waiting_for_customer", action: { type: "approve_on_phone", phone: "+254722000000" }, providerToken: expect.stringMatching(/AUTRE$/) });
      expect(result.stored).toEqual({ oid: i.reference, sid: result.providerToken, flow: "push" });
      expect(await ipayProvider.getStatus(handle(i, result.stored), ctx())).toMatchObject({ status: "pending" });

      const before = env.receiver.received.length;
      expect((await answerPhone(env.world.base, "254722000000", result.providerToken!, "approve")).status).toBe(303);
      const [callback] = (await env.receiver.waitFor(before + 1)).slice(before);
      expect(callback!.path).toBe("/api/webhooks/ipay/autre");
      expect(ipayProvider.parseNotification(inbound(callback!))).toMatchObject({ lookup: { reference: i.reference }, claimedStatus: "aei7p7yrx4ae34" });

      const status = await ipayProvider.getStatus(handle(i, result.stored), ctx());
      expect(status).toMatchObject({ status: "paid", paidAmountMinor: 125_000, providerReference: expect.stringMatching(/^[A-Z0-9]{10}$/) });

      const paid = handle(i, result.stored, status.providerReference);
      expect(await ipayProvider.refund!({ payment: paid, amountMinor: 50_000 }, ctx())).toMatchObject({ status: "succeeded", providerReference: expect.any(String) });
      expect(await ipayProvider.refund!({ payment: paid, amountMinor: 75_000 }, ctx())).toMatchObject({ status: "succeeded" });
      expect(await ipayProvider.refund!({ payment: paid, amountMinor: 100 }, ctx())).toMatchObject({ status: "failed" });
    });

    it("a declined prompt reads as failed with M-Pesa's reason", async () => {
      const i = input({ flow: "push", customer: { name: "A", phone: "+254711223344", country: "KE" } });
      const result = await ipayProvider.initialize(i, ctx());
      const before = env.receiver.received.length;
      await answerPhone(env.world.base, "254711223344", result.providerToken!, "cancelled");
      await env.receiver.waitFor(before + 1);
      expect(await ipayProvider.getStatus(handle(i, result.stored), ctx())).toMatchObject({
        status: "failed",
        failureCode: "stk_cancelled",
        failureMessage: "The request was canceled by the user",
      });
    });

    it("refuses a non-Kenyan phone and non-M-Pesa methods before calling iPay", async () => {
      let calls = 0;
      const counting: typeof fetch = (...args) => ((calls += 1), fetch(...args));
      const foreign = await rejection(ipayProvider.initialize(input({ flow: "push", customer: { name: "A", phone: "+2250707070707", country: "CI" } }), ctx({ fetch: counting })));
      expect(foreign).toMatchObject({ code: "invalid_phone", retryable: false });
      expect(foreign.details.userMessage?.fr).toBeTruthy();
      expect((await rejection(ipayProvider.initialize(input({ flow: "push", method: "card" }), ctx({ fetch: counting })))).code).toBe("unsupported_flow");
      expect((await rejection(ipayProvider.initialize(input({ amountMinor: 500 }), ctx({ fetch: counting })))).code).toBe("amount_too_small");
      expect(calls).toBe(0);
    });
  });

  describe("errors", () => {
    it("a wrong security key is a configuration error, not retried", async () => {
      const wrong = ctx({ credentials: { vendorId: autre.vid, securityKey: "wrong" } });
      const init = await rejection(ipayProvider.initialize(input({ flow: "push" }), wrong));
      expect(init).toMatchObject({ code: "invalid_credentials", retryable: false, details: { httpStatus: 401 } });
      expect(init.details.userMessage?.en).toContain("misconfigured");
      expect(await rejection(ipayProvider.getStatus(handle(input()), wrong))).toMatchObject({ code: "invalid_credentials" });
    });

    it("init 5xx and timeout are retryable ProviderErrors", async () => {
      await setFaults(env.world.base, autre, { init: "5xx" });
      expect(await rejection(ipayProvider.initialize(input({ flow: "push" }), ctx()))).toMatchObject({ code: "provider_unavailable", retryable: true, details: { httpStatus: 503 } });
      await setFaults(env.world.base, autre, { init: "timeout" });
      const timedOut = await rejection(ipayProvider.initialize(input({ flow: "push" }), ctx({ timeoutMs: 300 })));
      expect(timedOut).toMatchObject({ code: "timeout", retryable: true });
      expect(timedOut.details.userMessage?.fr).toBeTruthy();
    });

    it("status 5xx, timeout and rate limiting are retryable ProviderErrors", async () => {
      let calls = 0;
      const counting: typeof fetch = (...args) => ((calls += 1), fetch(...args));
      const i = input();
      await setFaults(env.world.base, autre, { statusApi: "5xx" });
      expect(await rejection(ipayProvider.getStatus(handle(i), ctx({ fetch: counting })))).toMatchObject({ code: "provider_unavailable", retryable: true });
      // Search is idempotent: providerFetch tried it three times.
      expect(calls).toBe(3);
      await setFaults(env.world.base, autre, { statusApi: "timeout" });
      expect(await rejection(ipayProvider.getStatus(handle(i), ctx({ timeoutMs: 200 })))).toMatchObject({ code: "timeout", retryable: true });
      await setFaults(env.world.base, autre, { rateLimitPerMinute: 1 });
      env.world.clock.stoppedAt = new Date();
      try {
        await ipayProvider.getStatus(handle(i), ctx());
        expect(await rejection(ipayProvider.getStatus(handle(i), ctx()))).toMatchObject({ code: "rate_limited", retryable: true, details: { httpStatus: 429 } });
      } finally {
        env.world.clock.stoppedAt = undefined;
      }
    });

    it("refuses a /transact answer whose hash is not iPay's", async () => {
      const impostor = await startHost(() =>
        Response.json({ header_status: 200, status: 1, data: { sid: "SID1", oid: "X", amount: "1250.00", account: "", payment_channels: [{ name: "MPESA", paybill: "510800" }], hash: "00" } }),
      );
      try {
        const error = await rejection(ipayProvider.initialize(input({ flow: "push" }), ctx({ urls: { api: impostor.url, checkout: impostor.url, ipn: impostor.url } })));
        expect(error).toMatchObject({ code: "unexpected_response", retryable: false });
      } finally {
        await impostor.close();
      }
    });

    it("reads an empty /transact response hash as an absent one", async () => {
      const calls: string[] = [];
      const lenient = await startHost((req) => {
        calls.push(new URL(req.url).pathname);
        return new URL(req.url).pathname.endsWith("/push/mpesa")
          ? Response.json({ header_status: 200, status: 1, text: "Enter your M-Pesa PIN" })
          : Response.json({ header_status: 200, status: 1, data: { sid: "SID1", oid: "X", amount: "1250.00", account: "", payment_channels: [], hash: "" } });
      });
      try {
        const result = await ipayProvider.initialize(input({ flow: "push" }), ctx({ urls: { api: lenient.url, checkout: lenient.url, ipn: lenient.url } }));
        expect(result).toMatchObject({ status: "waiting_for_customer", providerToken: "SID1" });
        expect(calls).toEqual(["/transact", "/transact/push/mpesa"]);
      } finally {
        await lenient.close();
      }
    });

    it("cannot refund without the transaction code", async () => {
      expect(await rejection(ipayProvider.refund!({ payment: handle(input()), amountMinor: 100 }, ctx()))).toMatchObject({ code: "missing_transaction_code" });
    });
  });
});
