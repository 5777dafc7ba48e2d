import { expect, type Page } from "@playwright/test";

/**
 * What a shopper does on the storefront and the checkout, shared by the specs that buy
 * something. The order page reads the database: "paid" there is the order paid in the database,
 * which /api/orders/<id>/status confirms.
 */
export async function fillCart(page: Page, shop: string, count = 2) {
  await page.goto(`/${shop}`);
  const buttons = page.locator('[data-testid^="add-prd_"]');
  for (let i = 0; i < count; i++) await buttons.nth(i).click();
  await expect(page.getByTestId("cart-summary")).toContainText(String(count));
  await page.getByTestId("go-checkout").click();
  await expect(page.getByTestId("cart-lines")).toBeVisible();
}

/** `email: null` leaves the e-mail field empty, as a hurried shopper does. */
export async function fillCustomer(page: Page, fields: { country?: string; phone: string; option: string; email?: string | null }) {
  await page.locator("#name").fill("Aminata Traoré");
  if (fields.country) await page.locator("#country").selectOption(fields.country);
  await page.locator("#phone").fill(fields.phone);
  if (fields.email !== null) await page.locator("#email").fill(fields.email ?? "aminata@example.ci");
  await page.getByTestId(`option-${fields.option}`).check();
}

/** From the checkout: MTN on CinetPay's hosted page, accepted, back to the order page (`phone` as the shopper types it). */
export async function payOnCinetpayPage(page: Page, phone = "0707070707") {
  await answerOnCinetpayPage(page, "accepted", undefined, phone);
}

/** From the checkout: MTN on CinetPay's hosted page, refused with CinetPay's `code` (602: insufficient balance), back to the order page. */
export async function refuseOnCinetpayPage(page: Page, code = "602") {
  await answerOnCinetpayPage(page, "refused", code);
}

async function answerOnCinetpayPage(page: Page, outcome: "accepted" | "refused", code?: string, phone = "0707070707") {
  await fillCustomer(page, { phone, option: "cinetpay.mobile_money.hosted" });
  await page.getByTestId("pay").click();
  await expect(page).toHaveURL(/\/sandbox\/cinetpay\/payment\//);
  await page.getByTestId("method-MOMO").check();
  await page.getByTestId(`outcome-${outcome}`).check();
  if (code) await page.getByTestId("failure-code").selectOption(code);
  await page.getByTestId("pay-submit").click();
  await page.getByTestId("return-to-merchant").click();
}

/** From the checkout: Orange Money's hosted page, the number and its OTP confirmed (back on our page by itself). */
export async function payOnOrangeMoneyPage(page: Page) {
  await fillCustomer(page, { phone: "0707070707", option: "orange-money.orange_money.hosted" });
  await page.getByTestId("pay").click();
  await expect(page).toHaveURL(/\/sandbox\/orange-money\/payment\/pay_token\//);
  await page.getByTestId("om-msisdn").fill("0707070707");
  await page.getByTestId("om-otp").fill("1234");
  await page.getByTestId("om-confirm").click();
}

export async function expectPaid(page: Page) {
  await expect(page.getByTestId("order-status")).toHaveAttribute("data-status", "paid", { timeout: 20_000 });
  await expect(page.getByTestId("receipt")).toBeVisible();
  const orderId = new URL(page.url()).pathname.split("/")[2];
  const status = await page.request.get(`/api/orders/${orderId}/status`);
  expect(await status.json()).toMatchObject({ status: "paid", payment: { status: "paid" } });
  return orderId!;
}
