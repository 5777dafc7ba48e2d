import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { seedDemo } from "@/db/seed";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { startReceiver } from "@/lib/testing/http-host";
import { startSandbox, withClockStopped } from "@/lib/testing/sandbox-host";
import { orangeMoneySandbox } from ".";
import { controlGet, createWebPayment, fetchToken, notificationFor, postJson, seededAccount, setFaults, submitPaymentPage, transactionStatus, webPaymentBody } from "./testing";

const demo = seededAccount("demo");
const CONFIRM = { msisdn: "0707070707", otp: "1234", outcome: "SUCCESS" };

type DeliveryRow = { body: string; error: string | null; responseStatus: number | null; sentAt: string | null };

describe.each(TEST_DATABASES)("Orange Money simulator faults on $name", ({ open }) => {
  let database: Database;
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let base: string;
  let token: string;

  beforeAll(async () => {
    database = await open();
    await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY, orders: 0 });
    sandbox = await startSandbox(database, { providers: [orangeMoneySandbox] });
    receiver = await startReceiver();
    base = sandbox.sandboxUrl("orange-money");
    token = await fetchToken(base, demo);
  });
  afterEach(() => setFaults(base, demo, {}));
  afterAll(async () => {
    await receiver.close();
    await sandbox.close();
    await database.close();
  });

  async function newPayment() {
    const body = webPaymentBody(demo, "");
    body.notif_url = `${receiver.url}/api/webhooks/orange-money/demo?ref=${String(body.order_id)}`;
    const created = await createWebPayment(base, token, body);
    const status = () => transactionStatus(base, token, { order_id: body.order_id, amount: body.amount, pay_token: created.pay_token });
    return { body, created, status };
  }
  const deliveries = (ref: unknown) => controlGet<DeliveryRow[]>(base, demo, `deliveries?reference=${String(ref)}`);

  it("duplicateNotification (account): the notification arrives twice, identical", async () => {
    await setFaults(base, demo, { duplicateNotification: true });
    const { body, created } = await newPayment();
    await submitPaymentPage(created.payment_url, CONFIRM);
    const first = await notificationFor(receiver, body.order_id, 1);
    const second = await notificationFor(receiver, body.order_id, 2);
    expect(second.body).toBe(first.body);
    expect(JSON.parse(first.body)).toMatchObject({ status: "SUCCESS", notif_token: created.notif_token });
  });

  it("duplicateNotification (payment page's advanced panel) applies to that payment only", async () => {
    const { body, created } = await newPayment();
    await submitPaymentPage(created.payment_url, { ...CONFIRM, fault_duplicateNotification: "1" });
    await notificationFor(receiver, body.order_id, 2);
    expect((await deliveries(body.order_id)).length).toBe(2);
  });

  it("notificationDelaySeconds: the notification leaves after the shopper's redirect, a second late", async () => {
    await setFaults(base, demo, { notificationDelaySeconds: 1 });
    const { body, created } = await newPayment();
    const redirectedAt = Date.now();
    expect((await submitPaymentPage(created.payment_url, CONFIRM)).status).toBe(303);
    await notificationFor(receiver, body.order_id);
    expect(Date.now() - redirectedAt).toBeGreaterThanOrEqual(950);
  });

  it("dropNotification: nothing is posted, the delivery is recorded as dropped", async () => {
    await setFaults(base, demo, { dropNotification: true });
    const dropped = await newPayment();
    await submitPaymentPage(dropped.created.payment_url, CONFIRM);
    await setFaults(base, demo, {});
    // A payment confirmed afterwards is notified; by then the dropped one has been recorded.
    const next = await newPayment();
    await submitPaymentPage(next.created.payment_url, CONFIRM);
    await notificationFor(receiver, next.body.order_id);
    expect(receiver.received.filter((r) => r.query.get("ref") === dropped.body.order_id)).toEqual([]);
    expect(await deliveries(dropped.body.order_id)).toEqual([expect.objectContaining({ error: "dropped (fault)", sentAt: null })]);
    expect((await dropped.status()).json.status).toBe("SUCCESS");
  });

  it("outOfOrder: Orange sends a single notification, so the order cannot change; it still arrives once", async () => {
    await setFaults(base, demo, { outOfOrder: true });
    const { body, created } = await newPayment();
    await submitPaymentPage(created.payment_url, CONFIRM);
    expect(JSON.parse((await notificationFor(receiver, body.order_id)).body).status).toBe("SUCCESS");
    expect((await deliveries(body.order_id)).length).toBe(1);
  });

  it("tamperAmount: OM notifications carry no amount, so the notification lies about the status instead", async () => {
    await setFaults(base, demo, { tamperAmount: true });
    const { body, created, status } = await newPayment();
    await submitPaymentPage(created.payment_url, CONFIRM);
    const notification = JSON.parse((await notificationFor(receiver, body.order_id)).body);
    expect(notification).toMatchObject({ status: "FAILED", notif_token: created.notif_token });
    expect((await status()).json.status).toBe("SUCCESS");
  });

  it("statusApi 5xx (account) and from the payment page's panel (that payment only)", async () => {
    const plain = await newPayment();
    const faulty = await newPayment();
    await submitPaymentPage(faulty.created.payment_url, { ...CONFIRM, fault_statusApi: "5xx" });
    expect((await faulty.status()).status).toBe(503);
    expect((await plain.status()).status).toBe(201);
    await setFaults(base, demo, { statusApi: "5xx" });
    expect((await plain.status()).status).toBe(503);
  });

  it("statusApi timeout: transactionstatus never answers in time", async () => {
    await setFaults(base, demo, { statusApi: "timeout" });
    const { body, created } = await newPayment();
    const call = postJson(`${base}/orange-money-webpay/dev/v1/transactionstatus`, token, { order_id: body.order_id, amount: body.amount, pay_token: created.pay_token }, AbortSignal.timeout(300));
    await expect(call).rejects.toThrow(/abort|timeout/i);
  });

  it("init 5xx and timeout on webpayment", async () => {
    await setFaults(base, demo, { init: "5xx" });
    expect((await postJson(`${base}/orange-money-webpay/dev/v1/webpayment`, token, webPaymentBody(demo, "http://shop.test/n"))).status).toBe(503);
    await setFaults(base, demo, { init: "timeout" });
    const call = postJson(`${base}/orange-money-webpay/dev/v1/webpayment`, token, webPaymentBody(demo, "http://shop.test/n"), AbortSignal.timeout(300));
    await expect(call).rejects.toThrow(/abort|timeout/i);
  });

  it("rateLimitPerMinute: 429 code 53 once the account is over its limit", async () => {
    const { body, created } = await newPayment();
    await setFaults(base, demo, { rateLimitPerMinute: 2 });
    const ask = () => transactionStatus(base, token, { order_id: body.order_id, amount: body.amount, pay_token: created.pay_token });
    const answers = await withClockStopped(sandbox.clock, async () => [await ask(), await ask(), await ask()]);
    expect(answers.map((a) => a.status)).toEqual([201, 201, 429]);
    expect(answers[2]!.json).toMatchObject({ code: 53, message: "Too many requests" });
  });
});
