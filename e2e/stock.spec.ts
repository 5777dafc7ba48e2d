import { expect, test, type Browser, type Page, type TestInfo } from "@playwright/test";
import { signIn, USERS } from "./support/auth";
import { expectPaid, payOnCinetpayPage } from "./support/shopper";

/**
 * Issue 15, product stock on a 360 px phone: a sold-out product's button is disabled and the
 * server refuses it all the same (a crafted post: the button re-enabled by hand), with and
 * without JavaScript; buying the last unit makes the storefront show the product sold out.
 * Products are created through the dashboard, so this runs on both databases.
 */

test.use({ viewport: { width: 360, height: 780 }, locale: "fr-CI" });

/** A product of demo's with this much stock, created by its owner in a page of its own (with JavaScript). */
async function createProduct(browser: Browser, testInfo: TestInfo, name: string, stock: number): Promise<void> {
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL, javaScriptEnabled: true });
  const page = await context.newPage();
  await signIn(page, USERS.demoOwner);
  await page.goto("/dashboard/products");
  await page.getByTestId("product-create-name").fill(name);
  await page.getByTestId("product-create-price").fill("2 000");
  await page.getByTestId("product-create-stock").fill(String(stock));
  await page.getByTestId("product-create-submit").click();
  await expect(page.getByTestId("product-create-result")).toHaveText("Produit ajouté.");
  await context.close();
}

const productCard = (page: Page, name: string) => page.getByTestId("product-list").locator("li", { hasText: name });
const addButton = (page: Page, name: string) => productCard(page, name).locator('[data-testid^="add-prd_"]');
const idOf = async (page: Page, name: string) => (await addButton(page, name).getAttribute("data-testid"))!.slice("add-".length);

/** What a tampered page sends: the disabled button enabled again and pressed. */
async function pressAnyway(page: Page, name: string) {
  await addButton(page, name).evaluate((button) => button.removeAttribute("disabled"));
  await addButton(page, name).click();
}

test("buying the last unit shows the product sold out; its button is disabled and a crafted add is refused at the product", async ({ page, browser }, testInfo) => {
  const name = `Dernier pagne ${testInfo.project.name}`;
  await createProduct(browser, testInfo, name, 1);

  await page.goto("/demo");
  await addButton(page, name).click();
  await expect(page.getByTestId("cart-summary")).toContainText("1 article");
  await page.getByTestId("go-checkout").click();
  const id = await page.getByTestId("cart-lines").locator('[data-testid^="increase-"]').first().getAttribute("data-testid").then((t) => t!.slice("increase-".length));
  // One left and one in the cart: + stops there.
  await expect(page.getByTestId(`increase-${id}`)).toBeDisabled();
  await payOnCinetpayPage(page);
  await expectPaid(page);

  await page.goto("/demo");
  await expect(addButton(page, name)).toBeDisabled();
  await expect(productCard(page, name).getByTestId("sold-out")).toHaveText("Épuisé");
  await pressAnyway(page, name);
  await expect(page.getByTestId(`short-${id}`)).toHaveText(`« ${name} » est épuisé : retirez-le de votre panier.`);
  await expect(page.getByTestId(`short-${id}`)).toHaveAttribute("role", "alert");
  await expect(page.getByTestId("cart-summary")).toContainText("Panier vide");
  await page.screenshot({ path: "e2e/screenshots/storefront-sold-out-fr.png", fullPage: true });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a sold-out product cannot be added, and one more than is left is refused at the product", async ({ page, browser }, testInfo) => {
    const soldOut = `Épuisé sans JS ${testInfo.project.name}`;
    const single = `Unique sans JS ${testInfo.project.name}`;
    await createProduct(browser, testInfo, soldOut, 0);
    await createProduct(browser, testInfo, single, 1);

    await page.goto("/demo");
    await expect(addButton(page, soldOut)).toBeDisabled();
    const soldOutId = await idOf(page, soldOut);
    await pressAnyway(page, soldOut);
    await expect(page.getByTestId(`short-${soldOutId}`)).toHaveText(`« ${soldOut} » est épuisé : retirez-le de votre panier.`);
    await expect(page.getByTestId("cart-summary")).toContainText("Panier vide");

    const singleId = await idOf(page, single);
    await addButton(page, single).click();
    await expect(page.getByTestId("cart-summary")).toContainText("1 article");
    await addButton(page, single).click();
    await expect(page.getByTestId(`short-${singleId}`)).toHaveText(`Il ne reste que 1 « ${single} » : réduisez la quantité.`);
    await expect(page.getByTestId("cart-summary")).toContainText("1 article");
    await page.screenshot({ path: "e2e/screenshots/no-js-storefront-short-fr.png", fullPage: true });
  });
});
