import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import * as s from "@/db/schema";
import { seedDemo } from "@/db/seed";
import type { MerchantContext } from "@/lib/auth/membership";
import { placeSessionOrder, retryOrder } from "@/lib/checkout/place";
import { startAppHost } from "@/lib/testing/app-host";
import { RACES_NEED_A_SERVER, TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { seededMerchantContext } from "@/lib/testing/merchant-context";
import { eventually, statusOf, submitForm } from "@/lib/testing/payments";
import { successUrlFor } from "@/lib/checkout-sessions/read";
import { renderPayload } from "@/lib/webhooks/render";
import { createApiKey } from "./keys";

/**
 * Checkout sessions through the API over real HTTP on both databases, and their page's server
 * side (placeSessionOrder, what the page's form action runs) paying through the simulators on the
 * same host: nothing mocked.
 */
type Sent = { status: number; headers: Headers; text: string; body: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

const SHOP = { success_url: "https://shop.example/merci", cancel_url: "https://shop.example/panier" };

describe.each(TEST_DATABASES)("checkout sessions on $name", ({ name, open }) => {
  let database: Database;
  let app: Awaited<ReturnType<typeof startAppHost>>;
  let demo: MerchantContext;
  const keys = {} as Record<"demo" | "demoLive" | "autre", string>;

  async function call(method: string, path: string, options: { key?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Sent> {
    const headers: Record<string, string> = { authorization: `Bearer ${options.key ?? keys.demo}`, ...options.headers };
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(`${app.url}/api/v1${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : null };
  }
  const create = (body: Record<string, unknown>, key?: string) => call("POST", "/checkout-sessions", { key, body: { currency: "XOF", ...SHOP, ...body } });

  function expectError(res: Sent, status: number, code: string, param: string | null) {
    expect({ status: res.status, type: res.body?.error?.type, code: res.body?.error?.code, param: res.body?.error?.param }).toEqual({ status, type: "invalid_request_error", code, param });
    expect(Object.keys(res.body.error).sort()).toEqual(["code", "message", "param", "type"]);
  }

  const placeDeps = (now?: Date) => ({ db: database.db, payments: async () => app.deps(), t: (key: string) => `t:${key}`, ...(now ? { now: () => now } : {}) });
  const form = (fields: Record<string, string>) => {
    const data = new FormData();
    for (const [k, v] of Object.entries({ name: "Aminata Traoré", country: "CI", phone: "0707070707", locale: "fr", option: "cinetpay.mobile_money.hosted", ...fields })) data.set(k, v);
    return data;
  };
  const sessionRow = async (id: string) => (await database.db.select().from(s.checkoutSessions).where(eq(s.checkoutSessions.id, id)))[0]!;
  const paymentsOfOrder = (orderId: string) => database.db.select().from(s.payments).where(eq(s.payments.orderId, orderId));

  /** Pays the session's order on CinetPay's sandbox page, as the shopper would. */
  async function payOnCinetPay(pageUrl: string, orderId: string) {
    const submitted = await submitForm(pageUrl, { action: "pay", method: "OM", phone: "0707070707", outcome: "accepted" });
    expect(submitted.status).toBe(303);
    const [payment] = await paymentsOfOrder(orderId);
    await eventually(statusOf(database, payment!.id), (st) => st === "paid");
    return payment!;
  }

  beforeAll(async () => {
    database = await open();
    await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY, orders: 5 });
    // Live calls go to a closed port: a live payment fails there, never at a real provider.
    app = await startAppHost(database, { rateLimit: { requests: 10_000, windowMs: 60_000 }, liveUrl: "http://127.0.0.1:9" });
    demo = await seededMerchantContext(database, "owner@demo.test");
    const autre = await seededMerchantContext(database, "owner@autre.test");
    const key = async (ctx: MerchantContext, mode: "sandbox" | "live") => {
      const made = await createApiKey(database.db, ctx, { name: "sessions", mode });
      if (!made.ok) throw new Error(made.error);
      return made.key;
    };
    keys.demo = await key(demo, "sandbox");
    keys.demoLive = await key(demo, "live");
    keys.autre = await key(autre, "sandbox");
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it("creates a session with an amount and reads it back: open, its page's url, no payment yet", async () => {
    const made = await create({ amount: 2_500, client_reference: "CMD-1001", customer: { name: "Awa Koné", email: "awa@example.com", phone: "+2250707070707", country: "CI" }, metadata: { cart: "42" } });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      object: "checkout_session",
      status: "open",
      livemode: false,
      amount: 2_500,
      currency: "XOF",
      line_items: null,
      client_reference: "CMD-1001",
      customer: { name: "Awa Koné", email: "awa@example.com", phone: "+2250707070707", country: "CI" },
      metadata: { cart: "42" },
      ...SHOP,
      payment_id: null,
      completed_at: null,
    });
    expect(made.body.id).toMatch(/^cs_[0-9A-Za-z]{22}$/);
    expect(made.body.url).toBe(`${app.url}/checkout/${made.body.id}`);
    // The default expiry: 24 hours.
    expect(Date.parse(made.body.expires_at) - Date.parse(made.body.created)).toBe(24 * 3600_000);
    expect(made.body.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const read = await call("GET", `/checkout-sessions/${made.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(made.body);
    expect(await sessionRow(made.body.id)).toMatchObject({ merchantId: demo.merchant.id, mode: "sandbox", orderId: null });
  });

  it("totals line items, and the order gets the same lines", async () => {
    const made = await create({ line_items: [{ name: "Pagne wax", unit_amount: 1_500, quantity: 2 }, { name: "Livraison", unit_amount: 1_000, quantity: 1 }] });
    expect(made.status).toBe(201);
    expect({ amount: made.body.amount, lines: made.body.line_items }).toEqual({
      amount: 4_000,
      lines: [{ name: "Pagne wax", unit_amount: 1_500, quantity: 2 }, { name: "Livraison", unit_amount: 1_000, quantity: 1 }],
    });
    const target = await placeSessionOrder(placeDeps(), form({ session: made.body.id }));
    expect(target).toMatch(/\/sandbox\/cinetpay\/payment\//);
    const { orderId } = await sessionRow(made.body.id);
    const items = await database.db.select({ name: s.orderItems.name, unit: s.orderItems.unitPriceMinor, quantity: s.orderItems.quantity }).from(s.orderItems).where(eq(s.orderItems.orderId, orderId!));
    expect(items.sort((a, b) => a.name.localeCompare(b.name))).toEqual([{ name: "Livraison", unit: 1_000, quantity: 1 }, { name: "Pagne wax", unit: 1_500, quantity: 2 }]);
  });

  it("refuses bad input with the field at fault, and writes nothing", async () => {
    const before = await database.db.$count(s.checkoutSessions);
    expectError(await create({}), 400, "parameter_invalid", "amount");
    expectError(await create({ amount: 1_000, line_items: [{ name: "x", unit_amount: 1_000, quantity: 1 }] }), 400, "parameter_invalid", "line_items");
    expectError(await create({ amount: 10.5 }), 400, "parameter_invalid", "amount");
    expectError(await create({ amount: -5 }), 400, "parameter_invalid", "amount");
    expectError(await create({ line_items: [{ name: "x", unit_amount: 100, quantity: 0 }] }), 400, "parameter_invalid", "line_items.0.quantity");
    expectError(await create({ amount: 1_000, currency: "KES" }), 400, "currency_invalid", "currency");
    expectError(await create({ amount: 1_000, shipping: true }), 400, "parameter_unknown", "shipping");
    // Below and above what every provider of the store takes (CFA: 100 to 1 500 000).
    expectError(await create({ amount: 50 }), 400, "amount_too_low", "amount");
    expectError(await create({ line_items: [{ name: "Moto", unit_amount: 1_000_000, quantity: 2 }] }), 400, "amount_too_high", "line_items");
    // Return URLs: absolute http(s), no credentials, https but on localhost for a test key.
    for (const bad of ["javascript:alert(1)", "/merci", "data:text/html,hi", "ftp://shop.example/", "https://user:pw@shop.example/", "http://shop.example/merci", "http://localhost.example.com/"]) {
      expectError(await create({ amount: 1_000, success_url: bad }), 400, "url_invalid", "success_url");
    }
    expectError(await create({ amount: 1_000, cancel_url: "https://shop.example/a b" }), 400, "parameter_invalid", "cancel_url");
    // Metadata: Stripe's limits.
    expectError(await create({ amount: 1_000, metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"])) }), 400, "parameter_invalid", "metadata");
    expectError(await create({ amount: 1_000, metadata: { ["k".repeat(41)]: "v" } }), 400, "parameter_invalid", `metadata.${"k".repeat(41)}`);
    expectError(await create({ amount: 1_000, metadata: { k: "v".repeat(501) } }), 400, "parameter_invalid", "metadata.k");
    expectError(await create({ amount: 1_000, metadata: { k: 5 } }), 400, "parameter_invalid", "metadata.k");
    // Expiry: 30 minutes to 24 hours away.
    const at = (ms: number) => new Date(Date.now() + ms).toISOString();
    expectError(await create({ amount: 1_000, expires_at: at(10 * 60_000) }), 400, "expires_at_invalid", "expires_at");
    expectError(await create({ amount: 1_000, expires_at: at(25 * 3600_000) }), 400, "expires_at_invalid", "expires_at");
    expectError(await create({ amount: 1_000, expires_at: at(-3600_000) }), 400, "expires_at_invalid", "expires_at");
    expectError(await create({ amount: 1_000, expires_at: Math.floor(Date.now() / 1000) + 3600 }), 400, "parameter_invalid", "expires_at");
    expectError(await create({ amount: 1_000, expires_at: "tomorrow" }), 400, "parameter_invalid", "expires_at");
    expectError(await create({ amount: 1_000, customer: { country: "ci" } }), 400, "parameter_invalid", "customer.country");
    expect(await database.db.$count(s.checkoutSessions)).toBe(before);

    // Limits met exactly are accepted; a test key may send the shopper back to http on localhost.
    const inAnHour = at(3600_000);
    const ok = await create({ amount: 1_000, expires_at: inAnHour.replace("Z", "+00:00"), success_url: "http://localhost:4000/ok?x=1", metadata: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`.padEnd(40, "x"), "v".repeat(500)])) });
    expect(ok.status).toBe(201);
    expect(ok.body.expires_at).toBe(inAnHour);
    // A live key may not.
    expectError(await create({ amount: 1_000, cancel_url: "http://localhost:4000/" }, keys.demoLive), 400, "url_invalid", "cancel_url");
  });

  it("replays the same request under its Idempotency-Key and refuses another body with 409", async () => {
    const headers = { "idempotency-key": `cs-${name}` };
    const body = { currency: "XOF", ...SHOP, amount: 3_000 };
    const first = await call("POST", "/checkout-sessions", { body, headers });
    const again = await call("POST", "/checkout-sessions", { body, headers });
    expect(first.status).toBe(201);
    expect({ status: again.status, text: again.text, replayed: again.headers.get("idempotent-replayed") }).toEqual({ status: 201, text: first.text, replayed: "true" });
    const conflict = await call("POST", "/checkout-sessions", { body: { ...body, amount: 3_001 }, headers });
    expect({ status: conflict.status, code: conflict.body.error.code }).toEqual({ status: 409, code: "idempotency_key_reused" });
    expect(await database.db.$count(s.checkoutSessions, eq(s.checkoutSessions.amountMinor, 3_000))).toBe(1);
  });

  it("keeps a store's sessions from another store's key and from the other mode's key", async () => {
    const made = await create({ amount: 1_200 });
    for (const key of [keys.autre, keys.demoLive]) {
      expectError(await call("GET", `/checkout-sessions/${made.body.id}`, { key }), 404, "resource_missing", "id");
    }
    expectError(await call("GET", "/checkout-sessions/cs_doesNotExist0000000000"), 404, "resource_missing", "id");
    expectError(await call("GET", "/checkout-sessions/cs_x'%20or%201=1"), 404, "resource_missing", "id");
    expect((await call("GET", "/checkout-sessions")).status).toBe(405);
  });

  it("pays once through its page: the session's amount whatever the form says, one order, complete with the payment, then back to success_url", async () => {
    // Events are written for a store that has an endpoint to receive them.
    expect((await call("POST", "/webhook-endpoints", { body: { url: "https://hooks.example.com/sessions", enabled_events: ["checkout.session.completed"] } })).status).toBe(201);
    const made = await create({ amount: 2_000, customer: { country: "CI" } });
    const id = made.body.id;
    // A tampered form: an amount and a link of its own are not read.
    const target = await placeSessionOrder(placeDeps(), form({ session: id, amount: "100", link: "lnk_x" }));
    expect(target).toMatch(/\/sandbox\/cinetpay\/payment\//);
    const { orderId } = await sessionRow(id);
    const [order] = await database.db.select().from(s.orders).where(eq(s.orders.id, orderId!));
    expect(order).toMatchObject({ amountMinor: 2_000, mode: "sandbox", merchantId: demo.merchant.id, customerName: "Aminata Traoré" });
    // A second submit (a double click, a second tab) goes to the same order's page, never a second order.
    expect(await placeSessionOrder(placeDeps(), form({ session: id }))).toBe(`/orders/${orderId}`);
    expect(await database.db.$count(s.orders, eq(s.orders.customerName, "Aminata Traoré"))).toBeGreaterThanOrEqual(1);
    expect((await paymentsOfOrder(orderId!)).length).toBe(1);

    const payment = await payOnCinetPay(target as string, orderId!);
    expect(payment).toMatchObject({ amountMinor: 2_000, mode: "sandbox" });
    const read = await call("GET", `/checkout-sessions/${id}`);
    expect(read.body).toMatchObject({ status: "complete", payment_id: payment.id });
    expect(Date.parse(read.body.completed_at)).toBeGreaterThan(Date.parse(read.body.created));
    // The paid transition wrote checkout.session.completed in its own statement, once: the event's
    // data is the session exactly as GET answers it.
    const events = await database.db.select().from(s.webhookEvents).where(and(eq(s.webhookEvents.type, "checkout.session.completed"), sql`${s.webhookEvents.snapshot}->>'id' = ${id}`));
    expect(events).toHaveLength(1);
    expect(renderPayload(events[0]!, app.url).data).toEqual(read.body);
    // Paid: no new attempt on the order, and the page's form hands over to the order's page.
    expect(await retryOrder(placeDeps(), form({ order: orderId! }))).toBe(`/orders/${orderId}`);
    expect(await placeSessionOrder(placeDeps(), form({ session: id }))).toBe(`/orders/${orderId}`);
    expect((await paymentsOfOrder(orderId!)).length).toBe(1);
    expect(successUrlFor(await sessionRow(id))).toBe(`https://shop.example/merci?session_id=${id}`);
  });

  it("puts the session's id where success_url asks for it", () => {
    const id = "cs_abc";
    expect(successUrlFor({ id, successUrl: "https://shop.example/ok?s={CHECKOUT_SESSION_ID}&a=1" })).toBe("https://shop.example/ok?s=cs_abc&a=1");
    expect(successUrlFor({ id, successUrl: "https://shop.example/ok/%7BCHECKOUT_SESSION_ID%7D" })).toBe("https://shop.example/ok/cs_abc");
    expect(successUrlFor({ id, successUrl: "https://shop.example/ok?order=7#top" })).toBe("https://shop.example/ok?order=7&session_id=cs_abc#top");
  });

  it("expires: no order and no payment start after expires_at, but a late confirmation still completes it", async () => {
    const made = await create({ amount: 1_500 });
    const expiry = new Date(made.body.expires_at);
    const after = new Date(expiry.getTime() + 1_000);
    expect(await placeSessionOrder(placeDeps(after), form({ session: made.body.id }))).toEqual({ fieldErrors: { form: "t:sessionExpired" } });
    expect((await sessionRow(made.body.id)).orderId).toBeNull();
    // Read through the API once expired (the row's clock moved back by a day).
    await database.db.update(s.checkoutSessions).set({ createdAt: new Date(Date.now() - 25 * 3600_000), expiresAt: new Date(Date.now() - 3600_000) }).where(eq(s.checkoutSessions.id, made.body.id));
    expect((await call("GET", `/checkout-sessions/${made.body.id}`)).body.status).toBe("expired");

    // A session paid at the last minute: its shopper was on the provider's page when it expired.
    const late = await create({ amount: 1_600 });
    const target = await placeSessionOrder(placeDeps(), form({ session: late.body.id }));
    const { orderId } = await sessionRow(late.body.id);
    await database.db.update(s.checkoutSessions).set({ createdAt: new Date(Date.now() - 25 * 3600_000), expiresAt: new Date(Date.now() - 1_000) }).where(eq(s.checkoutSessions.id, late.body.id));
    expect((await call("GET", `/checkout-sessions/${late.body.id}`)).body.status).toBe("expired");
    // Expired: no new attempt (the order page's retry, the prompt's resend) and no new order.
    expect(await retryOrder(placeDeps(), form({ order: orderId! }))).toMatchObject({ refusal: "session_closed" });
    expect(await placeSessionOrder(placeDeps(), form({ session: late.body.id }))).toBe(`/orders/${orderId}`);
    expect((await paymentsOfOrder(orderId!)).length).toBe(1);
    // The provider's confirmation comes late: it lands on the order, and the session is complete.
    const payment = await payOnCinetPay(target as string, orderId!);
    expect((await call("GET", `/checkout-sessions/${late.body.id}`)).body).toMatchObject({ status: "complete", payment_id: payment.id });
  });

  it("pays in the key's mode: a test key's session in the simulators even on a live account, a live key's at the live provider", async () => {
    // Without live credentials no provider can take a live key's payment: refused before anything exists.
    expectError(await create({ amount: 2_500 }, keys.demoLive), 400, "no_payment_method", null);
    const account = and(eq(s.providerAccounts.merchantId, demo.merchant.id), eq(s.providerAccounts.provider, "cinetpay"));
    const [row] = await database.db.select().from(s.providerAccounts).where(account);
    await database.db.update(s.providerAccounts).set({ mode: "live", livePublicId: `${row!.sandboxPublicId}-live`, liveCredentialsEncrypted: row!.sandboxCredentialsEncrypted }).where(account);
    try {
      const test = await create({ amount: 2_500 });
      expect(await placeSessionOrder(placeDeps(), form({ session: test.body.id }))).toMatch(/\/sandbox\/cinetpay\/payment\//);
      const testOrder = (await sessionRow(test.body.id)).orderId!;
      expect((await paymentsOfOrder(testOrder)).map((p) => p.mode)).toEqual(["sandbox"]);

      const live = await create({ amount: 2_500 }, keys.demoLive);
      expect(live.status).toBe(201);
      expect(live.body.livemode).toBe(true);
      expect((await sessionRow(live.body.id)).mode).toBe("live");
      // The live provider (a closed port here) does not answer: the shopper lands on the order page.
      const liveOrderTarget = await placeSessionOrder(placeDeps(), form({ session: live.body.id }));
      const liveOrder = (await sessionRow(live.body.id)).orderId!;
      expect(liveOrderTarget).toBe(`/orders/${liveOrder}`);
      expect((await paymentsOfOrder(liveOrder)).map((p) => [p.mode, p.status])).toEqual([["live", "failed"]]);
      // Options other than the live-credentialed provider are not offered to a live session.
      expect(await placeSessionOrder(placeDeps(), form({ session: (await create({ amount: 2_500 }, keys.demoLive)).body.id, option: "orange-money.orange_money.hosted" }))).toMatchObject({ fieldErrors: { option: expect.any(String) } });
    } finally {
      await database.db.update(s.providerAccounts).set({ mode: "sandbox", livePublicId: null, liveCredentialsEncrypted: null }).where(account);
    }
  });

  it("creates one order when two submits race", async ({ skip }) => {
    skip(name !== "postgres", RACES_NEED_A_SERVER);
    const made = await create({ amount: 2_200 });
    const targets = await Promise.all([placeSessionOrder(placeDeps(), form({ session: made.body.id })), placeSessionOrder(placeDeps(), form({ session: made.body.id }))]);
    const { orderId } = await sessionRow(made.body.id);
    expect(targets.filter((t) => t === `/orders/${orderId}`).length + targets.filter((t) => typeof t === "string" && t.includes("/sandbox/")).length).toBe(2);
    expect(await database.db.$count(s.orderItems, eq(s.orderItems.unitPriceMinor, 2_200))).toBe(1);
    expect((await paymentsOfOrder(orderId!)).length).toBe(1);
  });
});
