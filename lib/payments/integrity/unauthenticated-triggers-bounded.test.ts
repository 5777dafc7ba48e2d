import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import * as s from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { startAppHost } from "@/lib/testing/app-host";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { newOrder, notificationsOf } from "@/lib/testing/payments";
import { NOTIFICATION_BODY_LIMIT } from "../inbound";
import { sweep } from "../reconcile";
import { startPayment } from "../start";

/** iPay's "pending: not found yet" callback code: a trigger for a status check, like any other. */
const PENDING = "bdi6p2yy76etrs";
const PHONE = "+2250707123456";

/**
 * Issue 13 item 3. Anyone can reach the webhooks and the return URL: their bodies must be bounded,
 * and iPay's callbacks, which nothing signs, must not let a loop of varied queries spend the
 * merchant's iPay rate limit (each one used to be a status check).
 */
describe.each(TEST_DATABASES)("unauthenticated requests are bounded, on $name", ({ open }) => {
  let database: Database;
  let app: Awaited<ReturnType<typeof startAppHost>>;
  const T0 = Date.now();
  let clock = T0;
  /** Every call our adapters make, by path (the simulators answer them). */
  const calls: string[] = [];
  const counting: typeof fetch = (input, init) => {
    calls.push(new URL(input instanceof Request ? input.url : String(input)).pathname);
    return fetch(input, init);
  };
  const searches = () => calls.filter((path) => path.endsWith("/transaction/search")).length;

  beforeAll(async () => {
    database = await open();
    await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY, orders: 0 });
    app = await startAppHost(database, { fetch: counting, now: () => new Date(clock) });
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  const post = (path: string, body: string) => fetch(`${app.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body });

  it("a provider notification above 64 KB is answered 413, and nothing is stored", async () => {
    const before = await database.db.$count(s.notifications);
    const res = await post("/api/webhooks/kkiapay/demo", JSON.stringify({ transactionId: "tx_big", pad: "x".repeat(NOTIFICATION_BODY_LIMIT) }));
    expect(res.status).toBe(413);
    expect(await database.db.$count(s.notifications)).toBe(before);
  });

  it("the simulators cap their bodies too", async () => {
    const res = await post("/sandbox/kkiapay/api/v1/transactions/status", JSON.stringify({ transactionId: "x".repeat(NOTIFICATION_BODY_LIMIT) }));
    expect(res.status).toBe(413);
  });

  it("a rejected delivery under the cap keeps only a short, redacted copy of its body", async () => {
    const body = JSON.stringify({ transactionId: "tx_unknown_big", stateData: "NO-SUCH-REFERENCE", account: PHONE, pad: "y".repeat(NOTIFICATION_BODY_LIMIT - 200) });
    const res = await post("/api/webhooks/kkiapay/demo", body);
    expect(res.status).toBe(404);
    const [kept] = await database.db.select().from(s.notifications).where(and(eq(s.notifications.verdict, "rejected"), isNull(s.notifications.paymentId)));
    expect(kept!.body.length).toBeLessThanOrEqual(2_001);
    expect(kept!.body).not.toContain("0707123456");
    expect(kept!.requestEncrypted).toBeNull();
  });

  it("a loop of 30 varied unsigned iPay callbacks for one payment asks iPay about it once per 10 s", async () => {
    const order = await newOrder(database, "autre", 1);
    const started = await startPayment(app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "ipay", method: "mpesa" });
    calls.length = 0;
    const callback = (i: number) =>
      new URLSearchParams({ status: PENDING, id: started.reference, ivm: started.reference.slice(-15), mc: "0.00", txncd: `QK${String(i).padStart(8, "0")}`, qwh: String(i), afd: "2", poi: "3", uyt: "4", ifd: "5", agt: "6" });
    for (let i = 0; i < 30; i++) {
      // Half on the server-to-server webhook, half on the return URL (the shopper's browser).
      const res = i % 2
        ? await fetch(`${app.url}/orders/${order.id}/return?p=${started.paymentId}&${callback(i)}`, { redirect: "manual" })
        : await fetch(`${app.url}/api/webhooks/ipay/autre?${callback(i)}`);
      expect(res.status).toBe(i % 2 ? 303 : 200);
    }
    // One status check: the search, and the IPN asked about that callback's ids.
    expect(searches()).toBe(1);
    expect(calls.length).toBeLessThanOrEqual(2);
    // Every delivery is kept (each has its own key); all but the first wait for the next check.
    const deliveries = await notificationsOf(database, started.paymentId);
    expect(deliveries).toHaveLength(30);
    expect(deliveries.filter((d) => d.processedAt !== null)).toHaveLength(1);

    // Ten seconds later a callback is a check again.
    clock = T0 + 10_000;
    expect((await fetch(`${app.url}/api/webhooks/ipay/autre?${callback(30)}`)).status).toBe(200);
    expect(searches()).toBe(2);

    // Reconciliation works off the waiting deliveries: a check made after they arrived answers
    // them all, so they cost one more check, not one each.
    calls.length = 0;
    clock = T0 + 120_000;
    const deps = app.deps();
    for (let i = 0; i < 8 && (await notificationsOf(database, started.paymentId)).some((d) => d.processedAt === null); i++) await sweep(deps);
    expect((await notificationsOf(database, started.paymentId)).filter((d) => d.processedAt === null)).toHaveLength(0);
    // The waiting deliveries' check, and at most the payment's own scheduled one.
    expect(searches()).toBeLessThanOrEqual(2);
  });
});
