import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { expectPaid, fillCart, fillCustomer } from "./support/shopper";

/**
 * axe (WCAG 2.0/2.1 A and AA) on every page and state a shopper can reach, on a 360 px phone, in
 * French and English (issue 14): the storefront, the checkout and its errors, the order page
 * pending, paid, failed with its retry, the payment link, each simulator's hosted page (CinetPay's
 * waiting for the phone too) and the KKiaPay widget (axe walks into its iframe). Nothing is
 * excluded: a violation is fixed in the page.
 */

test.use({ viewport: { width: 360, height: 740 } });

// The markup axe reads is the same whichever database serves it; running it twice would cost CI
// about five minutes for nothing.
test.beforeEach(({}, info) => {
  test.skip(info.project.name !== "pglite", "axe reads markup, which does not depend on the database (PGlite project only)");
});

const LANGS = { fr: "fr-CI", en: "en-KE" } as const;
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

const checked = new Set<string>();

/** Soft, so one run lists every state's violations rather than stopping at the first. */
async function expectAccessible(page: Page, state: string) {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const { violations } = results;
  checked.add(state);
  const readable = violations.flatMap((v) => v.nodes.map((node) => `${v.id} [${v.impact}] ${JSON.stringify(node.target)}: ${v.help}`));
  expect.soft(readable, `axe violations on ${state} (${page.url()})`).toEqual([]);
  return results;
}

test.afterAll(() => {
  // The skipped project checks nothing, and says nothing.
  if (checked.size > 0) console.log(`axe: ${checked.size} pages/states checked with 0 violations expected: ${[...checked].join(", ")}`);
});

for (const lang of ["fr", "en"] as const) {
  test.describe(lang, () => {
    test.use({ locale: LANGS[lang] });

    test(`storefront, checkout and its errors (${lang})`, async ({ page }) => {
      await page.goto("/demo");
      await expectAccessible(page, `storefront-${lang}`);
      await fillCart(page, "demo", 1);
      await expectAccessible(page, `checkout-${lang}`);
      await fillCustomer(page, { phone: "", option: "cinetpay.card.hosted", email: null });
      await page.getByTestId("pay").click();
      await expect(page.getByTestId("error-summary")).toBeFocused();
      await expectAccessible(page, `checkout-errors-${lang}`);
    });

    test(`CinetPay's page, a refusal, the retry, Orange Money's page, paid (${lang})`, async ({ page }) => {
      // Seven axe passes (5–7 s each on a loaded 2-core machine) and two providers' pages: past 60 s there.
      test.slow();
      await fillCart(page, "demo", 1);
      await fillCustomer(page, { phone: "0707070707", option: "cinetpay.mobile_money.hosted" });
      await page.getByTestId("pay").click();
      await expect(page).toHaveURL(/\/sandbox\/cinetpay\/payment\//);
      await expectAccessible(page, `cinetpay-hosted-${lang}`);
      await page.getByTestId("method-MOMO").check();
      await page.getByTestId("outcome-refused").check();
      await page.getByTestId("pay-submit").click();
      await expect(page.getByTestId("return-to-merchant")).toBeVisible();
      await expectAccessible(page, `cinetpay-result-${lang}`);
      await page.getByTestId("return-to-merchant").click();
      await expect(page.getByTestId("order-status")).toHaveAttribute("data-status", "failed");
      await expectAccessible(page, `order-failed-${lang}`);

      const retry = page.getByTestId("retry-form");
      await retry.getByTestId("retry-option-cinetpay.card.hosted").check();
      await retry.getByTestId("retry-submit").click();
      await expect(retry.getByTestId("error-address")).toBeVisible();
      await expectAccessible(page, `order-retry-errors-${lang}`);

      await retry.getByTestId("retry-option-orange-money.orange_money.hosted").check();
      await retry.getByTestId("retry-submit").click();
      await expect(page).toHaveURL(/\/sandbox\/orange-money\/payment\//);
      await expectAccessible(page, `orange-money-hosted-${lang}`);
      // A number the simulator refuses: its page again, with the error.
      await page.getByTestId("om-msisdn").fill("12");
      await page.getByTestId("om-otp").fill("1234");
      await page.getByTestId("om-confirm").click();
      await expect(page.getByTestId("om-error")).toBeVisible();
      await expectAccessible(page, `orange-money-error-${lang}`);
      await page.getByTestId("om-msisdn").fill("0707070707");
      await page.getByTestId("om-otp").fill("1234");
      await page.getByTestId("om-confirm").click();
      await expectPaid(page);
      await expectAccessible(page, `order-paid-${lang}`);
    });

    test(`CinetPay's page waiting for the phone, and its refusal form (${lang})`, async ({ page }) => {
      await fillCart(page, "demo", 1);
      await fillCustomer(page, { phone: "0707070707", option: "cinetpay.mobile_money.hosted" });
      await page.getByTestId("pay").click();
      await expect(page).toHaveURL(/\/sandbox\/cinetpay\/payment\//);
      await page.getByTestId("method-MOMO").check();
      await page.getByTestId("outcome-waiting").check();
      await page.getByTestId("pay-submit").click();
      await expect(page.getByTestId("waiting-title")).toBeVisible();
      await expectAccessible(page, `cinetpay-waiting-${lang}`);
      await page.getByTestId("waiting-decline").click();
      await expect(page.getByTestId("result-title")).toBeVisible();
      await expectAccessible(page, `cinetpay-declined-${lang}`);
    });

    test(`iPay's page and the order page pending (${lang})`, async ({ page }) => {
      await fillCart(page, "autre", 1);
      await fillCustomer(page, { phone: "0722000000", option: "ipay.mpesa.hosted" });
      await page.getByTestId("pay").click();
      await expect(page.getByTestId("ipay-submit")).toBeVisible();
      await expectAccessible(page, `ipay-hosted-${lang}`);
      await page.getByTestId("ipay-outcome-pending").check();
      await page.getByTestId("ipay-submit").click();
      await expect(page.getByTestId("pending-explainer")).toBeVisible();
      await expectAccessible(page, `order-pending-${lang}`);
    });

    test(`the M-Pesa prompt: the order page waiting and iPay's phone (${lang})`, async ({ page }) => {
      const msisdn = lang === "fr" ? "254712345470" : "254712345471";
      await fillCart(page, "autre", 1);
      await fillCustomer(page, { phone: `0${msisdn.slice(3)}`, option: "ipay.mpesa.push" });
      await page.getByTestId("pay").click();
      await expect(page.getByTestId("approve-phone")).toBeVisible();
      await expectAccessible(page, `order-waiting-${lang}`);
      const phone = await page.context().newPage();
      await phone.goto(`/sandbox/ipay/phone/${msisdn}`);
      await expect(phone.getByTestId("ipay-phone-pin")).toBeVisible();
      await expectAccessible(phone, `ipay-phone-${lang}`);
      await phone.getByTestId("ipay-phone-decline").click();
      await expect(phone.getByTestId("ipay-phone-done")).toBeVisible();
      await expectAccessible(phone, `ipay-phone-done-${lang}`);
      await expect(page.getByTestId("failure-reason")).toBeVisible({ timeout: 20_000 });
      await expectAccessible(page, `order-declined-${lang}`);
    });

    test(`the KKiaPay widget (${lang})`, async ({ page }) => {
      await fillCart(page, "demo", 1);
      await fillCustomer(page, { country: "BJ", phone: "01 97 00 00 00", option: "kkiapay.mtn.hosted" });
      await page.getByTestId("pay").click();
      const widget = page.frameLocator('[data-testid="kkiapay-widget-frame"]');
      await expect(widget.getByTestId("kkiapay-phone")).toBeVisible();
      const results = await expectAccessible(page, `kkiapay-widget-${lang}`);
      // axe reached inside the iframe: a node's target is [frame, element there].
      expect(results.passes.some((rule) => rule.nodes.some((node) => node.target.length > 1))).toBe(true);
      await widget.getByTestId("kkiapay-phone").fill("0197000000");
      await widget.getByTestId("kkiapay-outcome-pending").check();
      await widget.getByTestId("kkiapay-pay").click();
      await expect(widget.getByTestId("kkiapay-result")).toHaveAttribute("data-outcome", "pending");
      await expectAccessible(page, `kkiapay-widget-result-${lang}`);
    });

    test(`KKiaPay's script does not load (${lang})`, async ({ page }) => {
      await page.route("**/sandbox/kkiapay/k.js*", (route) => route.abort());
      await fillCart(page, "demo", 1);
      await fillCustomer(page, { country: "BJ", phone: "01 97 00 00 00", option: "kkiapay.mtn.hosted" });
      await page.getByTestId("pay").click();
      await expect(page.getByTestId("widget-error")).toBeVisible();
      await expectAccessible(page, `order-widget-failed-${lang}`);
    });

    test(`a payment link and its errors (${lang})`, async ({ page }) => {
      await page.goto("/pay/lnk_demoMontantLibre000001");
      await expect(page.getByTestId("amount-bounds")).toBeVisible();
      await expectAccessible(page, `payment-link-${lang}`);
      await page.locator("#amount").fill("999999999999");
      await fillCustomer(page, { phone: "0707070707", option: "cinetpay.mobile_money.hosted" });
      await page.getByTestId("pay").click();
      await expect(page.getByTestId("error-amount")).toBeVisible();
      await expectAccessible(page, `payment-link-errors-${lang}`);
    });
  });
}
