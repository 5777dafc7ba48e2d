import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import * as s from "@/db/schema";
import { seedDemo } from "@/db/seed";
import type { MerchantContext } from "@/lib/auth/membership";
import { placeLinkOrder } from "@/lib/checkout/place";
import { startAppHost } from "@/lib/testing/app-host";
import { RACES_NEED_A_SERVER, TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { seededMerchantContext } from "@/lib/testing/merchant-context";
import { createApiKey, hashApiKey, KEY_FORMAT, revokeApiKey } from "./keys";
import { openApiDocument } from "./openapi";

/**
 * The merchant API over real HTTP on both databases: the same apiResponse the route file calls,
 * served on a socket beside the simulators, on the seeded demo stores. Every answer of a documented
 * operation is validated against the OpenAPI document the same server publishes (its status must
 * be listed, its body must fit the schema): the spec is held to what is really served.
 */
type Sent = { status: number; headers: Headers; text: string; body: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(TEST_DATABASES)("merchant API on $name", ({ name, open }) => {
  let database: Database;
  let app: Awaited<ReturnType<typeof startAppHost>>;
  let demo: MerchantContext;
  let autre: MerchantContext;
  const keys = {} as Record<"demo" | "demoLive" | "autre" | "revoked", string>;

  const makeKey = async (ctx: MerchantContext, mode: "sandbox" | "live", label = "test") => {
    const made = await createApiKey(database.db, ctx, { name: label, mode });
    if (!made.ok) throw new Error(made.error);
    return made;
  };

  async function call(method: string, path: string, options: { key?: string | null; body?: unknown; raw?: string; headers?: Record<string, string>; host?: string } = {}): Promise<Sent> {
    const headers: Record<string, string> = { ...options.headers };
    const key = options.key === undefined ? keys.demo : options.key;
    if (key !== null) headers.authorization = `Bearer ${key}`;
    let body: string | undefined;
    if (options.raw !== undefined || options.body !== undefined) {
      body = options.raw ?? JSON.stringify(options.body);
      headers["content-type"] ??= "application/json";
    }
    const res = await fetch(`${options.host ?? app.url}/api/v1${path}`, { method, headers, body });
    const text = await res.text();
    const sent = { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : null };
    checkAgainstSpec(method, path, sent);
    return sent;
  }

  // The published document, and each (operation, status) a real answer was checked against.
  let spec: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  const validators = new Map<string, ValidateFunction>();
  const checked = new Set<string>();

  function checkAgainstSpec(method: string, path: string, sent: Sent) {
    if (!spec) return;
    const pathname = path.split("?")[0]!;
    const template = Object.keys(spec.paths).find((t) => new RegExp(`^${t.replace(/\{\w+\}/g, "[^/]+")}$`).test(pathname));
    const operation = template && spec.paths[template][method.toLowerCase()];
    if (!operation) return; // an unknown route or method: no operation to hold it to
    const response = operation.responses[String(sent.status)];
    expect(response, `${method} ${path} answered ${sent.status}, which the spec does not list for ${operation.operationId}`).toBeDefined();
    const ref = response.content["application/json"].schema.$ref as string;
    let validate = validators.get(ref);
    if (!validate) validators.set(ref, (validate = ajv.compile({ $ref: `spec${ref}` })));
    expect(validate(sent.body) ? [] : validate.errors, `${method} ${path} → ${sent.status}`).toEqual([]);
    checked.add(`${operation.operationId} ${sent.status}`);
  }

  /** Every error of the API has exactly this shape. */
  function expectError(res: Sent, status: number, type: string, code: string, param: string | null = null) {
    expect({ status: res.status, type: res.body?.error?.type, code: res.body?.error?.code, param: res.body?.error?.param }).toEqual({ status, type, code, param });
    expect(Object.keys(res.body).sort()).toEqual(["error"]);
    expect(Object.keys(res.body.error).sort()).toEqual(["code", "message", "param", "type"]);
    expect(res.body.error.message).toMatch(/\w/);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  }

  const paidPayment = async (merchantId: string, provider: "cinetpay" | "orange-money" = "cinetpay") => {
    const [row] = await database.db
      .select()
      .from(s.payments)
      .where(and(eq(s.payments.merchantId, merchantId), eq(s.payments.status, "paid"), eq(s.payments.provider, provider), sql`${s.payments.flagNote} is null and not exists (select 1 from refunds r where r.payment_id = ${s.payments.id})`))
      .orderBy(s.payments.id)
      .limit(1);
    if (!row) throw new Error("no paid payment left in the seed");
    // Taken once: each test refunds its own payment.
    await database.db.update(s.payments).set({ flagNote: "taken by a test" }).where(eq(s.payments.id, row.id));
    return row;
  };

  beforeAll(async () => {
    database = await open();
    await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY, orders: 60 });
    app = await startAppHost(database, { rateLimit: { requests: 10_000, windowMs: 60_000 } });
    demo = await seededMerchantContext(database, "owner@demo.test");
    autre = await seededMerchantContext(database, "owner@autre.test");
    keys.demo = (await makeKey(demo, "sandbox")).key;
    keys.demoLive = (await makeKey(demo, "live")).key;
    keys.autre = (await makeKey(autre, "sandbox")).key;
    const revoked = await makeKey(demo, "sandbox", "old");
    expect(await revokeApiKey(database.db, demo, { keyId: revoked.keyId })).toEqual({ ok: true });
    keys.revoked = revoked.key;
    const published = await fetch(`${app.url}/api/v1/openapi.json`);
    spec = await published.json();
    ajv.addSchema({ $id: "spec", components: spec.components });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  describe("OpenAPI document", () => {
    it("is served at /api/v1/openapi.json without a key, whatever the Authorization header, as the registry generates it", async () => {
      for (const headers of [{}, { authorization: `Bearer ${keys.revoked}` }, { authorization: "Basic x" }] as Record<string, string>[]) {
        const res = await fetch(`${app.url}/api/v1/openapi.json`, { headers });
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toMatch(/^application\/json/);
        expect(await res.json()).toEqual(openApiDocument(app.url));
      }
      expect(spec.servers).toEqual([{ url: `${app.url}/api/v1` }]);
      // Only GET is public: anything else goes through authentication like every route.
      expectError(await call("POST", "/openapi.json", { key: null, body: {} }), 401, "authentication_error", "missing_api_key");
      expectError(await call("GET", "/openapi.json/more", { key: null }), 401, "authentication_error", "missing_api_key");
    });

    it("lists only operations the server serves: each answers, none is an unknown route or method", async () => {
      for (const [template, item] of Object.entries(spec.paths) as [string, Record<string, unknown>][]) {
        for (const method of Object.keys(item)) {
          const res = await call(method.toUpperCase(), template.replace(/\{\w+\}/g, "nothing_here"), { body: method === "post" ? {} : undefined });
          expect(["unknown_route", "method_not_allowed"], `${method} ${template}`).not.toContain(res.body?.error?.code);
          expect([200, 400, 404], `${method} ${template}`).toContain(res.status);
        }
      }
    });
  });

  describe("keys", () => {
    it("are ck_test_/ck_live_ and 43 base62 characters, stored only as their SHA-256 with the last four", async () => {
      expect(keys.demo).toMatch(/^ck_test_[0-9A-Za-z]{43}$/);
      expect(keys.demoLive).toMatch(/^ck_live_[0-9A-Za-z]{43}$/);
      expect(KEY_FORMAT.test(keys.demo)).toBe(true);
      const rows = await database.db.select().from(s.apiKeys).where(eq(s.apiKeys.merchantId, demo.merchant.id));
      const row = rows.find((r) => r.keyHash === hashApiKey(keys.demo))!;
      expect(row).toMatchObject({ mode: "sandbox", lastFour: keys.demo.slice(-4), createdBy: demo.user.id });
      expect(JSON.stringify(rows)).not.toContain(keys.demo.slice(8));
    });

    it("refuse a name that is empty or too long, and staff (owner-only)", async () => {
      expect(await createApiKey(database.db, demo, { name: " ", mode: "sandbox" })).toMatchObject({ ok: false, fieldErrors: { name: "name_required" } });
      expect(await createApiKey(database.db, demo, { name: "x".repeat(61), mode: "live" })).toMatchObject({ ok: false, fieldErrors: { name: "too_long" } });
      expect(await createApiKey(database.db, demo, { name: "ok", mode: "prod" })).toMatchObject({ ok: false, fieldErrors: { mode: "mode_invalid" } });
      const staff = await seededMerchantContext(database, "staff@demo.test");
      expect(await createApiKey(database.db, staff, { name: "mine", mode: "sandbox" })).toEqual({ ok: false, error: "forbidden" });
    });

    it("cannot be revoked from another store (not found)", async () => {
      const [row] = await database.db.select({ id: s.apiKeys.id }).from(s.apiKeys).where(eq(s.apiKeys.keyHash, hashApiKey(keys.demo)));
      expect(await revokeApiKey(database.db, autre, { keyId: row!.id })).toEqual({ ok: false, error: "not_found" });
      expect((await call("GET", "/payments?limit=1")).status).toBe(200);
    });

    it("write 'last used' once, not on every request", async () => {
      const fresh = await makeKey(demo, "sandbox", "fresh");
      const lastUsed = async () => (await database.db.select({ at: s.apiKeys.lastUsedAt }).from(s.apiKeys).where(eq(s.apiKeys.id, fresh.keyId)))[0]!.at;
      expect(await lastUsed()).toBeNull();
      expect((await call("GET", "/payments?limit=1", { key: fresh.key })).status).toBe(200);
      const first = await lastUsed();
      expect(first).toBeInstanceOf(Date);
      expect((await call("GET", "/payments?limit=1", { key: fresh.key })).status).toBe(200);
      expect(await lastUsed()).toEqual(first);
      // A minute later it moves again.
      await database.db.update(s.apiKeys).set({ lastUsedAt: new Date(first!.getTime() - 61_000) }).where(eq(s.apiKeys.id, fresh.keyId));
      expect((await call("GET", "/payments?limit=1", { key: fresh.key })).status).toBe(200);
      expect((await lastUsed())!.getTime()).toBeGreaterThan(first!.getTime() - 61_000);
    });
  });

  describe("authentication", () => {
    it("answers 401 without a key, with a malformed header or key, and with a revoked one", async () => {
      expectError(await call("GET", "/payments", { key: null }), 401, "authentication_error", "missing_api_key");
      expectError(await call("GET", "/payments", { key: null, headers: { authorization: `Basic ${keys.demo}` } }), 401, "authentication_error", "invalid_authorization");
      expectError(await call("GET", "/payments", { key: "ck_test_short" }), 401, "authentication_error", "invalid_api_key");
      expectError(await call("GET", "/payments", { key: `ck_test_${"A".repeat(43)}` }), 401, "authentication_error", "invalid_api_key");
      const revoked = await call("GET", "/payments", { key: keys.revoked });
      expectError(revoked, 401, "authentication_error", "invalid_api_key");
      expect(revoked.headers.get("www-authenticate")).toMatch(/^Bearer/);
      // A POST without a key is refused before its body or its idempotency key is looked at.
      expectError(await call("POST", "/refunds", { key: keys.revoked, raw: "{", headers: { "idempotency-key": "k1" } }), 401, "authentication_error", "invalid_api_key");
    });
  });

  describe("error shapes", () => {
    it("answers bad input with 4xx in the one shape, never a 500", async () => {
      expectError(await call("POST", "/refunds", { raw: "{not json" }), 400, "invalid_request_error", "invalid_json");
      expectError(await call("POST", "/refunds", { raw: "", headers: {} }), 400, "invalid_request_error", "invalid_json");
      expectError(await call("POST", "/refunds", { raw: "payment=x", headers: { "content-type": "application/x-www-form-urlencoded" } }), 415, "invalid_request_error", "unsupported_content_type");
      expectError(await call("POST", "/refunds", { raw: JSON.stringify({ reason: "x".repeat(70_000) }) }), 413, "invalid_request_error", "body_too_large");
      expectError(await call("POST", "/refunds", { raw: '{"payment":"pay_\\u0000x","amount":5}' }), 400, "invalid_request_error", "invalid_characters");
      expectError(await call("POST", "/refunds", { raw: '{"payment":"\\ud800","amount":5}' }), 400, "invalid_request_error", "invalid_characters");
      expectError(await call("POST", "/refunds", { body: { payment: "pay_x", amount: "5" } }), 400, "invalid_request_error", "parameter_invalid", "amount");
      expectError(await call("POST", "/refunds", { body: { payment: "pay_x", amount: 1.5 } }), 400, "invalid_request_error", "parameter_invalid", "amount");
      expectError(await call("POST", "/refunds", { body: { payment: "pay_x", amount: 5, extra: true } }), 400, "invalid_request_error", "parameter_unknown", "extra");
      expectError(await call("POST", "/refunds", { body: [1, 2] }), 400, "invalid_request_error", "parameter_invalid");
      expectError(await call("GET", "/payments?limit=0"), 400, "invalid_request_error", "parameter_invalid", "limit");
      expectError(await call("GET", "/payments?limit=1&limit=2"), 400, "invalid_request_error", "parameter_invalid", "limit");
      expectError(await call("GET", "/payments?colour=red"), 400, "invalid_request_error", "parameter_unknown", "colour");
      expectError(await call("GET", "/payments?starting_after=%00"), 400, "invalid_request_error", "invalid_url");
      expectError(await call("GET", "/payments/pay_%00"), 400, "invalid_request_error", "invalid_url");
      expectError(await call("GET", "/payments/not%20an%20id"), 404, "invalid_request_error", "resource_missing", "id");
      expectError(await call("GET", "/payments/pay_doesnotexist"), 404, "invalid_request_error", "resource_missing", "id");
      expectError(await call("GET", "/nothing"), 404, "invalid_request_error", "unknown_route");
      expectError(await call("GET", "/payments/pay_x/more"), 404, "invalid_request_error", "unknown_route");
      const wrongMethod = await call("DELETE", "/payments");
      expectError(wrongMethod, 405, "invalid_request_error", "method_not_allowed");
      expect(wrongMethod.headers.get("allow")).toBe("GET");
      expectError(await call("POST", "/refunds", { body: { payment: "pay_x", amount: 5 }, headers: { "idempotency-key": "bad key with spaces" } }), 400, "idempotency_error", "idempotency_key_invalid");
    });
  });

  describe("payments", () => {
    it("pages through the key's store and mode, newest first, in keyset order", async () => {
      const expected = await database.db
        .select({ id: s.payments.id })
        .from(s.payments)
        .where(and(eq(s.payments.merchantId, demo.merchant.id), eq(s.payments.mode, "sandbox")))
        .orderBy(desc(s.payments.createdAt), desc(s.payments.id));
      expect(expected.length).toBeGreaterThan(20);
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 50; page++) {
        const res = await call("GET", `/payments?limit=7${cursor ? `&starting_after=${cursor}` : ""}`);
        expect(res.status).toBe(200);
        expect(res.body.object).toBe("list");
        seen.push(...res.body.data.map((p: { id: string }) => p.id));
        if (!res.body.has_more) break;
        expect(res.body.data).toHaveLength(7);
        cursor = res.body.data.at(-1).id;
      }
      expect(seen).toEqual(expected.map((r) => r.id));
      // The default page is 10.
      expect((await call("GET", "/payments")).body.data).toHaveLength(10);
    });

    it("shows one payment with its status, provider, method, fee, net and settlement date", async () => {
      const payment = await paidPayment(demo.merchant.id);
      const res = await call("GET", `/payments/${payment.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id: payment.id,
        object: "payment",
        order: payment.orderId,
        reference: payment.reference,
        status: "paid",
        provider: "cinetpay",
        method: payment.method,
        livemode: false,
        amount: payment.amountMinor,
        currency: payment.currency,
        fee: payment.feeReportedMinor ?? payment.feeEstimatedMinor,
        fee_estimated: payment.feeReportedMinor === null,
        net: payment.netMinor,
        settlement_date: payment.settlementDate,
        settlement_reported: payment.settlementReported,
        paid_at: payment.paidAt!.toISOString(),
        created: payment.createdAt.toISOString(),
      });
    });

    it("keeps the modes apart: a live key sees none of the sandbox payments", async () => {
      const payment = await paidPayment(demo.merchant.id, "orange-money");
      expect(await call("GET", "/payments", { key: keys.demoLive })).toMatchObject({ status: 200, body: { object: "list", data: [], has_more: false } });
      expectError(await call("GET", `/payments/${payment.id}`, { key: keys.demoLive }), 404, "invalid_request_error", "resource_missing", "id");
    });
  });

  describe("refunds", () => {
    it("refunds through the dashboard's service, within what was collected", async () => {
      const payment = await paidPayment(demo.merchant.id);
      expectError(await call("POST", "/refunds", { body: { payment: payment.id, amount: payment.amountMinor + 5 } }), 422, "invalid_request_error", "refund_amount_invalid", "amount");
      const res = await call("POST", "/refunds", { body: { payment: payment.id, amount: payment.amountMinor, reason: "returned" } });
      expect(res.status).toBe(201);
      // CinetPay has no refund API: recorded as manual, with the instructions to send the money back.
      expect(res.body).toMatchObject({ object: "refund", payment: payment.id, amount: payment.amountMinor, currency: payment.currency, status: "succeeded", kind: "manual", reason: "returned" });
      expect(res.body.instructions).toMatch(/mobile money/);
      expect(await call("GET", `/refunds/${res.body.id}`)).toMatchObject({ status: 200, body: res.body });
      expect((await call("GET", `/payments/${payment.id}`)).body.status).toBe("refunded");
      const [event] = await database.db.select().from(s.paymentEvents).where(and(eq(s.paymentEvents.paymentId, payment.id), eq(s.paymentEvents.type, "refund")));
      expect(event!.actor).toMatch(/^api:key_/);
      expectError(await call("POST", "/refunds", { body: { payment: payment.id, amount: 5 } }), 422, "invalid_request_error", "not_refundable");
      expectError(await call("GET", "/refunds/rfd_doesnotexist"), 404, "invalid_request_error", "resource_missing", "id");
    });
  });

  describe("payment links", () => {
    it("creates fixed and open links under the dashboard's rules, recording the key's mode", async () => {
      const fixed = await call("POST", "/payment-links", { body: { title: "Pagne wax", amount: 15_000 } });
      expect(fixed.status).toBe(201);
      expect(fixed.body).toMatchObject({ object: "payment_link", title: "Pagne wax", amount: 15_000, currency: demo.merchant.currency, active: true, livemode: false, min_amount: null, max_amount: null });
      expect(fixed.body.url).toBe(`${app.url}/pay/${fixed.body.id}`);
      const live = await call("POST", "/payment-links", { key: keys.demoLive, body: { title: "Don", min_amount: 1_000, max_amount: 50_000 } });
      expect(live.status).toBe(201);
      expect(live.body).toMatchObject({ amount: null, min_amount: 1_000, max_amount: 50_000, livemode: true });
      const modes = await database.db.select({ id: s.paymentLinks.id, mode: s.paymentLinks.mode }).from(s.paymentLinks).where(inArray(s.paymentLinks.id, [fixed.body.id, live.body.id]));
      expect(Object.fromEntries(modes.map((m) => [m.id, m.mode]))).toEqual({ [fixed.body.id]: "sandbox", [live.body.id]: "live" });

      expectError(await call("POST", "/payment-links", { body: { title: "Don", min_amount: 5_000, max_amount: 1_000 } }), 422, "invalid_request_error", "bounds_order", "max_amount");
      expectError(await call("POST", "/payment-links", { body: { title: "Don", min_amount: 1 } }), 422, "invalid_request_error", "below_providers", "min_amount");
      expectError(await call("POST", "/payment-links", { body: { title: "Don", amount: 100, max_amount: 1_000 } }), 400, "invalid_request_error", "parameter_invalid", "min_amount");
      // A fixed amount a provider of the store could not take (CinetPay: multiples of 5 F CFA) is refused before any link exists.
      expectError(await call("POST", "/payment-links", { body: { title: "Impayable", amount: 1_002 } }), 422, "invalid_request_error", "amount_not_accepted", "amount");
      expectError(await call("POST", "/payment-links", { body: { title: "" } }), 400, "invalid_request_error", "parameter_invalid", "title");

      // The sandbox key lists its own links and the dashboard's, not the live key's.
      const listed = await call("GET", "/payment-links?limit=100");
      const ids = listed.body.data.map((l: { id: string }) => l.id);
      expect(ids).toContain(fixed.body.id);
      expect(ids).not.toContain(live.body.id);
      const seeded = await database.db.select({ id: s.paymentLinks.id }).from(s.paymentLinks).where(and(eq(s.paymentLinks.merchantId, demo.merchant.id), sql`${s.paymentLinks.mode} is null`));
      for (const link of seeded) expect(ids).toContain(link.id);
    });
  });

  describe("modes", () => {
    it("pays a live key's link in live and a sandbox key's in the simulators, whatever the account's mode", async () => {
      const link = await call("POST", "/payment-links", { body: { title: "Sandbox only", amount: 2_500 } });
      const liveLink = await call("POST", "/payment-links", { key: keys.demoLive, body: { title: "Live only", amount: 2_500 } });
      const deps = { db: database.db, payments: async () => app.deps(), t: (key: string) => `t:${key}` };
      const form = (link: string) => {
        const data = new FormData();
        for (const [k, v] of Object.entries({ link, name: "Aminata Traoré", country: "CI", phone: "0707070707", locale: "en", option: "cinetpay.mobile_money.hosted" })) data.set(k, v);
        return data;
      };
      const paymentOf = async (linkId: string) =>
        (await database.db.select({ mode: s.payments.mode, status: s.payments.status, failureCode: s.payments.failureCode }).from(s.payments).innerJoin(s.orders, eq(s.orders.id, s.payments.orderId)).where(eq(s.orders.paymentLinkId, linkId)))[0];

      // The account is in sandbox and has no live credentials: the live key's link is tried in live,
      // with none (no call is made), and the shopper lands on the order page that says so.
      expect(await placeLinkOrder(deps, form(liveLink.body.id))).toMatch(/^\/orders\/ord_/);
      expect(await paymentOf(liveLink.body.id)).toEqual({ mode: "live", status: "failed", failureCode: "credentials_missing" });

      // The account goes live (with a live set): the sandbox key's link still pays in the simulators.
      const account = and(eq(s.providerAccounts.merchantId, demo.merchant.id), eq(s.providerAccounts.provider, "cinetpay"));
      const [row] = await database.db.select().from(s.providerAccounts).where(account);
      await database.db.update(s.providerAccounts).set({ mode: "live", livePublicId: `${row!.sandboxPublicId}-live`, liveCredentialsEncrypted: row!.sandboxCredentialsEncrypted }).where(account);
      try {
        expect(await placeLinkOrder(deps, form(link.body.id))).toMatch(/\/sandbox\/cinetpay\/payment\//);
        expect(await paymentOf(link.body.id)).toMatchObject({ mode: "sandbox", status: "pending" });
      } finally {
        await database.db.update(s.providerAccounts).set({ mode: "sandbox", livePublicId: null, liveCredentialsEncrypted: null }).where(account);
      }
    });
  });

  describe("idempotency", () => {
    it("replays the first answer for the same key and body, refuses another body with 409, and scopes keys per API key", async () => {
      const payment = await paidPayment(demo.merchant.id);
      const body = { payment: payment.id, amount: 100 };
      const first = await call("POST", "/refunds", { body, headers: { "idempotency-key": "refund-1" } });
      expect(first.status).toBe(201);
      const again = await call("POST", "/refunds", { body, headers: { "idempotency-key": "refund-1" } });
      // Byte for byte: the first answer's very text.
      expect({ status: again.status, text: again.text, replayed: again.headers.get("idempotent-replayed") }).toEqual({ status: 201, text: first.text, replayed: "true" });
      expectError(await call("POST", "/refunds", { body: { ...body, amount: 200 }, headers: { "idempotency-key": "refund-1" } }), 409, "idempotency_error", "idempotency_key_reused");
      const rows = await database.db.select().from(s.refunds).where(eq(s.refunds.paymentId, payment.id));
      expect(rows.map((r) => r.amountMinor)).toEqual([100]);

      // An error answer is replayed too: the request was understood and refused.
      const refused = await call("POST", "/refunds", { body: { payment: payment.id, amount: 10 ** 12 }, headers: { "idempotency-key": "refund-2" } });
      expectError(refused, 422, "invalid_request_error", "refund_amount_invalid", "amount");
      expect((await call("POST", "/refunds", { body: { payment: payment.id, amount: 10 ** 12 }, headers: { "idempotency-key": "refund-2" } })).headers.get("idempotent-replayed")).toBe("true");

      // Another store's key with the same Idempotency-Key runs its own request (and finds no such payment).
      expectError(await call("POST", "/refunds", { key: keys.autre, body, headers: { "idempotency-key": "refund-1" } }), 404, "invalid_request_error", "resource_missing", "payment");
    });

    it("never refunds twice for one Idempotency-Key sent again with the store's other key (a key rotated between a lost answer and its retry)", async () => {
      const payment = await paidPayment(demo.merchant.id);
      const body = { payment: payment.id, amount: 100 };
      const first = await call("POST", "/refunds", { body, headers: { "idempotency-key": "rotated" } });
      expect(first.status).toBe(201);
      const rotated = (await makeKey(demo, "sandbox", "rotated")).key;
      const retry = await call("POST", "/refunds", { key: rotated, body, headers: { "idempotency-key": "rotated" } });
      expect({ status: retry.status, id: retry.body.id }).toEqual({ status: 201, id: first.body.id });
      const rows = await database.db.select().from(s.refunds).where(eq(s.refunds.paymentId, payment.id));
      expect(rows.map((r) => r.amountMinor)).toEqual([100]);
      // Another amount under the same key is another request: refused, not answered with the first refund.
      const third = (await makeKey(demo, "sandbox", "third")).key;
      expectError(await call("POST", "/refunds", { key: third, body: { ...body, amount: 200 }, headers: { "idempotency-key": "rotated" } }), 409, "idempotency_error", "idempotency_key_reused");
      expect((await database.db.select().from(s.refunds).where(eq(s.refunds.paymentId, payment.id))).map((r) => r.amountMinor)).toEqual([100]);
    });

    it("forgets a key after 24 hours", async () => {
      const body = { title: "Once a day", amount: 2_000 };
      const first = await call("POST", "/payment-links", { body, headers: { "idempotency-key": "daily" } });
      expect((await call("POST", "/payment-links", { body, headers: { "idempotency-key": "daily" } })).body.id).toBe(first.body.id);
      await database.db.update(s.apiIdempotencyKeys).set({ createdAt: new Date(Date.now() - 24 * 60 * 60_000 - 1_000) }).where(eq(s.apiIdempotencyKeys.key, "daily"));
      const later = await call("POST", "/payment-links", { body, headers: { "idempotency-key": "daily" } });
      expect(later.status).toBe(201);
      expect(later.headers.get("idempotent-replayed")).toBeNull();
      expect(later.body.id).not.toBe(first.body.id);
    });

    it.skipIf(name === "pglite")(`runs one of two concurrent requests with the same key, never both (${RACES_NEED_A_SERVER})`, async () => {
      for (let round = 0; round < 3; round++) {
        const payment = await paidPayment(demo.merchant.id, round % 2 ? "orange-money" : "cinetpay");
        const body = { payment: payment.id, amount: 100 };
        const answers = await Promise.all(Array.from({ length: 6 }, () => call("POST", "/refunds", { body, headers: { "idempotency-key": `race-${round}` } })));
        const ran = answers.filter((a) => a.status === 201 && a.headers.get("idempotent-replayed") === null);
        expect(ran).toHaveLength(1);
        for (const a of answers) {
          if (a.status === 201) expect(a.text).toBe(ran[0]!.text);
          else expectError(a, 409, "idempotency_error", "idempotency_key_in_use");
        }
        const rows = await database.db.select().from(s.refunds).where(eq(s.refunds.paymentId, payment.id));
        expect(rows).toHaveLength(1);
      }
    });
  });

  describe("isolation", () => {
    it("gives a key nothing of another store's through any route: 404, never 403", async () => {
      const payment = await paidPayment(demo.merchant.id);
      const refund = await call("POST", "/refunds", { body: { payment: payment.id, amount: 100 } });
      expect(refund.status).toBe(201);
      const link = await call("POST", "/payment-links", { body: { title: "Demo only", amount: 1_000 } });
      const session = await call("POST", "/checkout-sessions", { body: { amount: 5_000, currency: "XOF", success_url: "https://shop.example/paid", cancel_url: "https://shop.example/cart" } });
      expect(session.status).toBe(201);
      expect((await call("GET", `/checkout-sessions/${session.body.id}`)).body).toMatchObject({ id: session.body.id, status: "open", amount: 5_000, livemode: false });
      const endpoint = await call("POST", "/webhook-endpoints", { body: { url: "http://127.0.0.1:9/caisse-hooks", enabled_events: ["payment.paid"] } });
      expect(endpoint.status).toBe(201);
      expect(endpoint.body.secret).toMatch(/^whsec_/);
      expect((await call("GET", `/webhook-endpoints/${endpoint.body.id}`)).body).not.toHaveProperty("secret");
      expect((await call("GET", "/webhook-endpoints?limit=100")).body.data.map((e: { id: string }) => e.id)).toContain(endpoint.body.id);
      const other = { key: keys.autre };
      expectError(await call("GET", `/checkout-sessions/${session.body.id}`, other), 404, "invalid_request_error", "resource_missing", "id");
      expectError(await call("GET", `/webhook-endpoints/${endpoint.body.id}`, other), 404, "invalid_request_error", "resource_missing", "id");
      expect((await call("GET", "/webhook-endpoints?limit=100", other)).body.data.map((e: { id: string }) => e.id)).not.toContain(endpoint.body.id);
      expectError(await call("GET", `/webhook-endpoints?starting_after=${endpoint.body.id}`, other), 400, "invalid_request_error", "resource_missing", "starting_after");
      expectError(await call("DELETE", `/webhook-endpoints/${endpoint.body.id}`, other), 404, "invalid_request_error", "resource_missing", "id");
      expect((await call("GET", `/webhook-endpoints/${endpoint.body.id}`)).status).toBe(200);
      expect(await call("DELETE", `/webhook-endpoints/${endpoint.body.id}`)).toMatchObject({ status: 200, body: { id: endpoint.body.id, object: "webhook_endpoint", deleted: true } });
      expectError(await call("DELETE", `/webhook-endpoints/${endpoint.body.id}`), 404, "invalid_request_error", "resource_missing", "id");
      expectError(await call("GET", `/webhook-endpoints/${endpoint.body.id}`), 404, "invalid_request_error", "resource_missing", "id");

      expectError(await call("GET", `/payments/${payment.id}`, other), 404, "invalid_request_error", "resource_missing", "id");
      expectError(await call("GET", `/refunds/${refund.body.id}`, other), 404, "invalid_request_error", "resource_missing", "id");
      expectError(await call("POST", "/refunds", { ...other, body: { payment: payment.id, amount: 100 } }), 404, "invalid_request_error", "resource_missing", "payment");
      expectError(await call("GET", `/payments?starting_after=${payment.id}`, other), 400, "invalid_request_error", "resource_missing", "starting_after");
      expectError(await call("GET", `/payment-links?starting_after=${link.body.id}`, other), 400, "invalid_request_error", "resource_missing", "starting_after");
      const theirs = await call("GET", "/payments?limit=100", other);
      expect(theirs.body.data.length).toBeGreaterThan(0);
      expect(theirs.body.data.every((p: { id: string }) => p.id !== payment.id)).toBe(true);
      const ownIds = new Set((await database.db.select({ id: s.payments.id }).from(s.payments).where(eq(s.payments.merchantId, autre.merchant.id))).map((r) => r.id));
      expect(theirs.body.data.every((p: { id: string }) => ownIds.has(p.id))).toBe(true);
      const links = await call("GET", "/payment-links?limit=100", other);
      expect(links.body.data.map((l: { id: string }) => l.id)).not.toContain(link.body.id);
      // Nothing was refunded by the other store's attempt.
      expect((await database.db.select().from(s.refunds).where(eq(s.refunds.paymentId, payment.id))).map((r) => r.amountMinor)).toEqual([100]);
    });
  });

  describe("rate limit", () => {
    it("answers 429 with Retry-After past the key's limit, counted across instances, per key", async () => {
      const limited = { requests: 3, windowMs: 60_000 };
      const [one, two] = [await startAppHost(database, { rateLimit: limited }), await startAppHost(database, { rateLimit: limited })];
      try {
        const key = (await makeKey(demo, "sandbox", "limited")).key;
        const statuses = [];
        for (const host of [one.url, two.url, one.url]) statuses.push((await call("GET", "/payments?limit=1", { key, host })).status);
        expect(statuses).toEqual([200, 200, 200]);
        const over = await call("GET", "/payments?limit=1", { key, host: two.url });
        expectError(over, 429, "rate_limit_error", "rate_limited");
        const retryAfter = Number(over.headers.get("retry-after"));
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(60);
        // Another key has its own count.
        expect((await call("GET", "/payments?limit=1", { key: (await makeKey(demo, "sandbox", "other")).key, host: one.url })).status).toBe(200);
      } finally {
        await one.close();
        await two.close();
      }
    });
  });

  describe("answers against the OpenAPI document", () => {
    it("checked a real success answer of every documented operation, and the error answers, against the spec's schemas", () => {
      const operations = Object.values(spec.paths).flatMap((item) => Object.values(item as Record<string, { operationId: string; responses: Record<string, unknown> }>));
      for (const op of operations) {
        const success = Object.keys(op.responses).find((status) => status.startsWith("2"));
        expect(checked, op.operationId).toContain(`${op.operationId} ${success}`);
      }
      for (const answer of ["getPayment 404", "createRefund 400", "createRefund 409", "createRefund 413", "createRefund 415", "createRefund 422", "listPayments 401", "listPayments 429"]) expect(checked).toContain(answer);
    });
  });
});
