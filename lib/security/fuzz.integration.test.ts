import { connect } from "node:net";
import { ne, type SQL } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import * as s from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { PROVIDER_IDS } from "@/lib/payments/types";
import { startAppHost } from "@/lib/testing/app-host";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";

/**
 * Issue 13, Must-show: hostile input thrown at every route anyone can reach without a session
 * (the webhooks of every provider, the shopper's return, the simulators and their control API),
 * over a raw socket so that invalid UTF-8 and control bytes reach the server as sent. Whatever
 * arrives, the answer is never a 5xx (a 503 means "our fault, retry", which bad input is not),
 * and nothing is written but the delivery log (notifications, and their 'notification' events).
 * FUZZ_SEED replays a run, FUZZ_RUNS makes it longer; a failure prints its seed and path.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const BODY_CAP = 64 * 1024;

type Raw = { method: string; target: string; headers: [string, string][]; body: Buffer | null; chunked?: boolean };

/** One HTTP/1.1 exchange on its own connection: the status, once the server has closed it. */
function send(origin: string, req: Raw): Promise<number> {
  const { hostname, port } = new URL(origin);
  const head = [`${req.method} ${req.target} HTTP/1.1`, `host: ${hostname}:${port}`, "connection: close"];
  for (const [k, v] of req.headers) head.push(`${k}: ${v}`);
  const body = req.body ?? Buffer.alloc(0);
  const parts: Buffer[] = [];
  if (req.chunked) {
    head.push("transfer-encoding: chunked");
    parts.push(Buffer.from(`${body.length.toString(16)}\r\n`, "latin1"), body, Buffer.from("\r\n0\r\n\r\n", "latin1"));
  } else if (req.body) {
    head.push(`content-length: ${body.length}`);
    parts.push(body);
  }
  // latin1 keeps every byte of the request line as given: raw 0x80–0xFF stay single bytes.
  const bytes = Buffer.concat([Buffer.from(`${head.join("\r\n")}\r\n\r\n`, "latin1"), ...parts]);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const received: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error(`no answer within 20 s to ${req.method} ${req.target}`)), 20_000);
    socket.on("data", (chunk) => received.push(chunk));
    // The server may close before it has read a refused body.
    socket.on("error", (error) => (received.length ? undefined : reject(error)));
    socket.on("close", () => {
      clearTimeout(timer);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(Buffer.concat(received).toString("latin1"))?.[1]);
      if (Number.isInteger(status)) resolve(status);
      else reject(new Error(`no status line for ${req.method} ${req.target}`));
    });
    // Written, not ended: a half-closed connection lets Node drop a response still being computed.
    socket.write(bytes);
  });
}

/** Row counts of what unauthenticated input must never create, plus the statuses it must never move. */
async function snapshot(db: Database["db"]) {
  const n = (table: Parameters<typeof db.$count>[0], where?: SQL) => db.$count(table, where).then(Number);
  const [payments, refunds, orders, orderItems, events, accounts, merchants, sandboxTxns, sandboxDeliveries, sandboxAccounts, statuses] = await Promise.all([
    n(s.payments),
    n(s.refunds),
    n(s.orders),
    n(s.orderItems),
    n(s.paymentEvents, ne(s.paymentEvents.type, "notification")),
    n(s.providerAccounts),
    n(s.merchants),
    n(s.sandboxTransactions),
    n(s.sandboxDeliveries),
    n(s.sandboxAccounts),
    db.select({ id: s.payments.id, status: s.payments.status }).from(s.payments).orderBy(s.payments.id),
  ]);
  return { payments, refunds, orders, orderItems, events, accounts, merchants, sandboxTxns, sandboxDeliveries, sandboxAccounts, statuses };
}

// ---- Hostile pieces -------------------------------------------------------------------------

const controlChar = fc.integer({ min: 0, max: 31 }).map((c) => String.fromCharCode(c));
/** Strings as they would be typed, mixed with control characters, quotes, SQL and huge numbers. */
const nasty = fc.oneof(
  fc.constantFrom("", "0", "-1", "1e308", "9".repeat(400), "NaN", "null", "' OR 1=1 --", "%", "%00", "%ZZ", "\u0000", "\ud800", "é", "../../etc/passwd"),
  fc.string({ maxLength: 12 }),
  fc.tuple(fc.string({ maxLength: 4 }), controlChar, fc.string({ maxLength: 4 })).map(([a, c, b]) => a + c + b),
);
/** A path segment or query value: percent-encoded, or raw bytes the client never should send. */
const encoded = fc.oneof(
  { weight: 3, arbitrary: nasty.map((v) => encodeURIComponent(v.replace(/[\ud800-\udfff]/g, "x"))) },
  { weight: 1, arbitrary: fc.constantFrom("%FF", "%C3%28", "%ED%A0%80", "%00", "%0A", "\xff\xfe", "\xc3\x28", "a\x01b", "a b") },
);
const hugeNumber = fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, -0, 0.1, 1e-320);
const jsonValue = fc.oneof(nasty, hugeNumber, fc.constant(null), fc.boolean(), fc.array(nasty, { maxLength: 2 }), fc.constant({ nested: { deep: [1] } }));

const FIELDS = [
  "cpm_trans_id", "cpm_site_id", "transaction_id", "site_id", "notif_token", "status", "txnid", "order_id",
  "transactionId", "stateData", "isPaymentSucces", "event", "amount", "id", "ivm", "qwh", "afd", "poi", "uyt", "ifd", "agt",
  "mc", "p1", "p2", "p3", "p4", "msisdn", "vid", "hash", "reference", "accountId", "faults", "settings", "apikey", "token",
  "pay_token", "merchant_key", "currency", "return_url", "notify_url", "pin", "action", "p", "cancelled",
];
const field = fc.constantFrom(...FIELDS);

const jsonBody = fc.oneof(
  fc.array(fc.tuple(field, jsonValue), { maxLength: 6 }).map((pairs) => JSON.stringify(Object.fromEntries(pairs))),
  // A duplicated key, which JSON.parse resolves silently.
  fc.tuple(field, jsonValue, jsonValue).map(([k, a, b]) => `{"${k}":${JSON.stringify(a)},"${k}":${JSON.stringify(b)}}`),
  fc.constantFrom("{", "[", '{"a":}', "null", "0", '"x"', "[]", '{"__proto__":{"x":1}}', "1".repeat(500), '{"amount":1e999999}'),
);
const formBody = fc
  .array(fc.tuple(field, nasty), { maxLength: 8 })
  .map((pairs) => pairs.map(([k, v]) => `${k}=${encodeURIComponent(v.replace(/[\ud800-\udfff]/g, "x"))}`).join("&"))
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

describe.each(TEST_DATABASES)("hostile input at the public routes, on $name", ({ open }) => {
  const world = {} as { database: Database; app: Awaited<ReturnType<typeof startAppHost>>; ids: string[] };
  beforeAll(async () => {
    world.database = await open();
    // A little history, so that real order and payment ids of both merchants are in play.
    await seedDemo(world.database.db, { encryptionKey: TEST_ENCRYPTION_KEY, orders: 3 });
    world.app = await startAppHost(world.database);
    const db = world.database.db;
    const orders = await db.select({ id: s.orders.id }).from(s.orders);
    const pays = await db.select({ id: s.payments.id, ref: s.payments.reference, pref: s.payments.providerReference }).from(s.payments);
    world.ids = [...orders.map((o) => o.id), ...pays.flatMap((p) => [p.id, p.ref, p.pref ?? ""]).filter(Boolean)];
  });
  afterAll(async () => {
    await world.app?.close();
    await world.database?.close();
  });

  it("an iPay phone number that does not decode (%C3%28) names no phone: 404, not the simulator's 500", async () => {
    // Found by this fuzz: decodeURIComponent threw inside the simulator.
    expect(await send(world.app.url, { method: "GET", target: "/sandbox/ipay/phone/%C3%28", headers: [], body: null })).toBe(404);
  });

  it("a control call naming an account id with a NUL is an unknown account (401), not a database error's 500", async () => {
    // Found by this fuzz: PostgreSQL refuses NUL (SQLSTATE 22021) in the account lookup.
    expect(await send(world.app.url, { method: "GET", target: "/sandbox/ipay/_control/deliveries?accountId=%00", headers: [], body: null })).toBe(401);
  });

  it("never answers 5xx and writes nothing but the delivery log", async () => {
    const realId = fc.integer({ min: 0, max: 10_000 }).map((i) => encodeURIComponent(world.ids[i % world.ids.length]!));
    const id = fc.oneof(realId, encoded);
    const slug = fc.oneof(fc.constantFrom("demo", "autre", "DEMO", "demo%00", "autre%2F..", "%FF"), encoded);
    const provider = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...PROVIDER_IDS) }, { weight: 1, arbitrary: encoded });
    const query = queryOf(id);
    const fill = (template: string) => fc.array(id, { minLength: 1, maxLength: 1 }).map(([v]) => template.replaceAll("{id}", v!));

    const target = fc.oneof(
      fc.tuple(provider, slug, query).map(([p, m, q]) => `/api/webhooks/${p}/${m}${q}`),
      fc.tuple(id, query).map(([o, q]) => `/orders/${o}/return${q}`),
      fc
        .constantFrom(...PROVIDER_IDS)
        .chain((p) => fc.tuple(fc.constant(p), fc.constantFrom(...SANDBOX_PATHS[p]!, ...CONTROL_PATHS).chain(fill), query))
        .map(([p, path, q]) => `/sandbox/${p}/${path}${q}`),
    );
    const request = fc.record({
      method: fc.constantFrom("GET", "POST", "POST", "POST", "PUT", "DELETE"),
      target,
      contentType: fc.constantFrom(...CONTENT_TYPES),
      secret: fc.option(nasty.map((v) => v.replace(/[^\x20-\x7e]/g, "")), { nil: undefined }),
      body,
    });

    const before = await snapshot(world.database.db);
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        cases++;
        const headers: [string, string][] = [];
        if (r.contentType) headers.push(["content-type", r.contentType]);
        if (r.secret !== undefined) headers.push(["x-sandbox-secret", r.secret]);
        const bodyless = r.method === "GET";
        const status = await send(world.app.url, { method: r.method, target: r.target, headers, body: bodyless ? null : r.body.body, chunked: !bodyless && r.body.chunked });
        expect(status, `${r.method} ${r.target}`).toBeLessThan(500);
        expect(await snapshot(world.database.db)).toEqual(before);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    console.log(`fuzz: ${cases} cases, seed ${SEED}`);
    expect(cases).toBeGreaterThanOrEqual(RUNS);
  }, 600_000);
});
