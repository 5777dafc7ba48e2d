import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { seedDemo } from "@/db/seed";
import { backgroundSettled } from "@/lib/sandbox/deliver";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { startReceiver } from "@/lib/testing/http-host";
import { startSandbox } from "@/lib/testing/sandbox-host";
import { FOREIGN_TARGETS, SCRIPT_URLS, loopbackOnlyFetch, unescapeAttribute } from "@/lib/testing/url-safety";
import { orangeMoneySandbox } from ".";
import { controlGet, createWebPayment, fetchToken, notificationFor, postJson, seededAccount, submitPaymentPage, webPaymentBody } from "./testing";

const demo = seededAccount("demo");
const APP = "https://caisse.example";
const CONFIRM = { msisdn: "0707070707", otp: "1234", outcome: "SUCCESS" };

type DeliveryRow = { url: string; responseStatus: number | null; error: string | null; sentAt: string | null };

describe.each(TEST_DATABASES)("Orange Money simulator: the URLs it accepts and follows, on $name", ({ open }) => {
  let database: Database;
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let base: string;
  let token: string;
  const network = loopbackOnlyFetch();

  beforeAll(async () => {
    database = await open();
    await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY, orders: 0 });
    sandbox = await startSandbox(database, { providers: [orangeMoneySandbox], deps: { fetch: network.fetch, appOrigin: APP } });
    receiver = await startReceiver();
    base = sandbox.sandboxUrl("orange-money");
    token = await fetchToken(base, demo);
  });
  afterAll(async () => {
    await backgroundSettled();
    await receiver.close();
    await sandbox.close();
    await database.close();
  });

  /** A payment whose URLs default to the test receiver (notif_url) and the app (return, cancel). */
  async function newPayment(urls: { return_url?: string; cancel_url?: string; notif_url?: string } = {}) {
    const body = webPaymentBody(demo, "", { return_url: `${APP}/orders/1/return`, cancel_url: `${APP}/orders/1/cancel`, ...urls });
    body.notif_url = urls.notif_url ?? `${receiver.url}/om?ref=${String(body.order_id)}`;
    return { body, created: await createWebPayment(base, token, body) };
  }

  describe.each([
    ["return_url", "ReturnUrl"],
    ["cancel_url", "CancelUrl"],
    ["notif_url", "NotifUrl"],
  ])("%s", (field, goField) => {
    it.each(SCRIPT_URLS)("refuses %s with Orange's 400 code 24 naming the field", async (url) => {
      const res = await postJson(`${base}/orange-money-webpay/dev/v1/webpayment`, token, webPaymentBody(demo, `${receiver.url}/om`, { [field]: url }));
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ code: 24, message: "Invalid body field", description: `Key: 'WebPaymentInfo.${goField}' Error:Field validation for '${goField}' failed on the 'url' tag` });
    });
  });

  it("notifies a loopback notif_url and redirects to a return_url on the app's origin", async () => {
    const { body, created } = await newPayment();
    const res = await submitPaymentPage(created.payment_url, CONFIRM);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(body.return_url);
    expect(JSON.parse((await notificationFor(receiver, body.order_id)).body).status).toBe("SUCCESS");
  });

  it.each(FOREIGN_TARGETS)("never fetches a foreign notif_url (%s): recorded as refused, with no status or time", async (url) => {
    const { body, created } = await newPayment({ notif_url: url });
    expect((await submitPaymentPage(created.payment_url, CONFIRM)).status).toBe(303);
    await backgroundSettled();
    expect(network.asked).not.toContain(url);
    const log = await controlGet<DeliveryRow[]>(base, demo, `deliveries?reference=${String(body.order_id)}`);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ url, responseStatus: null, sentAt: null, error: expect.stringMatching(/^refused/) });
  });

  it.each(FOREIGN_TARGETS)("never redirects the shopper to a foreign return_url or cancel_url (%s), nor links to it", async (url) => {
    const paid = await newPayment({ return_url: url });
    const confirmed = await submitPaymentPage(paid.created.payment_url, CONFIRM);
    expect(confirmed.headers.get("location")).toBeNull();
    const html = await confirmed.text();
    expect(html).toContain('data-testid="return-refused"');
    expect(html).not.toContain(`href="${url}`);
    // The "already processed" page offers no link there either.
    const again = await fetch(paid.created.payment_url);
    expect(again.status).toBe(409);
    const doneHtml = await again.text();
    expect(doneHtml).not.toContain('data-testid="om-back"');
    expect(doneHtml).toContain('data-testid="return-refused"');

    const cancelled = await newPayment({ cancel_url: url });
    const cancel = await fetch(`${cancelled.created.payment_url}/cancel`, { redirect: "manual" });
    expect(cancel.headers.get("location")).toBeNull();
    expect(await cancel.text()).toContain('data-testid="return-refused"');
  });

  it("escapes the quotes of a return_url it links to", async () => {
    const url = `${APP}/r?x="><script>alert(1)</script>&y='z'`;
    const { created } = await newPayment({ return_url: url });
    await submitPaymentPage(created.payment_url, CONFIRM);
    const html = await (await fetch(created.payment_url)).text();
    const href = /<a class="btn secondary" href="([^"]*)" data-testid="om-back">/.exec(html);
    expect(href).not.toBeNull();
    expect(new URL(unescapeAttribute(href![1]!)).href).toBe(new URL(url).href);
    expect(html).not.toContain("<script>alert(1)");
  });
});
