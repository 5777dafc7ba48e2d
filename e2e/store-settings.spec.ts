import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";

/**
 * A newcomer on a 360 px phone, in French (Côte d'Ivoire) and in English (Kenya): the overview's
 * "get paid" checklist starts with nothing done and ticks its first step once a product is added;
 * the settings edit the store (a taken address and a currency already used for prices are
 * refused at their fields, what was typed stays), take a logo (a text file named .png is
 * refused) and the storefront shows it, sized, named by the store; the old address is gone.
 */
const RUNS = [
  {
    locale: "fr-CI",
    country: "CI",
    currency: "USD",
    name: "Chez Fatou",
    renamed: "Chez Fatou Cocody",
    price: "1 500",
    text: {
      checklist: "Pour être payé",
      done: "✓ Fait",
      todo: "À faire",
      added: "Produit ajouté.",
      slugTaken: "Cette adresse est déjà prise : choisissez-en une autre.",
      currencyLocked: "La devise ne peut plus changer : vos produits ou liens de paiement ont des prix dans cette devise.",
      logoType: "Le logo doit être un fichier PNG, JPEG ou WebP.",
      saved: "Boutique enregistrée.",
    },
  },
  {
    locale: "en-KE",
    country: "KE",
    currency: "USD",
    name: "Duka la Wanjiru",
    renamed: "Duka la Wanjiru Westlands",
    price: "250",
    text: {
      checklist: "Get paid",
      done: "✓ Done",
      todo: "To do",
      added: "Product added.",
      slugTaken: "This address is already taken: choose another one.",
      currencyLocked: "The currency can no longer change: your products or payment links are priced in this currency.",
      logoType: "The logo must be a PNG, JPEG or WebP file.",
      saved: "Store saved.",
    },
  },
] as const;

for (const run of RUNS) {
  test.describe(`store settings, logo and checklist (${run.locale})`, () => {
    test.use({ locale: run.locale, viewport: { width: 360, height: 740 } });

    test(`${run.name}: checklist, editing, logo on the storefront`, async ({ page }) => {
      test.setTimeout(120_000);
      const stamp = Date.now().toString(36);
      const slug = `${run.country.toLowerCase()}-${stamp}`;
      await page.goto("/signup");
      await page.getByTestId("signup-name").fill(run.name);
      await page.getByTestId("signup-email").fill(`${slug}@stores.test`);
      await page.getByTestId("signup-password").fill("mangue-tamarin-42");
      await page.getByTestId("signup-submit").click();
      await expect(page).toHaveURL(/\/stores\/new$/);
      await page.getByTestId("store-name").fill(run.name);
      await page.getByTestId("store-slug").fill(slug);
      await page.getByTestId("store-country").selectOption(run.country);
      await page.getByTestId("store-submit").click();
      await expect(page).toHaveURL(/\/dashboard$/);

      // A fresh store: every step to do, each a link to where it is done.
      const checklist = page.getByTestId("get-paid");
      await expect(checklist.getByRole("heading", { name: run.text.checklist })).toBeVisible();
      const step = (key: string) => checklist.locator(`[data-testid="get-paid-step"][data-step="${key}"]`);
      for (const key of ["catalog", "sandbox", "testPayment", "live"]) await expect(step(key).getByTestId("get-paid-state")).toHaveText(run.text.todo);
      await expect(step("sandbox").getByRole("link")).toHaveAttribute("href", "/dashboard/settings#providers");
      await expect(step("testPayment").getByRole("link")).toHaveAttribute("href", `/${slug}`);
      await page.screenshot({ path: `e2e/screenshots/get-paid-${run.locale}.png`, fullPage: true });

      await step("catalog").getByRole("link").click();
      await expect(page).toHaveURL(/\/dashboard\/products$/);
      await page.getByTestId("product-create-name").fill("Article");
      await page.getByTestId("product-create-price").fill(run.price);
      await page.getByTestId("product-create-submit").click();
      await expect(page.getByTestId("product-create-result")).toHaveText(run.text.added);
      await page.goto("/dashboard");
      await expect(step("catalog")).toHaveAttribute("data-done", "true");
      await expect(step("catalog").getByTestId("get-paid-state")).toHaveText(run.text.done);
      await expect(step("sandbox").getByTestId("get-paid-state")).toHaveText(run.text.todo);

      // Settings: a taken address and a currency its prices are in are refused; what was typed stays.
      await page.goto("/dashboard/settings");
      const form = page.getByTestId("store-settings");
      await expect(form.getByTestId("store-slug-warning")).toBeVisible();
      await form.getByTestId("store-name").fill(run.renamed);
      await form.getByTestId("store-slug").fill("demo");
      await form.getByTestId("store-currency").selectOption(run.currency);
      await form.getByTestId("store-submit").click();
      await expect(form.getByTestId("store-slug-error")).toHaveText(run.text.slugTaken);
      await expect(form.getByTestId("store-currency-error")).toHaveText(run.text.currencyLocked);
      await expect(form.getByTestId("store-name")).toHaveValue(run.renamed);
      const newSlug = `${slug}-2`;
      await form.getByTestId("store-slug").fill(newSlug);
      await form.getByTestId("store-submit").click();
      await expect(form.getByTestId("store-currency-error")).toHaveText(run.text.currencyLocked);
      await expect(form.getByTestId("store-slug")).toHaveValue(newSlug);
      // A fresh form (nothing saved so far), so no reset of the refused one can clear the file chosen next.
      await page.reload();
      await expect(form.getByTestId("store-name")).toHaveValue(run.name);
      await form.getByTestId("store-name").fill(run.renamed);
      await form.getByTestId("store-slug").fill(newSlug);

      // A page of HTML renamed logo.png is no logo; a real PNG is.
      await form.getByTestId("store-logo").setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: Buffer.from("<html><script>alert(1)</script></html>") });
      await form.getByTestId("store-submit").click();
      await expect(form.getByTestId("store-logo-error")).toHaveText(run.text.logoType);
      // Images are served by their bytes' SHA-256: this store's logo gets bytes of its own (the
      // fixture with this run's name after its end), or another store's product with the same
      // picture would still serve it once the logo is removed.
      const png = Buffer.concat([readFileSync(path.join(process.cwd(), "e2e/support/product.png")), Buffer.from(run.renamed)]);
      await form.getByTestId("store-logo").setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: png });
      await form.getByTestId("store-submit").click();
      await expect(form.getByTestId("store-result")).toHaveText(run.text.saved);
      await expect(form.getByTestId("store-logo-current")).toBeVisible();
      await expect(page.getByTestId("merchant-name")).toHaveText(run.renamed);
      await page.screenshot({ path: `e2e/screenshots/store-settings-${run.locale}.png`, fullPage: true });

      // The storefront at its new address carries the name and the logo, sized, named by the store.
      await page.goto(`/${newSlug}`);
      const logo = page.getByTestId("shop-logo");
      await expect(logo).toHaveAttribute("alt", run.renamed);
      await expect(logo).toHaveAttribute("width", "32");
      await expect(logo).toHaveAttribute("height", "32");
      expect(await logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
      const logoUrl = (await logo.getAttribute("src"))!;
      expect(logoUrl).toMatch(/^\/products\/images\/[0-9a-f]{64}$/);
      const served = await page.request.get(logoUrl);
      expect(served.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
      await expect(page.getByTestId("shop-brand")).toHaveText(run.renamed);
      await page.screenshot({ path: `e2e/screenshots/store-logo-${run.locale}.png` });
      await page.goto(`/${newSlug}/checkout`);
      await expect(page.getByTestId("shop-logo")).toHaveAttribute("src", logoUrl);
      expect((await page.request.get(`/${slug}`)).status()).toBe(404);

      // Removed: gone from the storefront, and its URL no longer answers.
      await page.goto("/dashboard/settings");
      await form.getByTestId("store-logo-remove").check();
      await form.getByTestId("store-submit").click();
      await expect(form.getByTestId("store-result")).toHaveText(run.text.saved);
      await expect(form.getByTestId("store-logo-current")).toHaveCount(0);
      await page.goto(`/${newSlug}`);
      await expect(page.getByTestId("shop-brand")).toHaveText(run.renamed);
      await expect(page.getByTestId("shop-logo")).toHaveCount(0);
      expect((await page.request.get(logoUrl)).status()).toBe(404);
    });
  });
}
