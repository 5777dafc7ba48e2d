import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import * as s from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { SEED_MERCHANTS } from "@/db/seed-data";
import { PROVIDER_IDS } from "@/lib/payments/types";
import { startAppHost } from "@/lib/testing/app-host";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { encoded, FUZZ_RUNS, FUZZ_SEED, hugeNumber, nasty, reportCases, spoiled, wellFormed } from "@/lib/testing/hostile";
import { sendRaw as send } from "@/lib/testing/raw-http";
import { outsideTheDeliveryLog as snapshot } from "@/lib/testing/row-snapshot";

/**
 * Issue 13, Must-show: hostile input thrown at every route anyone can reach without a session
 * (the webhooks of every provider, the shopper's return, the order page's status API, the
 * simulators and their control API), over a raw socket so that invalid UTF-8 and control bytes
 * reach the server as sent. Whatever arrives, the answer is never a 5xx (a 503 means "our fault,
 * retry", which bad input is not), and nothing is written but the delivery log (notifications,
 * and their 'notification' events). The server actions have their own suite (fuzz-actions).
 */
const BODY_CAP = 64 * 1024;

// ---- Hostile pieces -------------------------------------------------------------------------

const jsonValue = fc.oneof(nasty, hugeNumber, fc.constant(null), fc.boolean(), fc.array(nasty, { maxLength: 2 }), fc.constant({ nested: { deep: [1] } }));

const FIELDS = [
  "cpm_trans_id", "cpm_site_id", "transaction_id", "site_id", "notif_token", "status", "txnid", "order_id",
  "transactionId", "stateData", "isPaymentSucces", "event", "amount", "id", "ivm", "qwh", "afd", "poi", "uyt", "ifd", "agt",
  "mc", "p1", "p2", "p3", "p4", "msisdn", "vid", "hash", "reference", "accountId", "faults", "settings", "apikey", "token",
  "pay_token", "merchant_key", "currency", "return_url", "notify_url", "pin", "action", "p", "cancelled",
];
const field = fc.constantFrom(...FIELDS);
/** The fields the simulators and their control API look a payment or an account up by. */
const LOOKUP_FIELDS = ["reference", "transaction_id", "token", "transactionId", "order_id", "oid", "pay_token", "sid", "code", "key", "phone", "amount"];
/** What each path reads (PROVIDERS.md), for the fuzz to put hostile values where they are looked up. */
const READS: Record<string, string[]> = {
  "_control/deliveries": ["reference"],
  "_control/faults": ["faults"],
  "_control/settings": ["settings"],
  "v2/payment": ["transaction_id", "amount", "currency", "notify_url", "return_url", "customer_phone_number"],
  "v2/payment/check": ["transaction_id", "token"],
  "payment/{id}/confirm": ["phone", "otp", "operator"],
  "orange-money-webpay/dev/v1/webpayment": ["order_id", "amount", "currency", "return_url", "notif_url", "cancel_url", "reference"],
  "orange-money-webpay/{id}/v1/transactionstatus": ["order_id", "pay_token", "amount"],
  "api/v1/transactions/status": ["transactionId"],
  "api/v1/transactions/revert": ["transactionId"],
  "widget/pay": ["key", "amount", "phone", "data"],
  "widget/confirm": ["key", "transactionId", "outcome"],
  "payments/v2/transaction/search": ["oid", "hash"],
  "payments/v2/transaction/refund": ["code", "amount", "hash"],
  "payments/v2/transact": ["oid", "inv", "amount", "tel", "cbk", "hash"],
  "payments/v2/transact/push/mpesa": ["sid", "phone", "hash"],
  "v3/ke": ["oid", "inv", "ttl", "tel", "cbk", "hash"],
};

const jsonBody = fc.oneof(
  fc.array(fc.tuple(field, jsonValue), { maxLength: 6 }).map((pairs) => JSON.stringify(Object.fromEntries(pairs))),
  // A duplicated key, which JSON.parse resolves silently.
  fc.tuple(field, jsonValue, jsonValue).map(([k, a, b]) => `{"${k}":${JSON.stringify(a)},"${k}":${JSON.stringify(b)}}`),
  fc.constantFrom("{", "[", '{"a":}', "null", "0", '"x"', "[]", '{"__proto__":{"x":1}}', "1".repeat(500), '{"amount":1e999999}'),
  // Nested deeper than anything reads it, up to what the 64 KB cap lets through (written as
  // text: JSON.stringify itself overflows its stack on a value that deep).
  fc.tuple(field, fc.integer({ min: 9, max: 30_000 })).map(([k, depth]) => `{"${k}":"x","deep":${"[".repeat(depth)}${"]".repeat(depth)}}`),
);
const formBody = fc
  .array(fc.tuple(field, nasty), { maxLength: 8 })
  .map((pairs) => pairs.map(([k, v]) => `${k}=${encodeURIComponent(wellFormed(v))}`).join("&"))
  .chain((form) => fc.constantFrom(form, `${form}&&=&%ZZ=%FF&a`, `${form}&status=aei7p7yrx4ae34&status=fe2707etr5s4wq`));
const invalidUtf8 = fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => Buffer.concat([Buffer.from([0xff, 0xc3, 0x28, 0xed, 0xa0, 0x80]), bytes]));

const CONTENT_TYPES = [
  undefined, "application/json", "application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x",
  "multipart/form-data", "application/xml", "application/json; charset=latin1", "application/x-www-form-urlencoded; charset=\x01",
];

type Body = { body: Buffer | null; chunked?: boolean };
const body: fc.Arbitrary<Body> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ body: null }) },
  { weight: 3, arbitrary: jsonBody.map((t) => ({ body: Buffer.from(t) })) },
  { weight: 3, arbitrary: formBody.map((t) => ({ body: Buffer.from(t) })) },
  { weight: 2, arbitrary: invalidUtf8.map((b) => ({ body: b })) },
  // Just over the cap, declared by its Content-Length or streamed in a chunk that crosses it.
  { weight: 1, arbitrary: fc.boolean().map((chunked) => ({ body: Buffer.alloc(BODY_CAP + 1, "a"), chunked })) },
);

/** Query pairs, with `values` for what fills them (real ids of both merchants among them). */
const queryOf = (values: fc.Arbitrary<string>) => fc
  .array(fc.tuple(fc.oneof(field, encoded), values), { maxLength: 4 })
  .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join("&")}` : ""));

// ---- The routes -----------------------------------------------------------------------------

/** The simulators' own paths (see each lib/sandbox/<provider>/index.ts) and the control API. */
const SANDBOX_PATHS: Record<string, string[]> = {
  cinetpay: ["v2/payment", "v2/payment/check", "payment/{id}", "payment/{id}/confirm"],
  "orange-money": ["oauth/v3/token", "orange-money-webpay/dev/v1/webpayment", "orange-money-webpay/{id}/v1/transactionstatus", "payment/pay_token/{id}", "payment/pay_token/{id}/cancel"],
  kkiapay: ["k.js", "widget", "widget/pay", "widget/confirm", "api/v1/transactions/status", "api/v1/transactions/revert"],
  ipay: ["v3/ke", "v3/ke/session/{id}", "payments/v2/transact", "payments/v2/transact/push/mpesa", "payments/v2/transaction/search", "payments/v2/transaction/refund", "ipn", "phone/{id}"],
};
const CONTROL_PATHS = ["_control/faults", "_control/settings", "_control/transactions/{id}", "_control/deliveries", "_control/{id}"];
/** Reads are GETs (the control API's lookups, hosted pages, the phone screen, k.js); the rest is posted. */
const usualMethod = (template: string) => (/^(_control\/(transactions|deliveries)|payment\/|v3\/ke\/session|phone\/|k\.js|widget$)/.test(template) ? "GET" : "POST");

function account(slug: string, provider: string) {
  return SEED_MERCHANTS.find((m) => m.slug === slug)!.accounts.find((a) => a.provider === provider)!;
}

/** What each simulator takes as proof of an account: headers, body fields, the control API's secret. */
function keysOf(provider: string, slug: string, bearer: string): { headers: [string, string][]; fields: Record<string, string> } {
  const { publicId, credentials: c } = account(slug, provider);
  const base = { accountId: publicId };
  switch (provider) {
    case "cinetpay":
      return { headers: [["user-agent", "fuzz"], ["x-sandbox-secret", c.secretKey!]], fields: { ...base, apikey: c.apiKey!, site_id: publicId } };
    case "orange-money":
      return { headers: [["authorization", `Bearer ${bearer}`], ["x-sandbox-secret", c.clientSecret!]], fields: { ...base, merchant_key: c.merchantKey! } };
    case "kkiapay":
      return { headers: [["x-api-key", c.publicKey!], ["x-private-key", c.privateKey!], ["x-secret-key", c.secretKey!], ["x-sandbox-secret", c.privateKey!]], fields: { ...base, key: c.publicKey! } };
    default:
      return { headers: [["x-sandbox-secret", c.securityKey!]], fields: { ...base, vid: publicId } };
  }
}

async function orangeBearer(origin: string, c: Record<string, string>): Promise<string> {
  const basic = Buffer.from(`${c.clientId}:${c.clientSecret}`).toString("base64");
  const res = await fetch(`${origin}/sandbox/orange-money/oauth/v3/token`, { method: "POST", headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" }, body: "grant_type=client_credentials" });
  return ((await res.json()) as { access_token: string }).access_token;
}

describe.each(TEST_DATABASES)("hostile input at the public routes, on $name", ({ open }) => {
  const world = {} as { database: Database; app: Awaited<ReturnType<typeof startAppHost>>; ids: string[]; bearers: Record<string, string> };
  beforeAll(async () => {
    world.database = await open();
    // A little history, so that real order and payment ids of both merchants are in play.
    await seedDemo(world.database.db, { encryptionKey: TEST_ENCRYPTION_KEY, orders: 3 });
    world.app = await startAppHost(world.database);
    const db = world.database.db;
    const orders = await db.select({ id: s.orders.id }).from(s.orders);
    const pays = await db.select({ id: s.payments.id, ref: s.payments.reference, pref: s.payments.providerReference }).from(s.payments);
    world.ids = [...orders.map((o) => o.id), ...pays.flatMap((p) => [p.id, p.ref, p.pref ?? ""]).filter(Boolean)];
    world.bearers = Object.fromEntries(await Promise.all(SEED_MERCHANTS.map(async (m) => [m.slug, await orangeBearer(world.app.url, account(m.slug, "orange-money").credentials)] as const)));
  });
  afterAll(async () => {
    await world.app?.close();
    await world.database?.close();
  });

  it("an iPay phone number that does not decode (%C3%28) is a bad request, not the simulator's 500", async () => {
    // Found by this fuzz: decodeURIComponent threw inside the simulator.
    expect(await send(world.app.url, { method: "GET", target: "/sandbox/ipay/phone/%C3%28", headers: [], body: null })).toBe(400);
  });

  it("a control call naming an account id with a NUL is a bad request, not a database error's 500", async () => {
    // Found by this fuzz: PostgreSQL refuses NUL (SQLSTATE 22021) in the account lookup.
    expect(await send(world.app.url, { method: "GET", target: "/sandbox/ipay/_control/deliveries?accountId=%00", headers: [], body: null })).toBe(400);
  });

  it("never answers 5xx and writes nothing but the delivery log", async () => {
    const realId = fc.integer({ min: 0, max: 10_000 }).map((i) => encodeURIComponent(world.ids[i % world.ids.length]!));
    const id = fc.oneof(realId, encoded);
    const slug = fc.oneof(fc.constantFrom("demo", "autre", "DEMO", "demo%00", "autre%2F..", "%FF"), encoded);
    const provider = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...PROVIDER_IDS) }, { weight: 1, arbitrary: encoded });
    const query = queryOf(id);
    const fill = (template: string) => fc.array(id, { minLength: 1, maxLength: 1 }).map(([v]) => template.replaceAll("{id}", v!));

    // Each target with its kind, so that the run reports how far it reached into each.
    const target = fc.oneof(
      fc.tuple(provider, slug, query).map(([p, m, q]) => ({ kind: "webhook", path: `/api/webhooks/${p}/${m}${q}` })),
      fc.tuple(id, query).map(([o, q]) => ({ kind: "return", path: `/orders/${o}/return${q}` })),
      fc.tuple(id, query).map(([o, q]) => ({ kind: "order status", path: `/api/orders/${o}/status${q}` })),
      fc
        .constantFrom(...PROVIDER_IDS)
        .chain((p) => fc.tuple(fc.constant(p), fc.constantFrom(...SANDBOX_PATHS[p]!, ...CONTROL_PATHS).chain(fill), query))
        .map(([p, path, q]) => ({ kind: "sandbox", path: `/sandbox/${p}/${path}${q}` })),
    );
    const request = fc.record({
      method: fc.constantFrom("GET", "POST", "POST", "POST", "PUT", "DELETE"),
      target,
      contentType: fc.constantFrom(...CONTENT_TYPES),
      secret: fc.option(nasty.map((v) => v.replace(/[^\x20-\x7e]/g, "")), { nil: undefined }),
      body,
    });

    const before = await snapshot(world.database.db);
    const count: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const { kind, path } = r.target;
        count[kind] = (count[kind] ?? 0) + 1;
        const headers: [string, string][] = [];
        if (r.contentType) headers.push(["content-type", r.contentType]);
        if (r.secret !== undefined) headers.push(["x-sandbox-secret", r.secret]);
        const bodyless = r.method === "GET";
        const status = await send(world.app.url, { method: r.method, target: path, headers, body: bodyless ? null : r.body.body, chunked: !bodyless && r.body.chunked });
        expect(status, `${r.method} ${path}`).toBeLessThan(500);
        expect(await snapshot(world.database.db)).toEqual(before);
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS, endOnFailure: true },
    );
    reportCases("public routes", count);
    expect(Object.values(count).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(FUZZ_RUNS);
  }, 600_000);

  it("with an account's keys (either merchant's, naming the other's ids), the simulators never answer 5xx nor write in the app's tables", async () => {
    const realId = fc.integer({ min: 0, max: 10_000 }).map((i) => encodeURIComponent(world.ids[i % world.ids.length]!));
    // Past the keys, a real id spoiled by a control character is the likeliest way to a lookup.
    const id = fc.oneof({ weight: 1, arbitrary: realId }, { weight: 1, arbitrary: encoded }, { weight: 2, arbitrary: spoiled(realId.map(decodeURIComponent)).map(encodeURIComponent) });
    const fill = (template: string) => id.map((v) => template.replaceAll("{id}", v));
    const value = fc.oneof(nasty, hugeNumber, realId.map(decodeURIComponent), spoiled(realId.map(decodeURIComponent)), spoiled(realId.map(decodeURIComponent)));
    // Each path with what it reads most of the time (any field now and then), and the method it answers.
    const request = fc
      .constantFrom(...PROVIDER_IDS)
      .chain((p) => fc.tuple(fc.constant(p), fc.oneof(fc.constantFrom(...SANDBOX_PATHS[p]!), fc.constantFrom(...CONTROL_PATHS))))
      .chain(([provider, template]) => {
        const reads = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...(READS[template] ?? LOOKUP_FIELDS)) }, { weight: 1, arbitrary: field });
        return fc.record({
          provider: fc.constant(provider),
          path: fill(template),
          method: fc.oneof({ weight: 3, arbitrary: fc.constant(usualMethod(template)) }, { weight: 1, arbitrary: fc.constantFrom("GET", "POST", "PUT") }),
          merchant: fc.constantFrom(...SEED_MERCHANTS.map((m) => m.slug)),
          query: fc.array(fc.tuple(fc.oneof({ weight: 3, arbitrary: reads }, { weight: 1, arbitrary: encoded }), id), { maxLength: 3 }).map((kv) => kv.map(([k, v]) => `${k}=${v}`).join("&")),
          form: fc.boolean(),
          pairs: fc.array(fc.tuple(reads, value), { maxLength: 6 }),
          raw: fc.option(body, { freq: 4 }),
        });
      });
    // The simulators' own tables change with a caller holding the keys: that is what keys are for.
    const appOnly = async () => {
      const rows: Partial<Awaited<ReturnType<typeof snapshot>>> = await snapshot(world.database.db);
      delete rows.sandboxTxns;
      delete rows.sandboxDeliveries;
      delete rows.sandboxAccounts;
      return rows;
    };
    const before = await appOnly();
    const count: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const { provider, path, method } = r;
        const keys = keysOf(provider, r.merchant, world.bearers[r.merchant]!);
        count[provider] = (count[provider] ?? 0) + 1;
        const fields = { ...Object.fromEntries(r.pairs.map(([k, v]) => [k, v])), ...keys.fields };
        const text = r.form ? new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, wellFormed(String(v))])).toString() : JSON.stringify(fields);
        const headers: [string, string][] = [...keys.headers, ["content-type", r.form ? "application/x-www-form-urlencoded" : "application/json"]];
        const bodyless = method === "GET";
        const sent = r.raw ?? { body: Buffer.from(text) };
        const target = `/sandbox/${provider}/${path}?${r.query ? `${r.query}&` : ""}accountId=${keys.fields.accountId}`;
        const status = await send(world.app.url, { method, target, headers, body: bodyless ? null : sent.body, chunked: !bodyless && sent.chunked });
        expect(status, `${method} ${target} ${text}`).toBeLessThan(500);
        expect(await appOnly()).toEqual(before);
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS, endOnFailure: true },
    );
    reportCases("simulators with keys", count);
  }, 600_000);
});
