import { expect, test, type Page } from "@playwright/test";
import { signIn, USERS } from "./support/auth";

/**
 * A shopper pays one order twice at KKiaPay (two tabs, each with its own payment and widget),
 * the second payment shows up in the merchant's Exceptions queue, and the owner refunds it with
 * one click through KKiaPay's API (the sandbox's /revert). The queue is then empty and the order
 * stays paid by the first payment. Staff see the queue but cannot act on it.
 */

test.use({ locale: "fr-CI" });

async function payWidget(page: Page) {
  const widget = page.frameLocator('[data-testid="kkiapay-widget-frame"]');
  await widget.getByTestId("kkiapay-phone").fill("0197000000");
  await widget.getByTestId("kkiapay-outcome-success").check();
  await widget.getByTestId("kkiapay-pay").click();
}

/** The exceptions queue row of this order, reloading until the flag has been raised (it comes from KKiaPay's webhook). */
async function exceptionRow(page: Page, orderId: string) {
  const row = page.locator(`[data-testid="exception-row"][data-order-id="${orderId}"]`);
  await expect(async () => {
    await page.goto("/dashboard/exceptions");
    await expect(row).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  return row;
}

test("a double payment at KKiaPay is refunded from the Exceptions queue in one click; the order stays paid", async ({ browser, page }) => {
  // Tab A: the first attempt is abandoned, so the order page offers another try.
  const shopper = await browser.newContext({ viewport: { width: 360, height: 780 }, locale: "fr-CI" });
  const tabA = await shopper.newPage();
  await tabA.goto("/demo");
  await tabA.locator('[data-testid^="add-prd_"]').first().click();
  await tabA.getByTestId("go-checkout").click();
  await tabA.locator("#name").fill("Aminata Traoré");
  await tabA.locator("#country").selectOption("BJ");
  await tabA.locator("#phone").fill("01 97 00 00 00");
  await tabA.locator("#email").fill("aminata@example.ci");
  await tabA.getByTestId("option-kkiapay.mtn.hosted").check();
  await tabA.getByTestId("pay").click();
  await tabA.frameLocator('[data-testid="kkiapay-widget-frame"]').getByTestId("kkiapay-abort").click();
  await expect(tabA.getByTestId("order-status")).toHaveAttribute("data-status", "cancelled");
  const orderUrl = tabA.url();
  const orderId = new URL(orderUrl).pathname.split("/")[2]!;

  // Tab B opens the same order page while it still offers a try: two tabs, two payments.
  const tabB = await shopper.newPage();
  await tabB.goto(orderUrl);
  await expect(tabB.getByTestId("retry-form")).toBeVisible();
  await tabA.getByTestId("retry-option-kkiapay.mtn.hosted").check();
  await tabA.getByTestId("retry-submit").click();
  await expect(tabA.getByTestId("kkiapay-widget-frame")).toBeVisible();
  await tabB.getByTestId("retry-option-kkiapay.mtn.hosted").check();
  await tabB.getByTestId("retry-submit").click();
  await expect(tabB.getByTestId("kkiapay-widget-frame")).toBeVisible();

  // Both widgets are paid: B's payment pays the order, A's is the second payment.
  await payWidget(tabB);
  await expect(tabB.getByTestId("order-status")).toHaveAttribute("data-status", "paid", { timeout: 20_000 });
  await payWidget(tabA);
  await expect(tabA.getByTestId("order-status")).toHaveAttribute("data-status", "paid", { timeout: 20_000 });
  await shopper.close();

  // Staff see it, with what happened, and no action.
  const staffContext = await browser.newContext({ locale: "fr-CI" });
  const staff = await staffContext.newPage();
  await signIn(staff, USERS.demoStaff);
  const seen = await exceptionRow(staff, orderId);
  await expect(seen).toHaveAttribute("data-flag", "double_payment");
  await expect(seen.getByTestId("exceptions-owner-only")).toBeVisible();
  await expect(seen.locator("form")).toHaveCount(0);
  await staffContext.close();

  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, USERS.demoOwner);
  await expect(page.getByTestId("open-exceptions")).toHaveAttribute("data-count", /^[1-9]\d*$/);
  await page.getByTestId("open-exceptions").click();
  const row = await exceptionRow(page, orderId);
  await expect(row.getByTestId("exception-reason")).toContainText("Le client a payé deux fois cette commande");
  // The money was collected a second time: the payment is recorded as paid, flagged (the core's model).
  await expect(row.getByTestId("exception-status"), "a double payment is recorded as collected (status paid, flag double_payment)").toHaveAttribute("data-status", "paid");
  await page.screenshot({ path: "e2e/screenshots/dashboard-exceptions-desktop.png", fullPage: true });
  await page.setViewportSize({ width: 360, height: 780 });
  await page.screenshot({ path: "e2e/screenshots/dashboard-exceptions-360.png", fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });

  await expect(row.getByTestId("exception-refund-submit")).toContainText("KKiaPay");
  await row.getByTestId("exception-refund-submit").click();
  await expect(page.getByTestId("exceptions-done")).toHaveAttribute("data-outcome", "refunded");
  // Nothing else in this run raises an exception: the queue is empty.
  await expect(page.getByTestId("exception-row")).toHaveCount(0);
  await expect(page.getByTestId("exceptions-empty")).toBeVisible();

  // The order stays paid by the first payment; the second is refunded through KKiaPay's API.
  await page.goto(`/dashboard/orders/${orderId}`);
  await expect(page.getByTestId("order-reference").locator("..").getByTestId("status-badge")).toHaveAttribute("data-status", "paid");
  await expect(page.locator('[data-testid="refund-entry"][data-kind="api"][data-status="succeeded"]')).toHaveCount(1);
  await expect(page.getByTestId("payment-flag")).toHaveAttribute("data-resolution", "refunded");
  await expect(page.locator('[data-testid="timeline-event"][data-type="exception"]')).toHaveCount(1);
  const status = await page.request.get(`/api/orders/${orderId}/status`);
  expect(await status.json()).toMatchObject({ status: "paid" });
});
