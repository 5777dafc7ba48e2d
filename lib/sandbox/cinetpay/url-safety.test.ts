import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { sandboxTransactions } from "@/db/schema";
import { backgroundSettled } from "@/lib/sandbox/deliver";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { startReceiver } from "@/lib/testing/http-host";
import { FOREIGN_TARGETS, SCRIPT_URLS, loopbackOnlyFetch, unescapeAttribute } from "@/lib/testing/url-safety";
import { DEMO, SHOP_ORIGIN, check, createPayment, initBody, postJson, startCinetpay, submit } from "./test-support";

type Receiver = Awaited<ReturnType<typeof startReceiver>>;
type DeliveryRow = { url: string; responseStatus: number | null; error: string | null; sentAt: string | null };

const PAY = { action: "pay", method: "OM", phone: "0707070707", outcome: "accepted" };

describe.each(TEST_DATABASES)("CinetPay simulator: the URLs it accepts and follows, on $name", ({ open }) => {
  let database: Database;
  let env: Awaited<ReturnType<typeof startCinetpay>>;
  const network = loopbackOnlyFetch();
  const receivers: Receiver[] = [];
  beforeAll(async () => {
    database = await open();
    env = await startCinetpay(database, { fetch: network.fetch });
  });
  afterEach(() => Promise.all(receivers.splice(0).map((r) => r.close())));
  afterAll(async () => {
    await backgroundSettled();
    await env.sandbox.close();
    await database.close();
  });

  async function receiver() {
    const r = await startReceiver();
    receivers.push(r);
    return r;
  }

  async function deliveryLog(reference: string): Promise<DeliveryRow[]> {
    const res = await fetch(`${env.api}/_control/deliveries?accountId=${DEMO.siteId}&reference=${reference}`, { headers: { "x-sandbox-secret": DEMO.secretKey } });
    return (await res.json()) as DeliveryRow[];
  }

  describe.each(["notify_url", "return_url"])("%s", (field) => {
    it.each(SCRIPT_URLS)("refuses %s with CinetPay's 608, creating nothing", async (url) => {
      const body = initBody("http://127.0.0.1:9/notify", { [field]: url });
      const res = await postJson(`${env.api}/v2/payment`, body);
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ code: "608", message: "MINIMUM_REQUIRED_FIELDS", description: expect.stringContaining(field) });
      expect((await check(env.api, { transaction_id: String(body.transaction_id) })).json?.code).toBe("404");
    });
  });

  it("notifies a loopback notify_url, and asks the app's own origin", async () => {
    const target = await receiver();
    const local = await createPayment(env.api, `${target.url}/api/webhooks/cinetpay/demo`);
    await submit(local.url, PAY);
    expect((await target.waitFor(2)).map((r) => r.method)).toEqual(["GET", "POST"]);

    const app = await createPayment(env.api, `${SHOP_ORIGIN}/api/webhooks/cinetpay/demo`);
    await submit(app.url, PAY);
    await backgroundSettled();
    expect(network.asked).toContain(`${SHOP_ORIGIN}/api/webhooks/cinetpay/demo`);
  });

  it.each(FOREIGN_TARGETS)("never fetches a foreign notify_url (%s): its deliveries are recorded as refused, with no status or time", async (url) => {
    const p = await createPayment(env.api, url);
    const page = await submit(p.url, PAY);
    expect(page.html).toContain('data-status="ACCEPTED"');
    await backgroundSettled();
    expect(network.asked).not.toContain(url);
    const log = await deliveryLog(p.transactionId);
    expect(log.length).toBeGreaterThan(0);
    for (const row of log) expect(row).toMatchObject({ url, responseStatus: null, sentAt: null, error: expect.stringMatching(/^refused/) });
  });

  it.each(FOREIGN_TARGETS)("never sends the shopper to a foreign return_url (%s): no form, no auto-submit", async (url) => {
    const target = await receiver();
    const p = await createPayment(env.api, `${target.url}/n`, { return_url: url });
    const page = await submit(p.url, PAY);
    expect(page.status).toBe(200);
    expect(page.html).toContain('data-status="ACCEPTED"');
    expect(page.html).not.toContain("<form id=\"return-form\"");
    expect(page.html).not.toContain(".submit()");
    expect(page.html).not.toMatch(/action="https?:\/\/(?!127\.0\.0\.1:)/);
    expect(page.html).toContain('data-testid="return-refused"');
  });

  it("sends the shopper back to a loopback return_url, escaping its quotes", async () => {
    const target = await receiver();
    const url = `${target.url}/orders/1/return?x="><script>alert(1)</script>&y='z'`;
    const p = await createPayment(env.api, `${target.url}/n`, { return_url: url });
    const page = await submit(p.url, PAY);
    const action = /<form id="return-form" method="post" action="([^"]*)">/.exec(page.html);
    expect(action).not.toBeNull();
    expect(new URL(unescapeAttribute(action![1]!)).href).toBe(new URL(url).href);
    expect(page.html).not.toContain("<script>alert(1)");
    expect(page.html).toContain('document.getElementById("return-form").submit()');
  });

  it("never renders a script URL stored before the check existed", async () => {
    const target = await receiver();
    const p = await createPayment(env.api, `${target.url}/n`);
    const [row] = await database.db.select().from(sandboxTransactions).where(and(eq(sandboxTransactions.provider, "cinetpay"), eq(sandboxTransactions.token, p.token)));
    await database.db
      .update(sandboxTransactions)
      .set({ request: { ...row!.request, return_url: "javascript:alert(document.domain)" } })
      .where(eq(sandboxTransactions.id, row!.id));
    const page = await submit(p.url, PAY);
    expect(page.html).toContain('data-status="ACCEPTED"');
    expect(page.html).not.toMatch(/(action|href|src)="javascript:/i);
    expect(page.html).not.toContain("<form id=\"return-form\"");
    expect(page.html).toContain('data-testid="return-refused"');
  });
});

describe.each(TEST_DATABASES)("CinetPay simulator in production (SANDBOX_LOOPBACK_TARGETS off), on $name", ({ open }) => {
  let database: Database;
  let env: Awaited<ReturnType<typeof startCinetpay>>;
  // The app on loopback as under next start in e2e, and a service of the same machine beside it.
  let app: Receiver;
  let service: Receiver;
  beforeAll(async () => {
    database = await open();
    [app, service] = await Promise.all([startReceiver(), startReceiver()]);
    env = await startCinetpay(database, { appOrigin: app.url, loopbackTargets: false });
  });
  afterAll(async () => {
    await backgroundSettled();
    await Promise.all([app.close(), service.close()]);
    await env.sandbox.close();
    await database.close();
  });

  it("never notifies another loopback port, and the control API reports no status for it", async () => {
    const p = await createPayment(env.api, `${service.url}/notify`, { return_url: `${service.url}/return` });
    const page = await submit(p.url, PAY);
    expect(page.html).toContain('data-status="ACCEPTED"');
    expect(page.html).toContain('data-testid="return-refused"');
    expect(page.html).not.toContain('<form id="return-form"');
    await backgroundSettled();
    expect(service.received).toEqual([]);
    const res = await fetch(`${env.api}/_control/deliveries?accountId=${DEMO.siteId}&reference=${p.transactionId}`, { headers: { "x-sandbox-secret": DEMO.secretKey } });
    const log = (await res.json()) as DeliveryRow[];
    expect(log.length).toBeGreaterThan(0);
    for (const row of log) expect(row).toMatchObject({ url: `${service.url}/notify`, responseStatus: null, sentAt: null, error: expect.stringMatching(/^refused/) });
  });

  it("still notifies the app's own origin, and sends the shopper back there", async () => {
    const p = await createPayment(env.api, `${app.url}/api/webhooks/cinetpay/demo`, { return_url: `${app.url}/orders/1/return` });
    const page = await submit(p.url, PAY);
    expect(page.html).toContain('<form id="return-form"');
    expect((await app.waitFor(2)).map((r) => r.method)).toEqual(["GET", "POST"]);
  });
});
