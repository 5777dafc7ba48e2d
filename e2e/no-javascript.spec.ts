import { expect, test, type Page } from "@playwright/test";

/**
 * The whole cart checkout with JavaScript off, on a 360 px phone (issue 14): the cart lives in a
 * signed cookie and every button is a plain form, the providers' pages are plain HTML, and a
 * pending order page reloads itself. Nothing React does in the browser runs here.
 */

test.use({ javaScriptEnabled: false, viewport: { width: 360, height: 780 } });

const T = {
  fr: { items: (n: number) => `${n} article`, empty: "Panier vide", enterNumber: "Saisissez votre numéro.", badNumber: "Ce numéro n'est pas valide pour le pays choisi." },
  en: {
    items: (n: number) => `${n} item`,
    emptyCart: "Your cart is empty: add an item.",
    paid: "Paid",
    otherCountry: "Choose a payment method offered in your country.",
    widgetNeedsScript: "KKiaPay's payment window needs JavaScript",
  },
} as const;

const summary = (page: Page) => page.getByTestId("cart-summary");

/** Each click is a form post and a redirect: the page that comes back counts the items. */
async function addToCart(page: Page, shop: string, picks: number[], items: (n: number) => string, shot?: string): Promise<string[]> {
  await page.goto(`/${shop}`);
  const buttons = page.locator('[data-testid^="add-prd_"]');
  const ids = await buttons.evaluateAll((all) => all.map((b) => b.getAttribute("data-testid")!.slice("add-".length)));
  for (const [i, pick] of picks.entries()) {
    await buttons.nth(pick).click();
    await expect(summary(page)).toContainText(items(i + 1));
    // Back at the product just added, not at the top of the page.
    expect(new URL(page.url()).hash).toBe(`#${ids[pick]}`);
  }
  if (shot) await page.screenshot({ path: `e2e/screenshots/${shot}.png` });
  await page.getByTestId("go-checkout").click();
  await expect(page.getByTestId("cart-lines")).toBeVisible();
  return ids;
}

async function fillShopper(page: Page, phone: string, option: string) {
  await page.locator("#name").fill("Aminata Traoré");
  await page.locator("#phone").fill(phone);
  await page.getByTestId(`option-${option}`).check();
}

async function expectReceipt(page: Page) {
  await expect(page).toHaveURL(/\/orders\/ord_/);
  await expect(page.getByTestId("order-status")).toHaveAttribute("data-status", "paid");
  await expect(page.getByTestId("receipt")).toBeVisible();
}

test.describe("fr", () => {
  test.use({ locale: "fr-CI" });

  test("a cart changed with − and +, bad numbers told at the field, paid on CinetPay's page, back to the receipt", async ({ page }) => {
    const t = T.fr;
    const ids = await addToCart(page, "demo", [0, 0, 1], t.items, "no-js-storefront-fr");
    const [a, b] = [ids[0]!, ids[1]!];
    await expect(page.getByTestId(`quantity-${a}`)).toHaveText("2");
    await page.getByTestId(`increase-${b}`).click();
    await expect(page.getByTestId(`quantity-${b}`)).toHaveText("2");
    await page.getByTestId(`decrease-${a}`).click();
    await expect(page.getByTestId(`quantity-${a}`)).toHaveText("1");
    await page.getByTestId(`decrease-${a}`).click();
    await expect(page.getByTestId("cart-lines").locator("li")).toHaveCount(1);
    await expect(page.getByTestId(`quantity-${b}`)).toHaveText("2");
    await page.screenshot({ path: "e2e/screenshots/no-js-cart-fr.png", fullPage: true });

    await fillShopper(page, "", "cinetpay.mobile_money.hosted");
    await page.getByTestId("pay").click();
    await expect(page.getByTestId("error-phone")).toHaveText(t.enterNumber);
    await expect(page.getByTestId("error-summary")).toBeVisible();
    await fillShopper(page, "123", "cinetpay.mobile_money.hosted");
    await page.getByTestId("pay").click();
    await expect(page.getByTestId("error-phone")).toHaveText(t.badNumber);
    await expect(page.locator("#name")).toHaveValue("Aminata Traoré");
    await page.screenshot({ path: "e2e/screenshots/no-js-checkout-error-fr.png", fullPage: true });

    await fillShopper(page, "07 07 07 07 07", "cinetpay.mobile_money.hosted");
    await page.getByTestId("pay").click();
    await expect(page).toHaveURL(/\/sandbox\/cinetpay\/payment\//);
    await page.getByTestId("method-MOMO").check();
    await page.getByTestId("outcome-accepted").check();
    await page.getByTestId("pay-submit").click();
    // Its "back to the shop in 10 seconds" needs a script: here the button is the way back.
    await expect(page.locator("#auto-return")).toBeHidden();
    await page.getByTestId("return-to-merchant").click();
    await expectReceipt(page);
    await expect(page.getByTestId("order-items")).toContainText("2 ×");

    // The cart became the order.
    await page.goto("/demo");
    await expect(summary(page)).toContainText(t.empty);
  });
});

test.describe("en", () => {
  test.use({ locale: "en-KE" });

  test("−, + and remove keep what the shopper typed (name, number, e-mail, method)", async ({ page }) => {
    const ids = await addToCart(page, "demo", [0, 1], T.en.items);
    const [a, b] = [ids[0]!, ids[1]!];
    await page.locator("#name").fill("Wanjiru Kamau");
    await page.locator("#phone").fill("07 07 07 07 07");
    await page.locator("#email").fill("wanjiru@example.ke");
    await page.getByTestId("option-cinetpay.mobile_money.hosted").check();
    const typed = async () => ({
      name: await page.locator("#name").inputValue(),
      phone: await page.locator("#phone").inputValue(),
      email: await page.locator("#email").inputValue(),
      cinetpay: await page.getByTestId("option-cinetpay.mobile_money.hosted").isChecked(),
    });
    const asTyped = { name: "Wanjiru Kamau", phone: "07 07 07 07 07", email: "wanjiru@example.ke", cinetpay: true };

    await page.getByTestId(`increase-${a}`).click();
    await expect(page.getByTestId(`quantity-${a}`)).toHaveText("2");
    expect(await typed()).toEqual(asTyped);
    await page.getByTestId(`decrease-${a}`).click();
    await expect(page.getByTestId(`quantity-${a}`)).toHaveText("1");
    expect(await typed()).toEqual(asTyped);
    await page.getByTestId(`remove-${b}`).click();
    await expect(page.getByTestId("cart-lines").locator("li")).toHaveCount(1);
    expect(await typed()).toEqual(asTyped);
    // Editing the cart is not paying: no error is shown, and the page is still the checkout.
    await expect(page.getByTestId("error-summary")).toHaveCount(0);
    expect(new URL(page.url()).pathname).toBe("/demo/checkout");
    await page.screenshot({ path: "e2e/screenshots/no-js-cart-edited-en.png", fullPage: true });

    // Enter in a field still means Pay, not the first line's −.
    await page.locator("#email").press("Enter");
    await expect(page).toHaveURL(/\/sandbox\/cinetpay\/payment\//);
  });

  test("a forged cart cookie is an empty cart, refused at the cart; then Orange Money's page to the receipt", async ({ page, context, baseURL }) => {
    const t = T.en;
    const forged = `c1.${Buffer.from("demo|prd_AAAAAAAAAAAAAAAAAAAAAA:5").toString("base64url")}.${"A".repeat(43)}`;
    await context.addCookies([{ name: "caisse_cart", value: forged, domain: new URL(baseURL!).hostname, path: "/demo" }]);
    // Nor does a cookie that does not decode, or one far too long, break the storefront.
    for (const cookie of ["caisse_cart=%E0%A4%A", `caisse_cart=c1.${"A".repeat(3000)}.x`]) {
      const shop = await page.request.get("/demo", { headers: { cookie } });
      expect({ cookie: cookie.slice(0, 30), status: shop.status() }).toEqual({ cookie: cookie.slice(0, 30), status: 200 });
    }
    const checkout = await page.goto("/demo/checkout");
    expect(checkout!.status()).toBe(200);
    await expect(page.getByTestId("cart-empty")).toBeVisible();
    await fillShopper(page, "0707070707", "orange-money.orange_money.hosted");
    await page.getByTestId("pay").click();
    await expect(page.getByTestId("error-cart")).toHaveText(t.emptyCart);

    await addToCart(page, "demo", [1], t.items);
    await page.screenshot({ path: "e2e/screenshots/no-js-cart-en.png", fullPage: true });
    await fillShopper(page, "0707070707", "orange-money.orange_money.hosted");
    await page.getByTestId("pay").click();
    await expect(page).toHaveURL(/\/sandbox\/orange-money\/payment\/pay_token\//);
    await page.getByTestId("om-msisdn").fill("0707070707");
    await page.getByTestId("om-otp").fill("1234");
    await page.getByTestId("om-confirm").click();
    await expectReceipt(page);
  });

  test("the pending order page reloads itself and shows the payment approved on the phone meanwhile", async ({ page, context }) => {
    await addToCart(page, "autre", [0], T.en.items);
    await fillShopper(page, "0722000001", "ipay.mpesa.push");
    await page.getByTestId("pay").click();
    await expect(page.getByTestId("order-status")).toHaveAttribute("data-status", "waiting_for_customer");
    const orderUrl = page.url();

    // A reload would close "Pay another way" under the shopper's fingers: without JavaScript it
    // is a link to the form, open, on a page that does not reload.
    await expect(page.getByTestId("pay-another-way")).toBeHidden();
    await page.getByTestId("pay-another-way-link").click();
    await expect(page.getByTestId("retry-form")).toBeVisible();
    await expect(page.locator('meta[http-equiv="refresh"]')).toHaveCount(0);
    await page.goto(orderUrl);
    await expect(page.locator('meta[http-equiv="refresh"]')).toHaveCount(1);

    // The shopper's phone approves the prompt; nobody touches the order page.
    const phone = await context.newPage();
    await phone.goto("/sandbox/ipay/phone/254722000001");
    await phone.getByTestId("ipay-phone-pin").fill("1234");
    await phone.getByTestId("ipay-phone-approve").click();

    await expect(page.getByTestId("order-status")).toHaveAttribute("data-status", "paid", { timeout: 15_000 });
    await expect(page.getByTestId("order-status")).toContainText(T.en.paid);
    await expect(page.getByTestId("receipt")).toBeVisible();
    expect(page.url()).toBe(orderUrl);
  });

  test("from Benin: the methods follow the country after one submit, and KKiaPay's widget, which needs JavaScript, says so", async ({ page }) => {
    await addToCart(page, "demo", [0], T.en.items);
    await page.locator("#country").selectOption("BJ");
    await fillShopper(page, "01 97 00 00 00", "orange-money.orange_money.hosted");
    await page.getByTestId("pay").click();
    // The methods shown were Côte d'Ivoire's: the page comes back with Benin's.
    await expect(page.getByTestId("error-option")).toHaveText(T.en.otherCountry);
    await expect(page.locator("#country")).toHaveValue("BJ");
    await page.getByTestId("option-kkiapay.mtn.hosted").check();
    await page.getByTestId("pay").click();
    await expect(page).toHaveURL(/\/orders\/ord_/);
    await expect(page.getByTestId("widget-needs-script")).toContainText(T.en.widgetNeedsScript);
    await expect(page.getByTestId("pay-another-way-link")).toBeVisible();
  });
});
