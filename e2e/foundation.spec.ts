import { expect, test } from "@playwright/test";
import { signIn, USERS } from "./support/auth";

test.describe("foundation", () => {
  test("health reports the database it runs on", async ({ request }, testInfo) => {
    const res = await request.get("/api/health");
    expect(res.status()).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", database: { status: "up", driver: testInfo.project.name } });
  });

  test("the storefront placeholder lists the demo catalog with CFA prices", async ({ page }) => {
    await page.goto("/");
    await page.getByTestId("store-demo").click();
    await expect(page.getByTestId("store-name")).toHaveText("Boutique Démo");
    const products = page.getByTestId("product-list").locator("li");
    await expect(products).toHaveCount(5);
    await expect(page.getByTestId("product-list")).toContainText(/15\s000\sF\sCFA/);
  });

  test("an unknown store is a 404, not an error", async ({ page }) => {
    const res = await page.goto("/no-such-store");
    expect(res?.status()).toBe(404);
    await expect(page.getByTestId("not-found")).toBeVisible();
  });

  test("/dashboard sends a signed-out visitor to /login", async ({ page }) => {
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/login\?callbackUrl=/);
    const res = await page.request.get("/dashboard/orders/ord_anything", { maxRedirects: 0 });
    expect(res.status()).toBe(307);
    expect(res.headers().location).toContain("/login");
  });

  test("the login page names the demo account, the demo being asked for (SEED_ON_START)", async ({ page }) => {
    await page.goto("/login");
    await expect(page.getByTestId("demo-hint")).toContainText(USERS.demoOwner.email);
  });

  test("a wrong password is refused with a message at the form", async ({ page }) => {
    await page.goto("/login");
    await page.locator("#email").fill(USERS.demoOwner.email);
    await page.locator("#password").fill("not-the-password");
    await page.getByTestId("login-submit").click();
    await expect(page.getByTestId("login-error")).toBeVisible();
    await expect(page).toHaveURL(/\/login/);
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/login/);
  });

  test("sign-in is rate limited per e-mail after five failures", async ({ page }) => {
    await page.goto("/login");
    const attempt = async () => {
      await page.locator("#email").fill("nobody@demo.test");
      await page.locator("#password").fill("guess");
      await Promise.all([page.waitForResponse((r) => r.url().includes("/api/auth/callback/credentials")), page.getByTestId("login-submit").click()]);
      await expect(page.getByTestId("login-submit")).toBeEnabled();
      return page.getByTestId("login-error").textContent();
    };
    for (let i = 0; i < 5; i++) expect(await attempt()).toMatch(/incorrect|Wrong/);
    expect(await attempt()).toMatch(/15 minutes/);
  });

  test("the owner signs in, sees the merchant and its orders, and signs out", async ({ page }) => {
    await signIn(page, USERS.demoOwner);
    await expect(page.getByTestId("dashboard-merchant")).toHaveText("Boutique Démo");
    const count = Number(await page.getByTestId("order-count").getAttribute("data-count"));
    expect(count).toBeGreaterThanOrEqual(200);
    await page.getByTestId("order-row").first().click();
    await expect(page.getByTestId("order-reference")).toHaveText(/^(H\d{5}|\d{6}-[0-9A-Z]{6})$/); // seeded history or an order from another spec
    await page.getByTestId("sign-out").click();
    await expect(page).toHaveURL(/\/login/);
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/login/);
  });

  test("the owner of autre cannot open an order of demo", async ({ page }) => {
    await signIn(page, USERS.demoOwner);
    const href = await page.getByTestId("order-row").first().getAttribute("href");
    expect(href).toMatch(/^\/dashboard\/orders\/ord_/);
    await page.getByTestId("sign-out").click();
    await expect(page).toHaveURL(/\/login/);

    await signIn(page, USERS.autreOwner);
    await expect(page.getByTestId("dashboard-merchant")).toHaveText("Duka la Autre");
    const res = await page.goto(href!);
    expect(res?.status()).toBe(404);
    await expect(page.getByTestId("order-reference")).toHaveCount(0);
  });

});

test.describe("languages", () => {
  test.use({ locale: "fr-CI" });

  test("French first for a francophone browser; the switch turns the page to English and back", async ({ page }) => {
    await page.goto("/login");
    await expect(page.locator("html")).toHaveAttribute("lang", "fr");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Connexion marchand");
    await page.getByTestId("locale-switch").click();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Merchant sign-in");
    await page.getByTestId("locale-switch").click();
    await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  });
});
