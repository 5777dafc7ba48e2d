import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { startReceiver, type Received } from "@/lib/testing/http-host";
import { DEMO, DOCUMENTED_ORDER, check, createPayment, phpStyleXToken, startCinetpay, submit } from "./test-support";

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

function posts(received: Received[]) {
  return received.filter((r) => r.method === "POST");
}

/** Every POST is a correctly ordered, correctly signed form, checked the way a PHP merchant would. */
function expectSigned(post: Received) {
  expect(post.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
  expect([...new URLSearchParams(post.body).keys()]).toEqual(DOCUMENTED_ORDER);
  expect(post.headers.get("x-token")).toBe(phpStyleXToken(DEMO.secretKey, post.body));
  return Object.fromEntries(new URLSearchParams(post.body));
}

describe.each(TEST_DATABASES)("CinetPay hosted page on $name", ({ open }) => {
  let database: Database;
  let env: Awaited<ReturnType<typeof startCinetpay>>;
  let receiver: Receiver;
  const receivers: Receiver[] = [];
  beforeAll(async () => {
    database = await open();
    env = await startCinetpay(database);
  });
  afterEach(() => Promise.all(receivers.splice(0).map((r) => r.close())));
  afterAll(async () => {
    await env.sandbox.close();
    await database.close();
  });

  async function pay(overrides: Record<string, unknown> = {}) {
    receiver = await startReceiver();
    receivers.push(receiver);
    return createPayment(env.api, `${receiver.url}/api/webhooks/cinetpay/demo`, overrides);
  }

  it("shows the amount, description, merchant and testable choices, in French by default", async () => {
    const p = await pay();
    const html = await (await fetch(p.url)).text();
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain("SANDBOX");
    expect(html).toMatch(/data-testid="amount">5\u202f000\u00a0F\u00a0CFA</);
    expect(html).toContain("Abonnement mensuel");
    expect(html).toMatch(/data-testid="merchant-name">[^<]+</);
    expect(html).toMatch(/<title>Boutique Démo — [^<]+ · CinetPay \(sandbox\)<\/title>/);
    for (const id of ["method-OM", "method-MOMO", "method-FLOOZ", "method-WAVE", "method-CARD", "outcome-accepted", "outcome-refused", "outcome-waiting", "failure-code", "pay-submit", "pay-cancel", "phone"]) {
      expect(html).toContain(`data-testid="${id}"`);
    }
    expect(html).toContain('<label for="phone">');
    expect(html).toContain("<details");
    expect(html).toContain('name="fault_duplicateNotification"');
  });

  it("speaks English when the merchant sent lang=en or the tester asks", async () => {
    const p = await pay({ lang: "en" });
    expect(await (await fetch(p.url)).text()).toContain('<html lang="en">');
    const q = await pay();
    const html = await (await fetch(`${q.url}?lang=en`)).text();
    expect(html).toContain("Payment method");
  });

  it("accepted: ping then one signed POST, check says ACCEPTED, and the return form posts transaction_id and token", async () => {
    const p = await pay({ metadata: '{"orderId":"ORD-9"}' });
    const page = await submit(p.url, { action: "pay", method: "MOMO", phone: "05 05 05 05 05", outcome: "accepted" });
    expect(page.status).toBe(200);
    expect(page.html).toContain('data-testid="result-title" data-status="ACCEPTED"');
    expect(page.html).toContain('<form id="return-form" method="post" action="https://shop.example.com/return">');
    expect(page.html).toContain(`name="transaction_id" value="${p.transactionId}"`);
    expect(page.html).toContain(`name="token" value="${p.token}"`);
    expect(page.html).toContain('data-testid="return-to-merchant"');

    const received = await receiver.waitFor(2);
    expect(received[0]).toMatchObject({ method: "GET", body: "", path: "/api/webhooks/cinetpay/demo" });
    const fields = expectSigned(received[1]!);
    expect(fields).toMatchObject({
      cpm_site_id: DEMO.siteId,
      cpm_trans_id: p.transactionId,
      cpm_amount: "5000",
      cpm_currency: "XOF",
      payment_method: "MOMO",
      cel_phone_num: "0505050505",
      cpm_phone_prefixe: "225",
      cpm_language: "fr",
      cpm_version: "V4",
      cpm_payment_config: "Single",
      cpm_page_action: "PAYMENT",
      cpm_custom: '{"orderId":"ORD-9"}',
      cpm_designation: "Abonnement mensuel",
      cpm_error_message: "SUCCES",
    });
    expect(fields.cpm_trans_date).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect((await check(env.api, { transaction_id: p.transactionId })).json).toMatchObject({ code: "00", data: { status: "ACCEPTED", payment_method: "MOMO" } });

    // Submitting again (a reload, a second tab) changes nothing and sends nothing.
    const again = await submit(p.url, { action: "pay", method: "OM", phone: "0707070707", outcome: "refused" });
    expect(again.html).toContain('data-status="ACCEPTED"');
  });

  it("refused with a failure code: the POST and the check carry it", async () => {
    const p = await pay();
    const page = await submit(p.url, { action: "pay", method: "OM", phone: "0707070707", outcome: "refused", failure_code: "602" });
    expect(page.html).toContain('data-status="REFUSED"');
    const received = await receiver.waitFor(2);
    expect(expectSigned(posts(received)[0]!).cpm_error_message).toBe("INSUFFISENT_BALANCE");
    expect((await check(env.api, { transaction_id: p.transactionId })).json).toMatchObject({
      code: "602",
      message: "INSUFFISENT_BALANCE",
      data: { status: "REFUSED", payment_date: " ", operator_id: null },
    });
  });

  it("waiting then accepted: a WAITING_FOR_CUSTOMER notification, then the final one", async () => {
    const p = await pay();
    const waiting = await submit(p.url, { action: "pay", method: "OM", phone: "0707070707", outcome: "waiting" });
    expect(waiting.html).toContain('data-testid="waiting-approve"');
    expect((await check(env.api, { token: p.token })).json).toMatchObject({ code: "623", data: { status: "WAITING_FOR_CUSTOMER" } });
    await receiver.waitFor(2);
    expect(expectSigned(posts(receiver.received)[0]!).cpm_error_message).toBe("WAITING_CUSTOMER_TO_VALIDATE");

    const done = await submit(`${p.url}/confirm`, { decision: "accepted" });
    expect(done.html).toContain('data-status="ACCEPTED"');
    const received = await receiver.waitFor(4);
    expect(received.map((r) => r.method)).toEqual(["GET", "POST", "GET", "POST"]);
    expect(posts(received).map((r) => expectSigned(r).cpm_error_message)).toEqual(["WAITING_CUSTOMER_TO_VALIDATE", "SUCCES"]);
    expect((await check(env.api, { token: p.token })).json).toMatchObject({ code: "00", data: { status: "ACCEPTED" } });
  });

  it("waiting then declined on the phone", async () => {
    const p = await pay();
    await submit(p.url, { action: "pay", method: "FLOOZ", phone: "0101010101", outcome: "waiting" });
    const done = await submit(`${p.url}/confirm`, { decision: "refused", failure_code: "604" });
    expect(done.html).toContain('data-status="REFUSED"');
    const received = await receiver.waitFor(4);
    expect(posts(received).map((r) => expectSigned(r).cpm_error_message)).toEqual(["WAITING_CUSTOMER_TO_VALIDATE", "OTP_CODE_ERROR"]);
  });

  it("cancel: 627 TRANSACTION_CANCEL in the notification and the check", async () => {
    const p = await pay();
    const page = await submit(p.url, { action: "cancel" });
    expect(page.html).toContain('data-status="REFUSED"');
    expect(page.html).toContain("627 TRANSACTION_CANCEL");
    const received = await receiver.waitFor(2);
    expect(expectSigned(posts(received)[0]!).cpm_error_message).toBe("TRANSACTION_CANCEL");
    expect((await check(env.api, { transaction_id: p.transactionId })).json).toMatchObject({ code: "627", message: "TRANSACTION_CANCEL", data: { status: "REFUSED", payment_date: " " } });
  });

  it("asks again for a missing phone number, and locks a number the merchant locked", async () => {
    const p = await pay();
    const page = await submit(p.url, { action: "pay", method: "OM", phone: "", outcome: "accepted" });
    expect(page.status).toBe(422);
    expect(page.html).toContain('data-testid="form-error"');
    expect((await check(env.api, { token: p.token })).json).toMatchObject({ data: { status: "CREATED" } });
    const locked = await pay({ lock_phone_number: true, customer_phone_number: "0707070707" });
    expect(await (await fetch(locked.url)).text()).toMatch(/value="0707070707" readonly/);
  });

  it("offers only the channels the merchant asked for, and chooses no operator for the shopper", async () => {
    const mobile = await pay({ channels: "MOBILE_MONEY, WALLET" });
    const html = await (await fetch(mobile.url)).text();
    for (const id of ["method-OM", "method-MOMO", "method-FLOOZ", "method-WAVE"]) expect(html).toContain(`data-testid="${id}"`);
    expect(html).not.toContain('data-testid="method-CARD"');
    expect(html).not.toMatch(/name="method"[^>]* checked/);
    expect(html).toMatch(/value="0707070707"/);
    // Card is not offered, so it cannot be chosen by a crafted post either.
    const card = await submit(mobile.url, { action: "pay", method: "CARD", phone: "0707070707", outcome: "accepted" });
    expect(card.status).toBe(422);
    expect((await check(env.api, { token: mobile.token })).json).toMatchObject({ data: { status: "CREATED" } });

    const cardOnly = await pay({
      channels: "CREDIT_CARD",
      customer_email: "awa@example.ci",
      customer_address: "Rue 12",
      customer_city: "Abidjan",
      customer_state: "Lagunes",
      customer_zip_code: "00000",
    });
    const cardHtml = await (await fetch(cardOnly.url)).text();
    expect(cardHtml).toMatch(/data-testid="method-CARD" checked/);
    expect(cardHtml).not.toContain('data-testid="method-OM"');
  });

  it("pays from the locked number whatever the form posts", async () => {
    const locked = await pay({ lock_phone_number: true, customer_phone_number: "0707070707" });
    await submit(locked.url, { action: "pay", method: "OM", phone: "0505050505", outcome: "accepted" });
    const received = await receiver.waitFor(2);
    expect(expectSigned(posts(received)[0]!).cel_phone_num).toBe("0707070707");
  });
});
