import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { seedDemo } from "@/db/seed";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { startReceiver } from "@/lib/testing/http-host";
import { startSandbox } from "@/lib/testing/sandbox-host";
import { orangeMoneySandbox } from ".";
import { controlGet, createWebPayment, notificationFor, fetchToken, seededAccount, submitPaymentPage, transactionStatus, webPaymentBody } from "./testing";

const demo = seededAccount("demo");

describe.each(TEST_DATABASES)("Orange Money payment page on $name", ({ open }) => {
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
  afterAll(async () => {
    await receiver.close();
    await sandbox.close();
    await database.close();
  });

  async function newPayment(overrides: Record<string, unknown> = {}) {
    const body = webPaymentBody(demo, "", overrides);
    body.notif_url = `${receiver.url}/api/webhooks/orange-money/demo?ref=${String(body.order_id)}`;
    const created = await createWebPayment(base, token, body);
    const status = async () => (await transactionStatus(base, token, { order_id: body.order_id, amount: body.amount, pay_token: created.pay_token })).json;
    return { body, created, status };
  }

  const notificationOf = (orderId: unknown) => notificationFor(receiver, orderId);

  it("shows the amount, the merchant, labelled MSISDN and OTP fields, the outcomes and the advanced panel, in French", async () => {
    const { created } = await newPayment();
    const res = await fetch(created.payment_url);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain("Boutique Demo");
    expect(html).toMatch(/data-testid="om-amount">1[\s\u202f]200 OUV</);
    for (const id of ["msisdn", "otp"]) expect(html).toMatch(new RegExp(`<label for="${id}">[^<]+</label>\\s*<input id="${id}"`));
    for (const testid of ["om-outcome-success", "om-outcome-failed", "om-confirm", "om-cancel"]) expect(html).toContain(`data-testid="${testid}"`);
    expect(html).toContain("<details");
    expect(html).toContain('name="fault_duplicateNotification"');
    expect(html).toContain("SANDBOX");
  });

  it("speaks English when the merchant sent lang=en, or when asked with ?lang=en", async () => {
    const english = await newPayment({ lang: "en" });
    expect(await (await fetch(english.created.payment_url)).text()).toContain("Orange Money number");
    const french = await newPayment();
    const html = await (await fetch(`${french.created.payment_url}?lang=en`)).text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain(">Confirm<");
  });

  it("SUCCESS: redirects to return_url, then posts {status, notif_token, txnid} to notif_url", async () => {
    const { body, created, status } = await newPayment();
    const res = await submitPaymentPage(created.payment_url, { msisdn: "07 07 07 07 07", otp: "1234", outcome: "SUCCESS" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(body.return_url);

    const delivery = await notificationOf(body.order_id);
    expect(delivery.method).toBe("POST");
    expect(delivery.headers.get("content-type")).toContain("application/json");
    const notification = JSON.parse(delivery.body);
    expect(notification).toEqual({ status: "SUCCESS", notif_token: created.notif_token, txnid: expect.stringMatching(/^MP\d{6}\.\d{4}\.[A-Z]\d{5}$/) });
    expect(await status()).toEqual({ status: "SUCCESS", order_id: body.order_id, txnid: notification.txnid });

    const txn = await controlGet<{ status: string; state: { history: { status: string }[] } }>(base, demo, `transactions/${String(body.order_id)}`);
    expect(txn.state.history.map((h) => h.status)).toEqual(["INITIATED", "PENDING", "SUCCESS"]);
  });

  it("FAILED by the tester's choice, and by the failing test OTP 0000", async () => {
    for (const [outcome, otp] of [["FAILED", "4321"], ["SUCCESS", "0000"]] as const) {
      const { body, created, status } = await newPayment();
      const res = await submitPaymentPage(created.payment_url, { msisdn: "0707070707", otp, outcome });
      expect(res.status).toBe(303);
      const notification = JSON.parse((await notificationOf(body.order_id)).body);
      expect(notification).toMatchObject({ status: "FAILED", notif_token: created.notif_token });
      expect((await status()).status).toBe("FAILED");
    }
  });

  it("the cancel link returns to cancel_url and leaves the transaction INITIATED", async () => {
    const { body, created, status } = await newPayment();
    const res = await fetch(`${created.payment_url}/cancel`, { redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(body.cancel_url);
    expect(await status()).toEqual({ status: "INITIATED", order_id: body.order_id });
    expect(await controlGet<unknown[]>(base, demo, `deliveries?reference=${String(body.order_id)}`)).toEqual([]);
  });

  it("a confirmation after the 10 minutes ends EXPIRED, with no notification", async () => {
    const { body, created, status } = await newPayment();
    sandbox.clock.offsetMs = 10 * 60_000 + 1000;
    try {
      const res = await submitPaymentPage(created.payment_url, { msisdn: "0707070707", otp: "1234", outcome: "SUCCESS" });
      expect(res.status).toBe(410);
      expect(await res.text()).toContain('data-testid="om-back"');
    } finally {
      sandbox.clock.offsetMs = 0;
    }
    expect(await status()).toEqual({ status: "EXPIRED", order_id: body.order_id });
    expect(await controlGet<unknown[]>(base, demo, `deliveries?reference=${String(body.order_id)}`)).toEqual([]);
  });

  it("a confirmation just inside the 10 minutes still goes through", async () => {
    const { body, created, status } = await newPayment();
    sandbox.clock.offsetMs = 9 * 60_000;
    try {
      expect((await submitPaymentPage(created.payment_url, { msisdn: "0707070707", otp: "1234", outcome: "SUCCESS" })).status).toBe(303);
    } finally {
      sandbox.clock.offsetMs = 0;
    }
    expect((await status()).status).toBe("SUCCESS");
    expect(JSON.parse((await notificationOf(body.order_id)).body).status).toBe("SUCCESS");
  });

  it("re-renders the form with an error for a bad MSISDN or OTP, without changing the status", async () => {
    const { created, status } = await newPayment();
    for (const fields of [{ msisdn: "12", otp: "1234", outcome: "SUCCESS" }, { msisdn: "0707070707", otp: "12a4", outcome: "SUCCESS" }]) {
      const res = await submitPaymentPage(created.payment_url, fields);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('role="alert"');
    }
    expect((await status()).status).toBe("INITIATED");
  });

  it("two confirmations at once: one wins, the other is told the payment is processed", async () => {
    const { body, created } = await newPayment();
    const answers = await Promise.all([
      submitPaymentPage(created.payment_url, { msisdn: "0707070707", otp: "1234", outcome: "SUCCESS" }),
      submitPaymentPage(created.payment_url, { msisdn: "0707070707", otp: "1234", outcome: "FAILED" }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([303, 409]);
    await notificationOf(body.order_id);
    expect(await controlGet<unknown[]>(base, demo, `deliveries?reference=${String(body.order_id)}`)).toHaveLength(1);
  });

  it("a processed payment cannot be confirmed twice, and an unknown pay_token is a 404 page", async () => {
    const { body, created } = await newPayment();
    await submitPaymentPage(created.payment_url, { msisdn: "0707070707", otp: "1234", outcome: "SUCCESS" });
    await notificationOf(body.order_id);
    const again = await submitPaymentPage(created.payment_url, { msisdn: "0707070707", otp: "1234", outcome: "FAILED" });
    expect(again.status).toBe(409);
    expect((await fetch(`${base}/payment/pay_token/${"0".repeat(64)}`)).status).toBe(404);
  });
});
