import { expect, test, type Page } from "@playwright/test";
import { createSandboxKey } from "./support/api-key";
import { USERS } from "./support/auth";
import { e2eDatabase } from "./support/db";
import { startMerchantSite, type MerchantSite } from "./support/merchant-site";
import { fillCustomer, payOnCinetpayPage, payOnOrangeMoneyPage, refuseOnCinetpayPage } from "./support/shopper";

/**
 * A merchant's own site takes payments through Caisse as a real integration would: its server
 * (a separate node:http server, e2e/support/merchant-site.ts) creates a checkout session with a
 * sandbox key made in the dashboard, sends the shopper's phone to the session's `url`, and gets
 * the shopper back on its success_url once paid, where it asks the API before it believes it.
 * Its server also registers a webhook endpoint through the API, receives checkout.session.completed,
 * verifies it with the official `standardwebhooks` package and marks its order paid by it.
 * Each of the four providers' sandbox flows, as the storefront's checkout runs them.
 */
test.use({ viewport: { width: 360, height: 780 }, locale: "fr-CI" });

let demo: MerchantSite;
let autre: MerchantSite;

test.beforeAll(async ({ browser }, info) => {
  const base = info.project.use.baseURL!;
  demo = await startMerchantSite({ caisseUrl: base, apiKey: await createSandboxKey(browser, USERS.demoOwner, base) });
  autre = await startMerchantSite({ caisseUrl: base, apiKey: await createSandboxKey(browser, USERS.autreOwner, base) });
  // Both sites hear of their payments by webhook too, as an integration should not rely on the redirect.
  await demo.listen(["checkout.session.completed", "payment.paid"]);
  await autre.listen(["checkout.session.completed", "payment.paid"]);
});
test.afterAll(async () => {
  await demo?.close();
  await autre?.close();
});

/** On the merchant's site, "Pay": its server makes the session and sends the browser to its page. */
async function startOnMerchantSite(page: Page, site: MerchantSite, amount: RegExp) {
  await page.goto(site.url);
  await page.getByTestId("merchant-pay").click();
  await expect(page).toHaveURL(/\/checkout\/cs_[0-9A-Za-z]{22}$/);
  await expect(page.getByTestId("session-amount")).toHaveText(amount);
  await expect(page.getByTestId("session-test-mode")).toBeVisible();
  return new URL(page.url()).pathname.split("/")[2]!;
}

/** Paid: the receipt offers the way back, then takes the shopper there by itself; the merchant's server confirms with the API. */
async function expectBackOnMerchantSite(page: Page, site: MerchantSite, sessionId: string) {
  await expect(page.getByTestId("back-to-merchant")).toBeVisible({ timeout: 25_000 });
  await expect(page.getByTestId("order-status")).toHaveAttribute("data-status", "paid");
  await expect(page).toHaveURL(`${site.url}/success?session_id=${sessionId}`, { timeout: 15_000 });
  await expect(page.getByTestId("merchant-paid")).toBeVisible();
  const order = [...site.orders.values()].find((o) => o.sessionId === sessionId);
  expect(order?.paid).toBe(true);
  // Its server also received checkout.session.completed, verified it with standardwebhooks and
  // marked the order paid by it (delivery is asynchronous: the outbox, then pg-boss).
  await expect.poll(() => order?.paidByWebhook, { timeout: 30_000, message: "checkout.session.completed received and verified" }).toBe(true);
  const completed = site.webhooks.filter((w) => w.type === "checkout.session.completed" && w.data?.id === sessionId);
  expect(completed.map((w) => [w.verified, w.duplicate])).toEqual([[true, false]]);
  expect(completed[0]!.data).toMatchObject({ status: "complete", payment_id: expect.stringMatching(/^pay_/), client_reference: order!.reference });
  expect(site.webhooks.filter((w) => !w.verified)).toEqual([]);
  // The session's page now says it is paid and offers no payment.
  await page.goto(`/checkout/${sessionId}`);
  await expect(page.getByTestId("session-closed")).toHaveAttribute("data-status", "complete");
  await expect(page.getByTestId("pay")).toHaveCount(0);
}

test("CinetPay: from the merchant's site to Caisse's page, paid on CinetPay's page, back on the merchant's success page", async ({ page }) => {
  demo.nextSession = { line_items: [{ name: "Pagne wax", unit_amount: 1_500, quantity: 2 }], currency: "XOF", customer: { name: "Awa Koné", country: "CI" } };
  const id = await startOnMerchantSite(page, demo, /3\s?000/);
  await expect(page.getByTestId("session-items")).toContainText("Pagne wax");
  // What the merchant knows of the shopper is already typed.
  await expect(page.locator("#name")).toHaveValue("Awa Koné");
  await page.screenshot({ path: `e2e/screenshots/api-session-fr-${test.info().project.name}.png`, fullPage: true });
  await payOnCinetpayPage(page, "07 07 07 07 07");
  await expectBackOnMerchantSite(page, demo, id);
});

test("Orange Money hosted page with its OTP", async ({ page }) => {
  demo.nextSession = { amount: 2_000, currency: "XOF" };
  const id = await startOnMerchantSite(page, demo, /2\s?000/);
  await payOnOrangeMoneyPage(page);
  await expectBackOnMerchantSite(page, demo, id);
});

test("KKiaPay widget from Benin", async ({ page }) => {
  demo.nextSession = { amount: 1_500, currency: "XOF", customer: { country: "BJ" } };
  const id = await startOnMerchantSite(page, demo, /1\s?500/);
  await expect(page.locator("#country")).toHaveValue("BJ");
  await fillCustomer(page, { phone: "01 97 00 00 00", option: "kkiapay.mtn.hosted" });
  await page.getByTestId("pay").click();
  await expect(page.getByRole("dialog")).toBeVisible();
  const widget = page.frameLocator('[data-testid="kkiapay-widget-frame"]');
  await widget.getByTestId("kkiapay-phone").fill("0197000000");
  await widget.getByTestId("kkiapay-outcome-success").check();
  await widget.getByTestId("kkiapay-pay").click();
  await expectBackOnMerchantSite(page, demo, id);
});

test.describe("Kenya", () => {
  test.use({ locale: "en-KE" });

  test("iPay hosted form with a card", async ({ page }) => {
    autre.nextSession = { amount: 150_000, currency: "KES" };
    const id = await startOnMerchantSite(page, autre, /1,500/);
    await fillCustomer(page, { phone: "0722 000 000", option: "ipay.card.hosted" });
    await page.getByTestId("pay").click();
    await expect(page.getByTestId("ipay-submit")).toBeVisible();
    await page.getByTestId("ipay-outcome-paid").check();
    await page.getByTestId("ipay-submit").click();
    await expectBackOnMerchantSite(page, autre, id);
  });
});

test("a refusal, then a retry on the order page: the same order paid once, then back to the merchant", async ({ page }) => {
  demo.nextSession = { amount: 1_800, currency: "XOF" };
  const id = await startOnMerchantSite(page, demo, /1\s?800/);
  await refuseOnCinetpayPage(page);
  await expect(page.getByTestId("order-status")).toHaveAttribute("data-status", "failed");
  // Not paid: the way back is the merchant's cancel_url, not its success page.
  await expect(page.getByTestId("cancel-session")).toHaveAttribute("href", /\/cancel\?ref=CMD-/);
  await expect(page.getByTestId("back-to-merchant")).toHaveCount(0);
  const orderUrl = page.url();
  // The session's page hands over to this order's page: no second order.
  await page.goto(`/checkout/${id}`);
  await expect(page).toHaveURL(orderUrl);

  await page.getByTestId("retry-option-orange-money.orange_money.hosted").check();
  await page.getByTestId("retry-submit").click();
  await page.getByTestId("om-msisdn").fill("0707070707");
  await page.getByTestId("om-otp").fill("1234");
  await page.getByTestId("om-confirm").click();
  await expectBackOnMerchantSite(page, demo, id);
});

test("the cancel link takes the shopper back to the merchant's cancel_url, unpaid", async ({ page }) => {
  demo.nextSession = { amount: 1_000, currency: "XOF" };
  await startOnMerchantSite(page, demo, /1\s?000/);
  await page.getByTestId("cancel-session").click();
  await expect(page).toHaveURL(new RegExp(`^${demo.url}/cancel\\?ref=CMD-`));
  await expect(page.getByTestId("merchant-cancelled")).toBeVisible();
  // A success URL typed by hand proves nothing to the merchant's server: it asks the API.
  const [order] = [...demo.orders.values()].slice(-1);
  await page.goto(`${demo.url}/success?session_id=${order!.sessionId}`);
  await expect(page.getByTestId("merchant-unpaid")).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the session's page starts the payment and comes back to the merchant's site", async ({ page }) => {
    demo.nextSession = { amount: 1_200, currency: "XOF" };
    const id = await startOnMerchantSite(page, demo, /1\s?200/);
    await fillCustomer(page, { phone: "0707070707", option: "cinetpay.mobile_money.hosted" });
    await page.getByTestId("pay").click();
    await expect(page).toHaveURL(/\/sandbox\/cinetpay\/payment\//);
    await page.getByTestId("method-MOMO").check();
    await page.getByTestId("outcome-accepted").check();
    await page.getByTestId("pay-submit").click();
    await page.getByTestId("return-to-merchant").click();
    await expectBackOnMerchantSite(page, demo, id);
  });
});

test("an expired session's page says so and starts no payment", async ({ page }, info) => {
  test.skip(info.project.name !== "postgres", "moves the session's clock in the database, which only the PostgreSQL project can reach");
  demo.nextSession = { amount: 1_300, currency: "XOF" };
  const id = await startOnMerchantSite(page, demo, /1\s?300/);
  const sql = e2eDatabase();
  try {
    await sql`update checkout_sessions set created_at = now() - interval '25 hours', expires_at = now() - interval '1 hour' where id = ${id}`;
  } finally {
    await sql.end();
  }
  await page.reload();
  await expect(page.getByTestId("session-closed")).toHaveAttribute("data-status", "expired");
  await expect(page.getByTestId("session-closed")).toContainText("a expiré");
  await expect(page.getByTestId("pay")).toHaveCount(0);
  await page.getByTestId("cancel-session").click();
  await expect(page.getByTestId("merchant-cancelled")).toBeVisible();
});
