import path from "node:path";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { signIn, USERS } from "./support/auth";

/**
 * Server actions trust nothing the browser sends: the owner of `autre` submits the dashboard's
 * own forms with `demo`'s ids put into their hidden fields (what a forged request carries), and
 * a signed-out browser submits them too. Each is refused and demo's data stays as it was.
 */

const NOT_FOUND = "Introuvable dans votre compte.";

type DemoIds = { paymentId: string; orderHref: string; notificationId: string; linkTitle: string; linkId: string; productId: string; productName: string };

async function demoIds(page: Page): Promise<DemoIds> {
  await signIn(page, USERS.demoOwner);
  await page.goto("/dashboard/orders?status=paid&provider=kkiapay");
  const link = page.locator('[data-testid="order-row"][data-reference^="H"]').filter({ visible: true }).first().getByTestId("order-link");
  const orderHref = (await link.getAttribute("href"))!;
  await page.goto(orderHref);
  const paymentId = (await page.getByTestId("payment-card").first().getAttribute("data-payment-id"))!;
  await deliverTo(page, "demo");
  await page.goto("/dashboard/notifications");
  const notificationId = await page.locator('input[name="notificationId"]').first().inputValue();
  await page.goto("/dashboard/links");
  const linkRow = page.locator('[data-testid="link-row"][data-active="true"]').first();
  const linkTitle = (await linkRow.getAttribute("data-title"))!;
  const linkId = await linkRow.locator('input[name="linkId"]').inputValue();
  await page.goto("/dashboard/products");
  const productRow = page.locator('[data-testid="product-row"][data-active="true"]').first();
  const productName = (await productRow.getAttribute("data-name"))!;
  const productId = await productRow.locator('input[name="productId"]').first().inputValue();
  return { paymentId, orderHref, notificationId, linkTitle, linkId, productId, productName };
}

/**
 * Leaves a stored delivery on the payment of the order page shown, so the notifications log has
 * a replay form: a forged KKiaPay webhook (refused, logged) or an iPay callback (unsigned, so it
 * only triggers a status check).
 */
async function deliverTo(page: Page, merchant: "demo" | "autre") {
  const card = page.getByTestId("payment-card").first();
  const reference = (await card.getByTestId("payment-reference").textContent())!.trim();
  if ((await card.getAttribute("data-provider")) === "ipay") {
    const res = await page.request.get(`/api/webhooks/ipay/${merchant}?status=aei7p7yrx4ae34&id=${reference}&txncd=E2E${Date.now()}`);
    expect(res.status()).toBe(200);
  } else {
    const res = await page.request.post(`/api/webhooks/kkiapay/${merchant}`, {
      headers: { "x-kkiapay-secret": "forged" },
      data: { transactionId: `forged-${Date.now()}`, stateData: reference, isPaymentSucces: true },
    });
    expect(res.status()).toBe(401);
  }
}

/** Rewrites a hidden field of a rendered form, as a forged request would carry it. */
async function forge(field: Locator, value: string) {
  await field.evaluate((el, v) => ((el as HTMLInputElement).value = v), value);
}

async function timelineCount(page: Page, href: string) {
  await page.goto(href);
  return page.getByTestId("timeline-event").count();
}

test.describe("dashboard server actions and tenant isolation", () => {
  test.use({ locale: "fr-CI", viewport: { width: 1280, height: 900 } });

  test("autre's owner cannot re-check, refund, replay, disable or archive with demo's ids", async ({ page, browser }) => {
    const demo = await demoIds(page);
    const eventsBefore = await timelineCount(page, demo.orderHref);

    const other = await (await browser.newContext({ locale: "fr-CI" })).newPage();
    await signIn(other, USERS.autreOwner);
    await other.goto("/dashboard/orders?status=paid");
    await other.locator('[data-testid="order-row"][data-reference^="H"]').filter({ visible: true }).first().getByTestId("order-link").click();
    await expect(other.getByTestId("payment-card").first()).toBeVisible();
    await deliverTo(other, "autre");
    await other.reload();

    await other.getByTestId("recheck-open").first().click();
    await forge(other.locator('[data-testid="recheck-confirm"] input[name="paymentId"]'), demo.paymentId);
    await other.getByTestId("recheck-submit").click();
    await expect(other.getByTestId("recheck-result").first()).toHaveText(NOT_FOUND);

    await other.getByTestId("refund-open").first().click();
    const refund = other.locator("form", { has: other.getByTestId("refund-submit") }).first();
    await forge(refund.locator('input[name="paymentId"]'), demo.paymentId);
    await refund.getByTestId("refund-confirm").check();
    await refund.getByTestId("refund-submit").click();
    await expect(other.getByTestId("refund-result").first()).toHaveText(NOT_FOUND);

    await other.goto("/dashboard/notifications");
    const replay = other.locator("form", { has: other.getByTestId("replay-submit") }).first();
    await forge(replay.locator('input[name="notificationId"]'), demo.notificationId);
    await replay.getByTestId("replay-submit").click();
    await expect(other.getByTestId("replay-result").first()).toHaveText(NOT_FOUND);

    await other.goto("/dashboard/links");
    const toggle = other.locator("form", { has: other.getByTestId("link-toggle") }).first();
    await forge(toggle.locator('input[name="linkId"]'), demo.linkId);
    await toggle.getByTestId("link-toggle").click();
    await expect(other.getByTestId("link-toggle-result").first()).toHaveText(NOT_FOUND);

    await other.goto("/dashboard/products");
    const archive = other.locator("form", { has: other.getByTestId("product-archive") }).first();
    await forge(archive.locator('input[name="productId"]'), demo.productId);
    await archive.getByTestId("product-archive").click();
    await expect(other.getByTestId("product-archive-result").first()).toHaveText(NOT_FOUND);
    await other.context().close();

    // Nothing moved on demo's side: no new event on the payment, the link still active.
    expect(await timelineCount(page, demo.orderHref)).toBe(eventsBefore);
    await expect(page.locator('[data-testid="payment-card"]').first()).not.toHaveAttribute("data-status", "refunded");
    await page.goto("/dashboard/links");
    await expect(page.locator(`[data-testid="link-row"][data-title="${demo.linkTitle}"]`)).toHaveAttribute("data-active", "true");
    await page.goto("/dashboard/products");
    await expect(page.locator(`[data-testid="product-row"][data-name="${demo.productName}"]`)).toHaveAttribute("data-active", "true");
  });

  test("autre's owner cannot edit demo's store nor take its logo off; demo's staff have no store form; a removed logo is served to no one", async ({ page, browser, playwright, baseURL }) => {
    test.setTimeout(120_000);
    await signIn(page, USERS.demoOwner);
    const demoId = (await page.getByTestId("store-choice").getAttribute("value"))!;
    await page.goto("/dashboard/settings");
    const demoForm = page.getByTestId("store-settings");
    const demoStore = { name: await demoForm.getByTestId("store-name").inputValue(), slug: await demoForm.getByTestId("store-slug").inputValue() };
    await demoForm.getByTestId("store-logo").setInputFiles(path.join(process.cwd(), "e2e/support/product.png"));
    await demoForm.getByTestId("store-submit").click();
    await expect(demoForm.getByTestId("store-result")).toHaveText("Boutique enregistrée.");
    const logoUrl = (await demoForm.getByTestId("store-logo-current").getAttribute("src"))!;

    // autre's owner submits their own store form carrying demo's id and a request to remove the logo.
    const other = await (await browser.newContext({ locale: "fr-CI" })).newPage();
    await signIn(other, USERS.autreOwner);
    await other.goto("/dashboard/settings");
    expect(await other.content()).not.toContain(logoUrl);
    const form = other.locator("form", { has: other.getByTestId("store-submit") });
    await form.evaluate((el, id) => {
      for (const [name, value] of [["merchantId", id], ["id", id], ["removeLogo", "on"]]) {
        const input = Object.assign(document.createElement("input"), { type: "hidden", name, value });
        el.appendChild(input);
      }
    }, demoId);
    await form.getByTestId("store-submit").click();
    await expect(other.getByTestId("store-result")).toHaveText("Boutique enregistrée.");
    await expect(other.getByTestId("merchant-name")).toHaveText("Duka la Autre");
    await other.context().close();

    // demo's staff see the settings, not the store form.
    const staff = await (await browser.newContext({ locale: "fr-CI" })).newPage();
    await signIn(staff, USERS.demoStaff);
    await staff.goto("/dashboard/settings");
    await expect(staff.getByTestId("settings-owner-only")).toBeVisible();
    await expect(staff.getByTestId("store-settings")).toHaveCount(0);
    await staff.context().close();

    // demo is as it was, its logo still on its storefront and served to anyone.
    await page.reload();
    await expect(demoForm.getByTestId("store-name")).toHaveValue(demoStore.name);
    await expect(demoForm.getByTestId("store-slug")).toHaveValue(demoStore.slug);
    await expect(demoForm.getByTestId("store-logo-current")).toHaveAttribute("src", logoUrl);
    const anonymous = await playwright.request.newContext({ baseURL });
    expect((await anonymous.get(logoUrl)).status()).toBe(200);
    // Its owner takes it off: the URL answers nobody any more.
    await demoForm.getByTestId("store-logo-remove").check();
    await demoForm.getByTestId("store-submit").click();
    await expect(demoForm.getByTestId("store-logo-current")).toHaveCount(0);
    expect((await anonymous.get(logoUrl)).status()).toBe(404);
    await anonymous.dispose();
  });

  test("a signed-out browser's action call is sent to the sign-in page and changes nothing", async ({ page }) => {
    const demo = await demoIds(page);
    const eventsBefore = await timelineCount(page, demo.orderHref);
    await page.getByTestId("recheck-open").first().click();
    await page.context().clearCookies();
    await page.getByTestId("recheck-submit").click();
    await expect(page).toHaveURL(/\/login/);
    await signIn(page, USERS.demoOwner);
    expect(await timelineCount(page, demo.orderHref)).toBe(eventsBefore);
  });

  test("every dashboard page and the CSV export send a signed-out request to sign in", async ({ page, playwright, baseURL }) => {
    const demo = await demoIds(page);
    const anonymous = await playwright.request.newContext({ baseURL });
    const paths = ["", "/orders", demo.orderHref.replace(/^\/dashboard/, ""), "/orders/export", "/pending", "/settlements", "/notifications", "/products", "/links", "/settings"];
    for (const path of paths) {
      const res = await anonymous.get(`/dashboard${path}`, { maxRedirects: 0 });
      expect([302, 307], path).toContain(res.status());
      expect(res.headers().location, path).toContain("/login");
    }
    // Opening a store needs an account too.
    const storeForm = await anonymous.get("/stores/new", { maxRedirects: 0 });
    expect([302, 307]).toContain(storeForm.status());
    expect(storeForm.headers().location).toContain("/login");
    await anonymous.dispose();
  });

  test("the store switcher and its cookie open only the user's own stores", async ({ page, browser, baseURL }) => {
    await signIn(page, USERS.demoOwner);
    const demoId = (await page.getByTestId("store-choice").getAttribute("value"))!;

    const other = await (await browser.newContext({ locale: "fr-CI" })).newPage();
    await signIn(other, USERS.autreOwner);
    await other.getByTestId("store-switcher").locator("summary").click();
    await forge(other.getByTestId("store-choice"), demoId);
    await other.getByTestId("store-choice").click();
    await expect(other).toHaveURL(/\/dashboard$/);
    await expect(other.getByTestId("merchant-name")).toHaveText("Duka la Autre");
    // A hand-made choice cookie naming demo is no better.
    await other.context().addCookies([{ name: "caisse-store", value: `${demoId}.forged`, url: baseURL! }]);
    await other.goto("/dashboard/orders");
    await expect(other.getByTestId("merchant-name")).toHaveText("Duka la Autre");
    await other.context().close();
  });
});
