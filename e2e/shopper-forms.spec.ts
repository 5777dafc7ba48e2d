import { expect, test, type Locator, type Page } from "@playwright/test";
import { expectPaid, fillCart, fillCustomer } from "./support/shopper";

/**
 * The checkout's forms on a 360 px phone (issue 14, items 7–9): errors a shopper cannot miss,
 * labels that say each thing once, and the merchant's name on every page they pay on.
 * Screenshots of each state land in e2e/screenshots/.
 */

test.use({ viewport: { width: 360, height: 780 } });

const LANGS = { fr: "fr-CI", en: "en-KE" } as const;

const T = {
  fr: {
    summary: "Vérifiez ces champs",
    enterNumber: "Saisissez votre numéro.",
    benin: "ajoutez 01 devant",
    total: "Total",
    mobileMoney: "Mobile money",
    chooseOnPage: "vous choisissez votre opérateur sur sa page",
    mpesaPush: "M-Pesa (demande sur votre téléphone)",
    mpesaPage: "M-Pesa sur la page de paiement iPay Africa",
    tryAgainLead: "Choisissez un moyen de paiement",
    paidWith: "MTN Mobile Money",
    remove: "Retirer",
  },
  en: {
    summary: "Check these fields",
    enterNumber: "Enter your number.",
    benin: "add 01 in front",
    total: "Total",
    mobileMoney: "Mobile money",
    chooseOnPage: "you choose your operator on its page",
    mpesaPush: "M-Pesa (prompt on your phone)",
    mpesaPage: "M-Pesa on iPay Africa's payment page",
    tryAgainLead: "Choose a way to pay",
    paidWith: "MTN Mobile Money",
    remove: "Remove",
  },
} as const;

const shot = (page: Page, name: string, fullPage = true) => page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage });

/** What a shopper reads for each payment option: the whole text of its label. */
async function optionTexts(scope: Locator): Promise<string[]> {
  return scope.locator('input[type="radio"]').evaluateAll((radios) => radios.map((r) => (r.closest("label")?.textContent ?? "").replace(/\s+/g, " ").trim()));
}

/** "Orange Money via Orange Money": a name said twice. */
const saysTwice = (text: string) => /(\b[\w-]+(?: [\w-]+)*) via \1\b/i.test(text);

for (const lang of ["fr", "en"] as const) {
  const t = T[lang];

  test.describe(`${lang}`, () => {
    test.use({ locale: LANGS[lang] });

    test(`7. an empty number: focus lands on an announced summary that links to the field (${lang})`, async ({ page }) => {
      await fillCart(page, "demo", 1);
      await fillCustomer(page, { phone: "", option: "cinetpay.card.hosted" });
      await page.getByTestId("pay").click();
      const summary = page.getByTestId("error-summary");
      await expect(summary).toBeFocused();
      await expect(summary).toHaveAttribute("role", "alert");
      await expect(summary).toContainText(t.summary);
      await expect(page.getByTestId("error-phone")).toHaveText(t.enterNumber);
      const link = summary.getByRole("link", { name: t.enterNumber });
      await expect(link).toHaveAttribute("href", "#phone");
      await shot(page, `checkout-error-summary-${lang}`, false);
      await link.click();
      await expect(page.locator("#phone")).toBeFocused();
    });

    test(`7b. an old 8-digit Beninese number is told to add 01 in front (${lang})`, async ({ page }) => {
      await fillCart(page, "demo", 1);
      await fillCustomer(page, { country: "BJ", phone: "97 00 00 00", option: "kkiapay.mtn.hosted" });
      await page.getByTestId("pay").click();
      await expect(page.getByTestId("error-summary")).toBeFocused();
      await expect(page.getByTestId("error-phone")).toContainText(t.benin);
      await expect(page).toHaveURL(/\/demo\/checkout$/);
      await page.locator("#phone").scrollIntoViewIfNeeded();
      await shot(page, `checkout-benin-number-${lang}`, false);
      await page.locator("#phone").fill("01 97 00 00 00");
      await page.getByTestId("pay").click();
      await expect(page.getByTestId("kkiapay-widget-frame")).toBeVisible();
    });

    test(`7c. on a 360 px phone the total and the Pay button stay in reach (${lang})`, async ({ page }) => {
      await fillCart(page, "demo", 2);
      await expect(page.getByTestId("pay")).toBeInViewport();
      await expect(page.getByTestId("sticky-total")).toBeInViewport();
      await expect(page.getByTestId("sticky-total")).toContainText(t.total);
      await expect(page.getByTestId("sticky-total")).toContainText(((await page.getByTestId("cart-total").textContent()) ?? "").trim());
      // A field the shopper moves to is not hidden behind the held button.
      await page.locator("#email").focus();
      await expect(page.locator("#email")).toBeInViewport();
      await expect(page.getByTestId("pay")).toBeInViewport();
      const [field, bar] = await Promise.all([page.locator("#email").boundingBox(), page.getByTestId("sticky-pay").boundingBox()]);
      expect(field!.y + field!.height).toBeLessThanOrEqual(bar!.y);
      await shot(page, `checkout-sticky-pay-${lang}`, false);
    });

    test(`8. each way to pay is named once, and CinetPay's operator is chosen once, on its page (${lang})`, async ({ page }) => {
      await fillCart(page, "demo", 1);
      const methods = page.locator("fieldset").filter({ has: page.locator('input[name="option"]') });
      const ci = await optionTexts(methods);
      expect(ci.filter(saysTwice)).toEqual([]);
      expect(new Set(ci).size).toBe(ci.length);
      expect(ci.some((text) => text.startsWith("Orange Money"))).toBe(true);
      // CinetPay's page cannot be told which operator to open on: one choice, the operator on its page.
      await expect(page.locator('[data-testid^="option-cinetpay."][data-testid$=".hosted"]:not([data-testid="option-cinetpay.card.hosted"])')).toHaveCount(1);
      await expect(page.getByTestId("option-cinetpay.mobile_money.hosted").locator("xpath=ancestor::label")).toContainText(t.mobileMoney);
      await expect(page.getByTestId("option-cinetpay.mobile_money.hosted").locator("xpath=ancestor::label")).toContainText(t.chooseOnPage);

      await fillCustomer(page, { phone: "07 07 07 07 07", option: "cinetpay.mobile_money.hosted" });
      await shot(page, `checkout-methods-ci-${lang}`);
      await page.getByTestId("pay").click();
      await expect(page).toHaveURL(/\/sandbox\/cinetpay\/payment\//);
      // Mobile money only (no card), no operator chosen for the shopper, their number filled in.
      await expect(page.getByTestId("method-CARD")).toHaveCount(0);
      await expect(page.locator('input[name="method"]:checked')).toHaveCount(0);
      await expect(page.getByTestId("phone")).toHaveValue("0707070707");
      await shot(page, `cinetpay-mobile-money-${lang}`);
      await page.getByTestId("method-MOMO").check();
      await page.getByTestId("outcome-accepted").check();
      await page.getByTestId("pay-submit").click();
      await page.getByTestId("return-to-merchant").click();
      await expectPaid(page);
      await expect(page.getByTestId("receipt")).toContainText(t.paidWith);
    });

    test(`8a. M-Pesa's two ways are told apart (${lang})`, async ({ page }) => {
      await fillCart(page, "autre", 1);
      const methods = page.locator("fieldset").filter({ has: page.locator('input[name="option"]') });
      const ke = await optionTexts(methods);
      expect(new Set(ke).size).toBe(ke.length);
      expect(ke.filter(saysTwice)).toEqual([]);
      await expect(page.getByTestId("option-ipay.mpesa.push").locator("xpath=ancestor::label")).toContainText(t.mpesaPush);
      await expect(page.getByTestId("option-ipay.mpesa.hosted").locator("xpath=ancestor::label")).toContainText(t.mpesaPage);
      await page.getByTestId("option-ipay.mpesa.hosted").scrollIntoViewIfNeeded();
      await shot(page, `checkout-methods-ke-${lang}`, false);
    });

    test(`8b. the cart's −, + and remove: names that start with what they show, and what was typed kept (${lang})`, async ({ page }) => {
      await fillCart(page, "demo", 2);
      const line = page.getByTestId("cart-lines").locator("li").first();
      const product = await line.evaluate((li) => li.querySelector("span")?.firstChild?.textContent?.trim() ?? "");
      const minus = line.getByTestId(/^decrease-/);
      const plus = line.getByTestId(/^increase-/);
      const remove = page.getByTestId("cart-lines").locator("li").last().getByTestId(/^remove-/);
      // No aria-label replacing what is shown: the name starts with the symbol, then says which product.
      await expect(minus).not.toHaveAttribute("aria-label");
      await expect(plus).not.toHaveAttribute("aria-label");
      await expect(minus).toHaveAccessibleName(new RegExp(`^−\\s?\\S.*${product}$`));
      await expect(plus).toHaveAccessibleName(new RegExp(`^\\+\\s?\\S.*${product}$`));
      await expect(remove).toHaveAccessibleName(new RegExp(`^${t.remove} : `));
      // The buttons post the checkout form itself: what the shopper typed stays, and no error shows.
      await fillCustomer(page, { phone: "07 07 07 07 07", option: "cinetpay.mobile_money.hosted" });
      await plus.click();
      await expect(line.locator('[aria-live="polite"]')).toHaveText("2");
      await remove.click();
      await expect(page.getByTestId("cart-lines").locator("li")).toHaveCount(1);
      await expect(page.locator("#name")).toHaveValue("Aminata Traoré");
      await expect(page.locator("#phone")).toHaveValue("07 07 07 07 07");
      await expect(page.locator("#email")).toHaveValue("aminata@example.ci");
      await expect(page.getByTestId("option-cinetpay.mobile_money.hosted")).toBeChecked();
      await expect(page.getByTestId("error-summary")).toHaveCount(0);
      await expect(page.getByTestId("pay")).toBeEnabled();
    });

    test(`8c. the retry's ways to pay sit in a named group (${lang})`, async ({ page }) => {
      await fillCart(page, "demo", 1);
      await fillCustomer(page, { phone: "0707070707", option: "cinetpay.mobile_money.hosted" });
      await page.getByTestId("pay").click();
      await page.getByTestId("method-OM").check();
      await page.getByTestId("outcome-refused").check();
      await page.getByTestId("pay-submit").click();
      await page.getByTestId("return-to-merchant").click();
      await expect(page.getByTestId("order-status")).toHaveAttribute("data-status", "failed");
      const group = page.getByTestId("retry-form").getByRole("group", { name: t.tryAgainLead });
      await expect(group.getByRole("radio")).not.toHaveCount(0);
      await expect(page.getByTestId("retry-form").getByRole("radio")).toHaveCount(await group.getByRole("radio").count());
      const texts = await optionTexts(group);
      expect(texts.filter(saysTwice)).toEqual([]);
      await expect(page.getByRole("banner")).toContainText("Boutique Démo");
      await shot(page, `order-retry-group-${lang}`);
    });

    test(`9. the shop, checkout, order and link pages carry the merchant's name in the header (${lang})`, async ({ page }) => {
      const banner = page.getByRole("banner");
      await page.goto("/demo");
      await expect(banner).toContainText("Boutique Démo");
      await expect(banner.getByRole("link", { name: "Boutique Démo" })).toHaveAttribute("href", "/demo");
      await shot(page, `storefront-header-${lang}`, false);
      await fillCart(page, "demo", 1);
      await expect(banner).toContainText("Boutique Démo");
      await page.goto("/pay/lnk_demoAbonnementMensuel01");
      await expect(banner).toContainText("Boutique Démo");
      await page.goto("/autre");
      await expect(banner).toContainText("Duka la Autre");
      await fillCart(page, "autre", 1);
      await fillCustomer(page, { phone: "0712 345 458", option: "ipay.mpesa.push" });
      await page.getByTestId("pay").click();
      await expect(page.getByTestId("approve-phone")).toBeVisible();
      await expect(banner).toContainText("Duka la Autre");
      await shot(page, `order-header-${lang}`, false);
    });
  });
}
