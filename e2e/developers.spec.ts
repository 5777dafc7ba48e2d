import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { signIn, USERS } from "./support/auth";

/**
 * Settings → Developers: the owner creates an API key, sees it once, then only its last four;
 * the key opens the merchant API until the owner revokes it, after which the API answers 401.
 * Staff cannot reach the page. The API reference beside it renders the published OpenAPI
 * document, every operation of it, readable on a phone in French and English.
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
    expect((await page.goto("/dashboard/settings/developers/reference"))?.status()).toBe(404);
    await expect(page.getByTestId("api-reference")).toHaveCount(0);
  });
});

test.describe("API reference", () => {
  test.use({ viewport: { width: 360, height: 780 } });
  const TITLES = { fr: "Référence de l'API", en: "API reference" } as const;

  for (const lang of ["fr", "en"] as const) {
    test(`shows every operation of the public OpenAPI document, axe-clean at 360 px (${lang})`, async ({ page, context, request }) => {
      // Public: no key, no session.
      const published = await request.get("/api/v1/openapi.json");
      expect(published.status()).toBe(200);
      const spec = await published.json();
      expect(spec.openapi).toBe("3.1.0");
      const operations = Object.values(spec.paths).flatMap((item) => Object.values(item as Record<string, { operationId: string }>).map((op) => op.operationId));
      expect(operations.length).toBeGreaterThanOrEqual(6);

      await signIn(page, USERS.demoOwner);
      await context.addCookies([{ name: "NEXT_LOCALE", value: lang, url: page.url() }]);
      await page.goto("/dashboard/settings/developers");
      await page.getByTestId("developers-reference").click();
      await expect(page).toHaveURL(/\/dashboard\/settings\/developers\/reference$/);
      await expect(page.locator("html")).toHaveAttribute("lang", lang);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(TITLES[lang]);

      const shown = await page.getByTestId("api-operation").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-operation")));
      expect(shown.sort()).toEqual([...operations].sort());
      const refund = page.locator('[data-testid="api-operation"][data-operation="createRefund"]');
      await expect(refund.locator('[data-testid="api-body"] [data-testid="api-field"]')).toHaveCount(3);
      await expect(refund.locator('[data-testid="api-field"][data-name="Idempotency-Key"]')).toBeVisible();
      // The errors are folded under their statuses; opened, they name their codes and headers.
      await expect(refund.locator('[data-testid="api-errors"] [data-status="429"]')).toBeHidden();
      await refund.getByTestId("api-errors").locator("summary").click();
      await expect(refund.locator('[data-testid="api-errors"] [data-status="429"]')).toContainText("Retry-After");
      await expect(refund.locator('[data-testid="api-errors"] [data-status="409"]')).toContainText("idempotency_key_reused");
      await expect(page.getByTestId("api-object")).toHaveCount(Object.keys(spec.components.schemas).length);

      const violations = (await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze()).violations;
      expect(violations.map((v) => `${v.id}: ${v.help} ${v.nodes.map((n) => JSON.stringify(n.target)).join(" ")}`)).toEqual([]);
      const [scrollWidth, innerWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      expect(scrollWidth, "no sideways scroll at 360 px").toBeLessThanOrEqual(innerWidth!);
      await page.screenshot({ path: `e2e/screenshots/developers-api-reference-${lang}-${test.info().project.name}.png`, fullPage: true });

      // The link to the document opens it, as JSON.
      const href = await page.getByTestId("api-openapi-link").getAttribute("href");
      expect(href).toBe("/api/v1/openapi.json");
    });
  }
});
