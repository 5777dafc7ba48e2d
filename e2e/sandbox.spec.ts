import { createHmac } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { SEED_MERCHANTS } from "@/db/seed-data";
import { startReceiver } from "@/lib/testing/http-host";

/**
 * The simulators in a real Chromium against `next start`: a tester clicks through each
 * provider's hosted page, widget or phone screen, and the provider's notification reaches a
 * receiver of ours with a signature checked by code written here, from PROVIDERS.md.
 */

const creds = (slug: string, provider: string) => SEED_MERCHANTS.find((m) => m.slug === slug)!.accounts.find((a) => a.provider === provider)!.credentials;
const ref = (prefix: string) => `${prefix}${Date.now().toString(36).toUpperCase()}${Math.floor(Math.random() * 1e4)}`;

async function shoot(page: Page, name: string) {
  await page.setViewportSize({ width: 360, height: 780 });
  await page.screenshot({ path: `e2e/screenshots/sandbox-${name}.png`, fullPage: true });
}

test.describe("sandbox simulators in the browser", () => {
  test.use({ locale: "fr-CI" });

  test("CinetPay: hosted page → ACCEPTED → signed notification", async ({ page, request, baseURL }, info) => {
    const receiver = await startReceiver();
    try {
      const cp = creds("demo", "cinetpay");
      const transactionId = ref("CSE2E");
      const init = await request.post(`${baseURL}/sandbox/cinetpay/v2/payment`, {
        data: {
          apikey: cp.apiKey, site_id: cp.siteId, transaction_id: transactionId, amount: 5000, currency: "XOF", description: "Test navigateur",
          notify_url: `${receiver.url}/notify`, return_url: `${receiver.url}/return`, channels: "ALL", lang: "fr", metadata: "e2e",
          customer_name: "Koné", customer_surname: "Awa",
        },
      });
      expect(init.status()).toBe(200);
      const body = await init.json();
      expect(body).toMatchObject({ code: "201", message: "CREATED", data: { payment_token: expect.any(String), payment_url: expect.stringContaining("/sandbox/cinetpay/payment/") } });

      await page.goto(body.data.payment_url);
      await expect(page.getByText("SANDBOX")).toBeVisible();
      if (info.project.name === "pglite") await shoot(page, "cinetpay-fr");
      await page.getByTestId("method-OM").check();
      await page.getByTestId("phone").fill("0707070707");
      await page.getByTestId("outcome-accepted").check();
      await page.getByTestId("pay-submit").click();
      await expect(page.getByTestId("result-title")).toBeVisible();

      const received = await receiver.waitFor(2);
      expect(received[0]!.method).toBe("GET"); // the ping
      const post = received.find((r) => r.method === "POST")!;
      const form = new URLSearchParams(post.body);
      const order = ["cpm_site_id", "cpm_trans_id", "cpm_trans_date", "cpm_amount", "cpm_currency", "signature", "payment_method", "cel_phone_num", "cpm_phone_prefixe", "cpm_language", "cpm_version", "cpm_payment_config", "cpm_page_action", "cpm_custom", "cpm_designation", "cpm_error_message"];
      expect([...form.keys()]).toEqual(order);
      const expected = createHmac("sha256", cp.secretKey!).update(order.map((k) => form.get(k) ?? "").join("")).digest("hex");
      expect(post.headers.get("x-token")).toBe(expected);
      expect(form.get("cpm_trans_id")).toBe(transactionId);

      const check = await request.post(`${baseURL}/sandbox/cinetpay/v2/payment/check`, { data: { apikey: cp.apiKey, site_id: cp.siteId, transaction_id: transactionId } });
      expect(await check.json()).toMatchObject({ code: "00", data: { status: "ACCEPTED", amount: "5000", currency: "XOF" } });

      // The shopper's return is a browser POST of transaction_id and token to return_url.
      await page.getByTestId("return-to-merchant").click();
      await expect.poll(() => receiver.received.filter((r) => r.path === "/return").length).toBe(1);
      const back = receiver.received.find((r) => r.path === "/return")!;
      expect(back.method).toBe("POST");
      expect(new URLSearchParams(back.body).get("transaction_id")).toBe(transactionId);
    } finally {
      await receiver.close();
    }
  });

  test("Orange Money: hosted page with OTP → SUCCESS → notification with our notif_token", async ({ page, request, baseURL }, info) => {
    const receiver = await startReceiver();
    try {
      const om = creds("demo", "orange-money");
      const token = await request.post(`${baseURL}/sandbox/orange-money/oauth/v3/token`, {
        headers: { authorization: `Basic ${Buffer.from(`${om.clientId}:${om.clientSecret}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
        data: "grant_type=client_credentials",
      });
      expect(await token.json()).toMatchObject({ token_type: "Bearer", expires_in: "7776000" });
      const bearer = (await token.json()).access_token as string;
      const orderId = ref("OME2E");
      const created = await request.post(`${baseURL}/sandbox/orange-money/orange-money-webpay/dev/v1/webpayment`, {
        headers: { authorization: `Bearer ${bearer}`, accept: "application/json" },
        data: { merchant_key: om.merchantKey, currency: "OUV", order_id: orderId, amount: 1200, return_url: `${receiver.url}/return`, cancel_url: `${receiver.url}/cancel`, notif_url: `${receiver.url}/notif`, lang: "fr", reference: "Boutique Demo" },
      });
      expect(created.status()).toBe(201);
      const payment = await created.json();

      await page.goto(payment.payment_url);
      if (info.project.name === "pglite") await shoot(page, "orange-money-fr");
      await page.getByTestId("om-msisdn").fill("0707070707");
      await page.getByTestId("om-otp").fill("1234");
      await page.getByTestId("om-outcome-success").check();
      await page.getByTestId("om-confirm").click();
      await expect(page).toHaveURL(`${receiver.url}/return`);

      // The browser landing on /return asks for /favicon.ico too: wait for the notification itself, not for a count.
      await expect.poll(() => receiver.received.some((r) => r.path === "/notif"), { timeout: 10_000 }).toBe(true);
      const notification = receiver.received.find((r) => r.path === "/notif")!;
      expect(JSON.parse(notification.body)).toEqual({ status: "SUCCESS", notif_token: payment.notif_token, txnid: expect.any(String) });

      const status = await request.post(`${baseURL}/sandbox/orange-money/orange-money-webpay/dev/v1/transactionstatus`, {
        headers: { authorization: `Bearer ${bearer}`, accept: "application/json" },
        data: { order_id: orderId, amount: 1200, pay_token: payment.pay_token },
      });
      expect(status.status()).toBe(201);
      expect(await status.json()).toMatchObject({ status: "SUCCESS", order_id: orderId });
    } finally {
      await receiver.close();
    }
  });

  test("KKiaPay: the widget script opens the modal, the tester pays, the webhook carries the secret", async ({ page, request, baseURL }, info) => {
    const receiver = await startReceiver();
    const kk = creds("demo", "kkiapay");
    const setWebhook = (webhookUrl: string | undefined) =>
      request.post(`${baseURL}/sandbox/kkiapay/_control/settings`, { headers: { "x-sandbox-secret": kk.privateKey! }, data: { accountId: kk.publicKey, settings: webhookUrl ? { webhookUrl } : {} } });
    try {
      expect((await setWebhook(`${receiver.url}/kkiapay`)).status()).toBe(200);
      const reference = ref("KKE2E");
      await page.goto(`${baseURL}/api/health`); // any page of the app's origin to host the widget
      await page.setContent(`<!doctype html><html lang="fr"><body><h1>Boutique</h1><script src="${baseURL}/sandbox/kkiapay/k.js"></script></body></html>`);
      await page.waitForFunction(() => typeof (window as unknown as { openKkiapayWidget?: unknown }).openKkiapayWidget === "function");
      await page.evaluate(
        ([key, data]) => {
          const w = window as unknown as Record<string, (...a: unknown[]) => void> & { __success?: unknown };
          w.addSuccessListener!((d: unknown) => (w.__success = d));
          w.openKkiapayWidget!({ amount: 5000, key, sandbox: true, data, name: "Aminata Traoré", reason: "Pagne wax" });
        },
        [kk.publicKey!, reference],
      );
      await expect(page.getByRole("dialog")).toBeVisible();
      const widget = page.frameLocator('[data-testid="kkiapay-widget-frame"]');
      await widget.getByTestId("kkiapay-operator-mtn").check();
      await widget.getByTestId("kkiapay-phone").fill("0707070707");
      await widget.getByTestId("kkiapay-outcome-success").check();
      if (info.project.name === "pglite") await shoot(page, "kkiapay-widget-fr");
      await widget.getByTestId("kkiapay-pay").click();

      const success = (await page.waitForFunction(() => (window as unknown as { __success?: unknown }).__success)).jsonValue();
      const event = (await success) as { transactionId: string; data?: string };
      expect(event.transactionId).toBeTruthy();

      const hook = (await receiver.waitFor(1))[0]!;
      expect(hook.headers.get("x-kkiapay-secret")).toBe(kk.secretKey);
      expect(JSON.parse(hook.body)).toMatchObject({ transactionId: event.transactionId, isPaymentSucces: true, event: "transaction.success", stateData: reference, amount: 5000 });

      const status = await request.post(`${baseURL}/sandbox/kkiapay/api/v1/transactions/status`, {
        headers: { "x-api-key": kk.publicKey!, "x-private-key": kk.privateKey!, "x-secret-key": kk.secretKey! },
        data: { transactionId: event.transactionId },
      });
      expect(await status.json()).toMatchObject({ status: "SUCCESS", amount: 5000, transactionId: event.transactionId });
    } finally {
      await setWebhook(undefined);
      await receiver.close();
    }
  });

  test("iPay: signed hosted form → M-Pesa paid → browser callback; then an STK push approved on the phone screen", async ({ page, request, baseURL }, info) => {
    const receiver = await startReceiver();
    try {
      const ip = creds("autre", "ipay");
      const oid = ref("IPE2E");
      const fields: Record<string, string> = { live: "0", oid, inv: oid.slice(-15), ttl: "1250.00", tel: "254722000000", eml: "brian@example.co.ke", vid: ip.vendorId!, curr: "KES", p1: "", p2: "", p3: "", p4: "", cbk: `${receiver.url}/cbk`, cst: "1", crl: "0" };
      const data = ["live", "oid", "inv", "ttl", "tel", "eml", "vid", "curr", "p1", "p2", "p3", "p4", "cbk", "cst", "crl"].map((k) => fields[k]).join("");
      fields.hsh = createHmac("sha1", ip.securityKey!).update(data).digest("hex");
      fields.mpesa = "1";
      const inputs = Object.entries(fields).map(([k, v]) => `<input type="hidden" name="${k}" value="${v}">`).join("");
      await page.goto(`${baseURL}/api/health`);
      await page.setContent(`<form id="f" method="post" action="${baseURL}/sandbox/ipay/v3/ke">${inputs}</form><script>document.getElementById("f").submit()</script>`);
      await expect(page.getByTestId("ipay-submit")).toBeVisible();
      if (info.project.name === "pglite") await shoot(page, "ipay-checkout-fr");
      await page.getByTestId("ipay-channel-mpesa").check();
      await page.getByTestId("ipay-outcome-paid").check();
      await page.getByTestId("ipay-submit").click();
      await expect(page).toHaveURL(new RegExp(`^${receiver.url}/cbk\\?`));
      const cbk = (await receiver.waitFor(1))[0]!;
      expect(cbk.query.get("status")).toBe("aei7p7yrx4ae34");
      expect(cbk.query.get("id")).toBe(oid);
      expect(cbk.query.has("hsh")).toBe(false); // iPay signs nothing: the IPN is the authority
      const ipn = await request.get(`${baseURL}/sandbox/ipay/ipn/?vendor=${ip.vendorId}&${["id", "ivm", "qwh", "afd", "poi", "uyt", "ifd"].map((k) => `${k}=${encodeURIComponent(cbk.query.get(k) ?? "")}`).join("&")}`);
      expect(await ipn.text()).toBe("aei7p7yrx4ae34");

      // STK push through the REST API, answered on the simulated phone.
      const pushOid = ref("IPSTK");
      const transactFields = { live: "0", oid: pushOid, inv: pushOid.slice(-15), amount: "500", tel: "254722000000", eml: "", vid: ip.vendorId!, curr: "KES", p1: "", p2: "", p3: "", p4: "", cst: "0", cbk: `${receiver.url}/stk` };
      const transactHash = createHmac("sha256", ip.securityKey!).update(["live", "oid", "inv", "amount", "tel", "eml", "vid", "curr", "p1", "p2", "p3", "p4", "cst", "cbk"].map((k) => transactFields[k as keyof typeof transactFields]).join("")).digest("hex");
      const transact = await request.post(`${baseURL}/sandbox/ipay/payments/v2/transact`, { data: { ...transactFields, hash: transactHash } });
      const sid = (await transact.json()).data.sid as string;
      const push = await request.post(`${baseURL}/sandbox/ipay/payments/v2/transact/push/mpesa`, {
        data: { phone: "254722000000", vid: ip.vendorId, sid, hash: createHmac("sha256", ip.securityKey!).update(`254722000000${ip.vendorId}${sid}`).digest("hex") },
      });
      expect(await push.json()).toMatchObject({ header_status: 200, status: 1 });
      await page.goto(`${baseURL}/sandbox/ipay/phone/254722000000`);
      if (info.project.name === "pglite") await shoot(page, "ipay-phone-fr");
      await page.getByTestId("ipay-phone-pin").fill("1234");
      await page.getByTestId("ipay-phone-approve").click();
      // The browser also asks the receiver for /favicon.ico: wait for the callback itself.
      await expect.poll(() => receiver.received.some((r) => r.path === "/stk")).toBe(true);
      const stk = receiver.received.find((r) => r.path === "/stk")!;
      expect(stk.method).toBe("GET");
      expect(stk.query.get("status")).toBe("aei7p7yrx4ae34");
    } finally {
      await receiver.close();
    }
  });
});
