import path from "node:path";
import { expect, test } from "@playwright/test";
import { expectPaid, payOnCinetpayPage } from "./support/shopper";

/**
 * A newcomer on a 360 px phone, with no developer (issue 15's "must show"): signs up, opens
 * "Chez Awa" in Côte d'Ivoire and lands on that store's dashboard, empty, with no other store to
 * switch to; adds a product with its photo and sees it on the storefront; connects CinetPay's
 * sandbox in one click; a shopper, in a second browser, buys the product from /chez-awa; the
 * merchant sees the paid order, its fee and its settlement date. It prints its steps and wall time.
 */
test.describe("merchant self-service", () => {
  test.use({ locale: "fr-CI", viewport: { width: 360, height: 740 } });

  test("sign up, open Chez Awa (Côte d'Ivoire), add a product with its photo, connect CinetPay's sandbox, a shopper buys, the dashboard shows fee and settlement", async ({ page, browser }, info) => {
    test.slow();
    const started = Date.now();
    let steps = 0;
    const step = (title: string, body: () => Promise<void>) => test.step(title, async () => { steps += 1; await body(); });

    await step("sign up", async () => {
      await page.goto("/signup");
      await page.getByTestId("signup-name").fill("Awa Koné");
      await page.getByTestId("signup-email").fill(`awa.${Date.now()}@chez-awa.ci`);
      await page.getByTestId("signup-password").fill("1234567890");
      await page.getByTestId("signup-submit").click();
      await expect(page.getByTestId("signup-password-error")).toHaveText("Ce mot de passe est trop facile à deviner : choisissez-en un autre.");
      await page.getByTestId("signup-password").fill("mangue-tamarin-42");
      await page.screenshot({ path: "e2e/screenshots/signup-fr.png", fullPage: true });
      await page.getByTestId("signup-submit").click();
      await expect(page).toHaveURL(/\/stores\/new$/);
    });

    await step("open Chez Awa in Côte d'Ivoire", async () => {
      await page.getByTestId("store-name").fill("Chez Awa");
      await expect(page.getByTestId("store-slug")).toHaveValue("chez-awa");
      await page.getByTestId("store-country").selectOption("CI");
      await expect(page.getByTestId("store-currency")).toHaveValue("XOF");
      await expect(page.getByTestId("store-timezone")).toHaveValue("Africa/Abidjan");
      // A reserved address is refused at its field; what was typed stays.
      await page.getByTestId("store-slug").fill("dashboard");
      await page.getByTestId("store-submit").click();
      await expect(page.getByTestId("store-slug-error")).toHaveText("Cette adresse est réservée par Caisse : choisissez-en une autre.");
      await expect(page.getByTestId("store-name")).toHaveValue("Chez Awa");
      await page.getByTestId("store-slug").fill("chez-awa");
      await expect(page.getByTestId("store-url")).toContainText("/chez-awa");
      await page.screenshot({ path: "e2e/screenshots/store-new-fr.png", fullPage: true });
      await page.getByTestId("store-submit").click();

      await expect(page).toHaveURL(/\/dashboard$/);
      await expect(page.getByTestId("merchant-name")).toHaveText("Chez Awa");
      await page.getByTestId("store-switcher").locator("summary").click();
      await expect(page.getByTestId("store-choice")).toHaveCount(1);
      await expect(page.getByTestId("store-choice")).toHaveAttribute("data-slug", "chez-awa");
      await page.goto("/dashboard/orders");
      await expect(page.getByTestId("orders-empty")).toBeVisible();

      // Its storefront is open, empty.
      expect((await page.request.get("/chez-awa")).status()).toBe(200);
      // Every page of the new store answers, and none shows demo's store, products, customers or orders.
      for (const path of ["", "/pending", "/exceptions", "/settlements", "/notifications", "/products", "/links", "/settings", "/orders/export"]) {
        const res = await page.request.get(`/dashboard${path}`);
        expect(res.status(), path).toBe(200);
        expect(await res.text(), path).not.toMatch(/Boutique Démo|Pagne wax|Attiéké|owner@demo\.test|lnk_demo/);
      }
    });

    await step("add a product with its photo", async () => {
      // A product with its photo, priced as people write it; a price that is no amount is refused at its field.
      // On a phone the sections are in the Menu (issue 16).
      await page.getByTestId("nav-menu").locator("summary").click();
      await page.getByTestId("menu-products").click();
      await expect(page).toHaveURL(/\/dashboard\/products$/);
      await page.getByTestId("product-create-name").fill("Bissap 1 L");
      await page.getByTestId("product-create-price").fill("cinq mille");
      await page.getByTestId("product-create-submit").click();
      await expect(page.getByTestId("product-create-price-error")).toHaveText("Saisissez un montant valide.");
      await page.getByTestId("product-create-price").fill("1 500");
      await page.getByTestId("product-create-image").setInputFiles(path.join(process.cwd(), "e2e/support/product.png"));
      await page.getByTestId("product-create-submit").click();
      await expect(page.getByTestId("product-create-result")).toHaveText("Produit ajouté.");
      await expect(page.getByTestId("product-row")).toHaveAttribute("data-name", "Bissap 1 L");
      // A second one, sold out: on the shelf, but it cannot be added.
      await page.getByTestId("product-create-name").fill("Gingembre");
      await page.getByTestId("product-create-price").fill("500");
      await page.getByTestId("product-create-stock").fill("0");
      await page.getByTestId("product-create-submit").click();
      await expect(page.getByTestId("product-row")).toHaveCount(2);
      await page.screenshot({ path: "e2e/screenshots/dashboard-products-fr.png", fullPage: true });
    });

    await step("see it on the storefront", async () => {
      await page.goto("/chez-awa");
      const shelf = page.getByTestId("product-list");
      await expect(shelf).toContainText("Bissap 1 L");
      await expect(shelf).toContainText("1\u202f500\u00a0F\u00a0CFA");
      const src = await shelf.locator("img").first().getAttribute("src");
      expect(src).toMatch(/^\/products\/images\/[0-9a-f]{64}$/);
      const image = await page.request.get(src!);
      expect([image.status(), image.headers()["content-type"], image.headers()["x-content-type-options"], image.headers()["cache-control"]]).toEqual([200, "image/png", "nosniff", "public, max-age=31536000, immutable"]);
      await expect(shelf.locator("img").first()).toHaveJSProperty("naturalWidth", 16);
      const soldOut = shelf.locator("li", { hasText: "Gingembre" });
      await expect(soldOut.getByTestId("sold-out")).toHaveText("Épuisé");
      await expect(soldOut.getByRole("button")).toBeDisabled();
      await page.screenshot({ path: "e2e/screenshots/storefront-new-store-fr.png", fullPage: true });
    });

    await step("connect CinetPay in the sandbox, in one click", async () => {
      await page.goto("/dashboard/settings#providers");
      const card = page.locator('[data-testid="provider-account"][data-provider="cinetpay"]');
      await card.getByTestId("account-use-sandbox").click();
      await expect(card.getByTestId("account-result")).toContainText("Bac à sable activé");
      await expect(card).toHaveAttribute("data-mode", "sandbox");
    });

    let orderId = "";
    await step("a shopper, in another browser, buys the product from /chez-awa", async () => {
      const shopper = await browser.newContext({ baseURL: info.project.use.baseURL, locale: "fr-CI", viewport: { width: 360, height: 740 } });
      const buyer = await shopper.newPage();
      await buyer.goto("/chez-awa");
      await buyer.getByTestId("product-list").locator("li", { hasText: "Bissap 1 L" }).getByRole("button").click();
      await expect(buyer.getByTestId("cart-summary")).toContainText("1");
      await buyer.getByTestId("go-checkout").click();
      await expect(buyer.getByTestId("cart-total")).toContainText("1\u202f500\u00a0F\u00a0CFA");
      await payOnCinetpayPage(buyer);
      orderId = await expectPaid(buyer);
      await shopper.close();
    });

    await step("see the paid order, its fee and its settlement date on the dashboard", async () => {
      await page.goto("/dashboard/orders");
      // On a phone the orders are cards, the money first.
      const card = page.getByTestId("order-card");
      await expect(card).toHaveCount(1);
      await expect(card.getByTestId("card-fee")).toContainText("F CFA");
      await card.getByRole("link").click();
      await expect(page).toHaveURL(new RegExp(`/dashboard/orders/${orderId}$`));
      const payment = page.locator('[data-testid="payment-card"][data-status="paid"]');
      await expect(payment.getByTestId("payment-fee")).toContainText("F CFA");
      await expect(payment.getByTestId("payment-net")).toContainText("F CFA");
      await expect(payment.getByTestId("settlement-date")).toHaveAttribute("data-date", /^\d{4}-\d{2}-\d{2}$/);
      await page.screenshot({ path: "e2e/screenshots/newcomer-first-payment-fr.png", fullPage: true });
    });

    console.log(`newcomer (${info.project.name}): ${steps} steps in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
});

