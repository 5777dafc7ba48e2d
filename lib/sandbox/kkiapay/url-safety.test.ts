import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { backgroundSettled } from "@/lib/sandbox/deliver";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { startReceiver } from "@/lib/testing/http-host";
import { FOREIGN_TARGETS, SCRIPT_URLS, loopbackOnlyFetch, unescapeAttribute } from "@/lib/testing/url-safety";
import { DEMO_KEYS, openKkiapayWorld, type KkiapayWorld } from "./test-support";

const APP = "https://caisse.example";

type DeliveryRow = { url: string; attempt: number; responseStatus: number | null; error: string | null; sentAt: string | null };

let counter = 0;
const reference = () => `CSURL${Date.now().toString(36).toUpperCase()}${++counter}`;

describe.each(TEST_DATABASES)("KKiaPay simulator: the URLs it accepts and follows, on $name", ({ open }) => {
  let database: Database;
  let world: KkiapayWorld;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const network = loopbackOnlyFetch();

  beforeAll(async () => {
    database = await open();
    world = await openKkiapayWorld(database, { fetch: network.fetch, appOrigin: APP });
    receiver = await startReceiver();
  });
  beforeEach(async () => {
    await backgroundSettled();
    await world.setWebhookUrl(`${receiver.url}/hooks/kkiapay`);
  });
  afterAll(async () => {
    await backgroundSettled();
    await receiver.close();
    await world.close();
    await database.close();
  });

  const config = (extra: Record<string, unknown>) => ({ amount: 5000, key: DEMO_KEYS.publicKey, sandbox: true, data: reference(), ...extra });

  /** The dashboard's webhook URL through the control API; undefined clears it. */
  async function settings(webhookUrl: string | undefined) {
    return fetch(`${world.base}/_control/settings`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-sandbox-secret": DEMO_KEYS.privateKey },
      body: JSON.stringify({ accountId: DEMO_KEYS.publicKey, settings: webhookUrl === undefined ? {} : { webhookUrl } }),
    });
  }

  it.each(SCRIPT_URLS)("refuses %s as the dashboard's webhook URL (_control/settings), keeping the one set", async (url) => {
    const res = await settings(url);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "invalid settings", issues: [expect.objectContaining({ path: ["webhookUrl"] })] });
    const data = reference();
    await world.pay({ config: config({ data }) });
    await backgroundSettled();
    expect((await world.controlGet(`deliveries?reference=${data}`)).json).toMatchObject([{ url: `${receiver.url}/hooks/kkiapay`, responseStatus: 200 }]);
  });

  it.each(SCRIPT_URLS.flatMap((url) => ["callback", "successCallback", "failed_callback"].map((field) => [field, url])))("refuses a widget %s of %s with the widget's error page", async (field, url) => {
    const paid = await world.pay({ config: config({ [field]: url }) });
    expect(paid.status).toBe(400);
    expect(paid.html).toContain('data-testid="kkiapay-error"');
    expect(paid.transactionId).toBe("");
  });

  it.each(FOREIGN_TARGETS)("never fetches a foreign webhook URL (%s): one delivery recorded as refused, no retries, no status or time", async (url) => {
    expect((await settings(url)).status).toBe(200);
    const data = reference();
    const paid = await world.pay({ config: config({ data }) });
    expect(paid.events[0]!.name).toBe("PAYMENT_SUCCESS");
    await backgroundSettled();
    expect(network.asked).not.toContain(url);
    const log = (await world.controlGet(`deliveries?reference=${data}`)).json as DeliveryRow[];
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ url, attempt: 1, responseStatus: null, sentAt: null, error: expect.stringMatching(/^refused/) });
  });

  it("sends the default webhook to the app's own route, on the app's origin", async () => {
    expect((await settings(undefined)).status).toBe(200);
    await world.pay({ config: config({}) });
    await backgroundSettled();
    expect(network.asked).toContain(`${APP}/api/webhooks/kkiapay/demo`);
  });

  it.each(FOREIGN_TARGETS)("never sends a standalone widget on to a foreign callback (%s)", async (url) => {
    for (const [outcome, field] of [["success", "callback"], ["failed", "failed_callback"]] as const) {
      const result = await world.pay({ config: config({ [field]: url }), outcome });
      expect(result.status).toBe(200);
      expect(result.redirect).toBeNull();
      expect(result.html).not.toContain('data-testid="kkiapay-continue"');
      expect(result.html).not.toContain("location.href=");
      expect(result.html).toContain('data-testid="return-refused"');
    }
  });

  it("sends the shopper on to a callback on the app's origin, escaping its quotes", async () => {
    const url = `${APP}/orders/1/return?x="><script>alert(1)</script>&y='z'`;
    const result = await world.pay({ config: config({ callback: url }) });
    const expected = `${url}&transaction_id=${result.transactionId}`;
    expect(result.redirect).not.toBeNull();
    expect(new URL(result.redirect!).href).toBe(new URL(expected).href);
    const href = /<a class="btn primary" href="([^"]*)" target="_top" data-testid="kkiapay-continue">/.exec(result.html);
    expect(href).not.toBeNull();
    expect(new URL(unescapeAttribute(href![1]!)).href).toBe(new URL(expected).href);
    expect(result.html).not.toContain("<script>alert(1)");
  });
});
