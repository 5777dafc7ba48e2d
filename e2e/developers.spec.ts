import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { signIn, USERS } from "./support/auth";

/**
 * Settings → Developers: the owner creates an API key, sees it once, then only its last four;
 * the key opens the merchant API until the owner revokes it, after which the API answers 401.
 * Staff cannot reach the page.
 */

test.describe("API keys", () => {
  test.use({ locale: "fr-CI", viewport: { width: 360, height: 780 } });

  test("the owner creates a key (shown once), sees its last four, revokes it, and the key then gets 401", async ({ page, request }) => {
    const name = `Site ${Date.now()}`;
    await signIn(page, USERS.demoOwner);
    await page.goto("/dashboard/settings");
    await page.getByTestId("settings-developers").click();
    await expect(page).toHaveURL(/\/dashboard\/settings\/developers$/);

    // A name is required, said at the field.
    await page.getByTestId("api-key-submit").click();
    await expect(page.getByTestId("api-key-name-error")).toBeVisible();

    await page.getByTestId("api-key-name").fill(name);
    await page.getByTestId("api-key-mode").selectOption("sandbox");
    await page.getByTestId("api-key-submit").click();
    const key = (await page.getByTestId("api-key-value").textContent())!.trim();
    expect(key).toMatch(/^ck_test_[0-9A-Za-z]{43}$/);
    await expect(page.getByTestId("api-key-result")).toHaveAttribute("data-ok", "true");
    const violations = (await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze()).violations;
    expect(violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    await page.screenshot({ path: `e2e/screenshots/developers-key-once-fr-${test.info().project.name}.png`, fullPage: true });

    const row = page.locator(`[data-testid="api-key"][data-name="${name}"]`);
    await expect(row.getByTestId("api-key-masked")).toHaveText(`ck_test_…${key.slice(-4)}`);
    await page.reload();
    await expect(page.getByTestId("api-key-value")).toHaveCount(0); // shown once: only its hash is stored
    await expect(page.locator("body")).not.toContainText(key);
    await expect(row).toContainText("jamais utilisée");

    const api = (path: string) => request.get(`/api/v1${path}`, { headers: { authorization: `Bearer ${key}` } });
    const ok = await api("/payments?limit=2");
    expect(ok.status()).toBe(200);
    expect(await ok.json()).toMatchObject({ object: "list", data: expect.any(Array), has_more: expect.any(Boolean) });
    await page.reload();
    await expect(row).toContainText("dernière utilisation");

    await row.getByTestId("api-key-revoke-open").click();
    await row.getByTestId("api-key-revoke-submit").click();
    await expect(row).toHaveAttribute("data-revoked", "true");
    const refused = await api("/payments?limit=2");
    expect(refused.status()).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { type: "authentication_error", code: "invalid_api_key", param: null } });
  });

  test("staff see no link to it and cannot open it", async ({ page }) => {
    await signIn(page, USERS.demoStaff);
    await page.goto("/dashboard/settings");
    await expect(page.getByTestId("team-section")).toBeVisible();
    await expect(page.getByTestId("settings-developers")).toHaveCount(0);
    const res = await page.goto("/dashboard/settings/developers");
    expect(res?.status()).toBe(404);
    await expect(page.getByTestId("api-key-form")).toHaveCount(0);
  });
});
