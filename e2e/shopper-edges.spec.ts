import { expect, test, type Page } from "@playwright/test";
import { ORDER_ATTEMPTS_PER_WINDOW } from "@/lib/checkout/attempt-limit";
import { signIn, USERS } from "./support/auth";
import { expectPaid, fillCart, fillCustomer, refuseOnCinetpayPage } from "./support/shopper";

/**
 * The edges of a shopper's checkout on a 360 px phone (issue 14): every state a provider can
 * leave them in says what happened in plain words and offers a way forward, in both languages.
 * Screenshots of each state land in e2e/screenshots/.
 */

test.use({ viewport: { width: 360, height: 780 } });

const LANGS = { fr: "fr-CI", en: "en-KE" } as const;
type Lang = keyof typeof LANGS;

const T = {
  fr: {
    continue: "Continuer vers le paiement",
    another: "Payer autrement",
    ipayPending: "iPay Africa n'a pas encore confirmé de paiement",
    underpaid: "iPay Africa a reçu seulement",
    resend: "Pas reçu la demande ? L'envoyer à nouveau",
    tooMany: "Trop de tentatives sur cette commande : patientez quelques minutes, puis réessayez.",
    timedOut: "La demande envoyée sur votre téléphone a expiré",
    declined: "Vous avez refusé la demande sur votre téléphone",
    waiting: "En attente de votre confirmation",
    nothingCharged: "Rien n'a été débité",
    widgetFailed: "La fenêtre de paiement KKiaPay n'a pas pu se charger",
    cardEmail: "Indiquez votre e-mail : le paiement par carte l'exige.",
    address: "Indiquez votre adresse.",
    city: "Indiquez votre ville.",
    refused: "Paiement refusé",
    insufficient: "Solde insuffisant : rechargez votre compte ou choisissez un autre moyen.",
    notCompleted: "Le paiement n'a pas abouti",
    youCancelled: "Vous avez annulé",
    between: "Entre",
    pay: "Payer",
    tooLow: "Le montant minimum est de",
    tooHigh: "Le montant maximum est de",
  },
  en: {
    continue: "Continue to payment",
    another: "Pay another way",
    ipayPending: "iPay Africa has not confirmed a payment yet",
    underpaid: "iPay Africa received only",
    resend: "Didn't get the prompt? Send it again",
    tooMany: "Too many attempts on this order: wait a few minutes, then try again.",
    timedOut: "The request sent to your phone timed out",
    declined: "You declined the request on your phone",
    waiting: "Waiting for your confirmation",
    nothingCharged: "Nothing was charged",
    widgetFailed: "The KKiaPay payment window could not load",
    cardEmail: "Enter your e-mail: card payments need it.",
    address: "Enter your address.",
    city: "Enter your city.",
    refused: "Payment refused",
    insufficient: "Insufficient balance: top up your account or choose another way to pay.",
    notCompleted: "The payment did not go through",
    youCancelled: "You cancelled",
    between: "Between",
    pay: "Pay",
    tooLow: "The minimum amount is",
    tooHigh: "The maximum amount is",
  },
} as const;

const shot = (page: Page, name: string) => page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: true });

/** Nothing took the shopper away from the order page (no form re-posted, no widget re-opened). */
async function expectStillOnOrderPage(page: Page) {
  await page.waitForLoadState("networkidle");
  await expect(page).toHaveURL(/\/orders\/[^/?]+(\?.*)?$/);
  await expect(page.getByRole("dialog")).toHaveCount(0);
}

async function phoneAnswers(page: Page, msisdn: string, action: "approve" | "decline" | "timeout") {
  const phone = await page.context().newPage();
  await phone.goto(`/sandbox/ipay/phone/${msisdn}`);
  if (action === "approve") {
    await phone.getByTestId("ipay-phone-pin").fill("1234");
    await phone.getByTestId("ipay-phone-approve").click();
  } else if (action === "decline") {
    await phone.getByTestId("ipay-phone-decline").click();
  } else {
    await phone.locator("details summary").first().click();
    await phone.getByTestId("ipay-phone-timeout").click();
  }
  await expect(phone.getByTestId("ipay-phone-done")).toBeVisible();
  await phone.close();
}

for (const lang of ["fr", "en"] as const satisfies Lang[]) {
  const t = T[lang];

  test.describe(`${lang}`, () => {
    test.use({ locale: LANGS[lang] });

    test(`1. iPay's form is posted once; back on the order page the state is in plain words (${lang})`, async ({ page }) => {
      await fillCart(page, "autre", 1);
      await fillCustomer(page, { phone: "0722000000", option: "ipay.mpesa.hosted" });
      await page.getByTestId("pay").click();
      await expect(page.getByTestId("ipay-submit")).toBeVisible();
      await page.getByTestId("ipay-outcome-pending").check();
      await page.getByTestId("ipay-submit").click();

      await expect(page.getByTestId("pending-explainer")).toContainText(t.ipayPending);
      await expectStillOnOrderPage(page);
      await expect(page.getByTestId("continue-payment")).toHaveText(t.continue);
      await expect(page.getByTestId("pay-another-way")).toHaveText(t.another);
      await shot(page, `order-ipay-pending-${lang}`);
      // A reload is a visit like any other: nothing is posted again by itself.
      await page.reload();
      await expectStillOnOrderPage(page);
      // The shopper chooses to go back to iPay.
      await page.getByTestId("continue-payment").click();
      await expect(page.getByTestId("ipay-submit")).toBeVisible();
    });

    test(`2. card without an e-mail: the checkout asks for what the card channel needs, before any order (${lang})`, async ({ page }) => {
      await fillCart(page, "demo", 1);
      await expect(page.locator("#address")).toBeHidden();
      await fillCustomer(page, { phone: "0707070707", option: "cinetpay.card.hosted", email: null });
      await expect(page.locator("#address")).toBeVisible();
      await page.getByTestId("pay").click();
      await expect(page.getByTestId("error-email")).toHaveText(t.cardEmail);
      await expect(page.getByTestId("error-address")).toHaveText(t.address);
      await expect(page.getByTestId("error-city")).toHaveText(t.city);
      await expect(page).toHaveURL(/\/demo\/checkout$/);
      await shot(page, `checkout-card-errors-${lang}`);
      await page.locator("#email").fill("aminata@example.ci");
      await page.locator("#address").fill("Rue des Jardins, Cocody");
      await page.locator("#city").fill("Abidjan");
      await page.locator("#state").fill("Lagunes");
      await page.getByTestId("pay").click();
      await expect(page).toHaveURL(/\/sandbox\/cinetpay\/payment\//);
      await page.getByTestId("method-CARD").check();
      await page.getByTestId("outcome-accepted").check();
      await page.getByTestId("pay-submit").click();
      await page.getByTestId("return-to-merchant").click();
      await expectPaid(page);
    });

    test(`2b. the retry form asks for the card's fields too (${lang})`, async ({ page }) => {
      await fillCart(page, "demo", 1);
      await fillCustomer(page, { phone: "0707070707", option: "cinetpay.mobile_money.hosted", email: null });
      await page.getByTestId("pay").click();
      await page.getByTestId("method-MOMO").check();
      await page.getByTestId("outcome-refused").check();
      await page.getByTestId("pay-submit").click();
      await page.getByTestId("return-to-merchant").click();
      await expect(page.getByTestId("order-status")).toHaveAttribute("data-status", "failed");

      const retry = page.getByTestId("retry-form");
      await expect(retry.locator("#retry-address")).toBeHidden();
      await retry.getByTestId("retry-option-cinetpay.card.hosted").check();
      await expect(retry.locator("#retry-address")).toBeVisible();
      await retry.getByTestId("retry-submit").click();
      await expect(retry.getByTestId("error-email")).toHaveText(t.cardEmail);
      await shot(page, `order-retry-card-errors-${lang}`);
      await retry.locator("#retry-email").fill("aminata@example.ci");
      await retry.locator("#retry-address").fill("Rue des Jardins, Cocody");
      await retry.locator("#retry-city").fill("Abidjan");
      await retry.locator("#retry-state").fill("Lagunes");
      await retry.getByTestId("retry-submit").click();
      await expect(page).toHaveURL(/\/sandbox\/cinetpay\/payment\//);
    });

    test(`3. M-Pesa prompt: a masked number, send it again after a timeout, or pay another way (${lang})`, async ({ page }) => {
      await fillCart(page, "autre", 1);
      await fillCustomer(page, { phone: "0712 345 456", option: "ipay.mpesa.push" });
      await page.getByTestId("pay").click();
      await expect(page.getByTestId("order-status")).toHaveAttribute("data-status", "waiting_for_customer");
      await expect(page.getByTestId("approve-phone")).toContainText(/\+254\s712\s•••\s456/);
      await expect(page.getByTestId("resend-prompt")).toHaveText(t.resend);
      await expect(page.getByTestId("pay-another-way")).toHaveText(t.another);
      await shot(page, `order-mpesa-waiting-${lang}`);

      await phoneAnswers(page, "254712345456", "timeout");
      await expect(page.getByTestId("attempt-outcome")).toContainText(t.timedOut, { timeout: 20_000 });
      await expect(page.getByTestId("resend-prompt")).toBeVisible();
      await expect(page.getByTestId("pay-another-way")).toBeVisible();
      await shot(page, `order-mpesa-timed-out-${lang}`);

      await page.getByTestId("resend-prompt").click();
      await expect(page.getByTestId("attempt-outcome")).toHaveCount(0);
      await expect(page.getByTestId("approve-phone")).toContainText(/\+254\s712\s•••\s456/);
      await phoneAnswers(page, "254712345456", "approve");
      await expectPaid(page);
      await expect(page.getByTestId("order-status")).toHaveAttribute("data-tone", "success");
      await expect(page.getByTestId("order-status").locator("svg")).toHaveCount(1);
      await shot(page, `order-paid-${lang}`);
    });

    test(`3b. M-Pesa prompt declined: said plainly, and sent again on request (${lang})`, async ({ page }) => {
      await fillCart(page, "autre", 1);
      await fillCustomer(page, { phone: "0712 345 457", option: "ipay.mpesa.push" });
      await page.getByTestId("pay").click();
      await expect(page.getByTestId("approve-phone")).toBeVisible();
      await phoneAnswers(page, "254712345457", "decline");
      await expect(page.getByTestId("failure-reason")).toContainText(t.declined, { timeout: 20_000 });
      await expect(page.getByTestId("order-status")).toHaveAttribute("data-tone", "failure");
      await expect(page.getByTestId("resend-prompt")).toHaveText(t.resend);
      await shot(page, `order-mpesa-declined-${lang}`);
      await page.getByTestId("resend-prompt").click();
      await expect(page.getByTestId("order-status")).toHaveAttribute("data-status", "waiting_for_customer");
      // Pressed again and again: once the order's attempts for the window are spent, the page says
      // so instead of seeming to do nothing. Each press waits for its own action's answer.
      const resend = async () => {
        const answered = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname.startsWith("/orders/"));
        await page.getByTestId("resend-prompt").click();
        await answered;
      };
      for (let sent = 1; sent < ORDER_ATTEMPTS_PER_WINDOW; sent++) await resend();
      await expect(page.getByTestId("resend-refused")).toHaveCount(0);
      await resend();
      await expect(page.getByTestId("resend-refused")).toHaveText(t.tooMany);
    });

    test(`4. KKiaPay closed while the prompt is live: waiting for your confirmation (${lang})`, async ({ page }) => {
      await fillCart(page, "demo", 1);
      await fillCustomer(page, { country: "BJ", phone: "01 97 00 00 00", option: "kkiapay.mtn.hosted" });
      await page.getByTestId("pay").click();
      const widget = page.frameLocator('[data-testid="kkiapay-widget-frame"]');
      await widget.getByTestId("kkiapay-phone").fill("0197000000");
      await widget.getByTestId("kkiapay-outcome-pending").check();
      await widget.getByTestId("kkiapay-pay").click();
      await expect(widget.getByTestId("kkiapay-result")).toHaveAttribute("data-outcome", "pending");
      await page.getByTestId("kkiapay-widget-close").click();

      await expect(page.getByTestId("order-status")).toContainText(t.waiting);
      await expectStillOnOrderPage(page);
      await expect(page.locator("main")).not.toContainText(t.nothingCharged);
      await expect(page.getByTestId("pay-another-way")).toBeVisible();
      await shot(page, `order-kkiapay-waiting-${lang}`);
    });

    test(`4b. KKiaPay's script does not load: said so, with another way to pay (${lang})`, async ({ page }) => {
      await page.route("**/sandbox/kkiapay/k.js*", (route) => route.abort());
      await fillCart(page, "demo", 1);
      await fillCustomer(page, { country: "BJ", phone: "01 97 00 00 00", option: "kkiapay.mtn.hosted" });
      await page.getByTestId("pay").click();
      await expect(page.getByTestId("widget-error")).toContainText(t.widgetFailed);
      await expect(page.getByTestId("pay-another-way")).toBeVisible();
      await shot(page, `order-kkiapay-script-failed-${lang}`);
    });

    test(`6. a refusal reads as a plain sentence with the next step, never a raw code (${lang})`, async ({ page }) => {
      await fillCart(page, "demo", 1);
      await refuseOnCinetpayPage(page);
      const status = page.getByTestId("order-status");
      await expect(status).toHaveAttribute("data-status", "failed");
      await expect(status).toHaveAttribute("data-tone", "failure");
      await expect(status).toContainText(t.refused);
      await expect(status.locator("svg")).toHaveCount(1);
      await expect(page.getByTestId("failure-reason")).toHaveText(t.insufficient);
      await expect(page.locator("main")).not.toContainText("602");
      await shot(page, `order-refused-${lang}`);
    });

    test(`6b. a transaction CinetPay reports as cancelled is not told as "you cancelled" (${lang})`, async ({ page }) => {
      await fillCart(page, "demo", 1);
      await fillCustomer(page, { phone: "0707070707", option: "cinetpay.mobile_money.hosted" });
      await page.getByTestId("pay").click();
      await page.getByTestId("pay-cancel").click();
      await page.getByTestId("return-to-merchant").click();
      await expect(page.getByTestId("order-status")).toHaveAttribute("data-tone", "failure");
      await expect(page.getByTestId("failure-reason")).toContainText(t.notCompleted);
      await expect(page.locator("main")).not.toContainText(t.youCancelled);
      await expect(page.locator("main")).not.toContainText("627");
    });

    test(`5. an open link shows its bounds, echoes the amount and refuses what is outside them (${lang})`, async ({ page }) => {
      await page.goto("/pay/lnk_demoMontantLibre000001");
      await expect(page.getByTestId("amount-bounds")).toContainText(t.between);
      await page.locator("#amount").fill("999999999999");
      await fillCustomer(page, { phone: "0707070707", option: "cinetpay.mobile_money.hosted" });
      await expect(page.getByTestId("pay")).toContainText(/999\s999\s999\s999/);
      await page.getByTestId("pay").click();
      await expect(page.getByTestId("error-amount")).toContainText(t.tooHigh);
      await expect(page).toHaveURL(/\/pay\/lnk_demoMontantLibre000001$/);
      await shot(page, `link-amount-too-high-${lang}`);
    });
  });
}

test.describe("the merchant bounds an open link", () => {
  test.use({ locale: "fr-CI" });

  test("min and max set on the dashboard hold on the link's page", async ({ page, context }) => {
    await signIn(page, USERS.demoOwner);
    await page.goto("/dashboard/links");
    const title = `Acompte borné ${Date.now()}`;
    await page.getByTestId("link-title").fill(title);
    await page.getByTestId("link-min").fill("1 000");
    await page.getByTestId("link-max").fill("50 000");
    await page.getByTestId("link-submit").click();
    const row = page.locator(`[data-testid="link-row"][data-title="${title}"]`);
    await expect(row).toBeVisible();
    const url = (await row.getByTestId("link-url").textContent())!.trim();
    await context.clearCookies();

    await page.goto(new URL(url).pathname);
    await expect(page.getByTestId("amount-bounds")).toContainText(/1\s000\sF\sCFA.*50\s000\sF\sCFA/);
    await page.locator("#amount").fill("500");
    await fillCustomer(page, { phone: "0707070707", option: "cinetpay.mobile_money.hosted" });
    await expect(page.getByTestId("pay")).toContainText(/500\sF\sCFA/);
    await page.getByTestId("pay").click();
    await expect(page.getByTestId("error-amount")).toContainText(T.fr.tooLow);
    await expect(page.getByTestId("error-amount")).toContainText(/1\s000/);
    await shot(page, "link-amount-too-low-fr");
    await page.locator("#amount").fill("2 500");
    await expect(page.getByTestId("pay")).toContainText(/2\s500\sF\sCFA/);
    await page.getByTestId("pay").click();
    await expect(page).toHaveURL(/\/sandbox\/cinetpay\/payment\//);
    await expect(page.getByTestId("amount")).toContainText(/2\s500/);
  });
});

for (const lang of ["fr", "en"] as const satisfies Lang[]) {
  test.describe(`iPay paid less (${lang})`, () => {
    test.use({ locale: LANGS[lang] });

    test(`1b. an underpayment is explained and the shopper is never sent back to iPay's 'already paid' page (${lang})`, async ({ page }) => {
      await fillCart(page, "autre", 1);
      await fillCustomer(page, { phone: "0722000000", option: "ipay.mpesa.hosted" });
      await page.getByTestId("pay").click();
      await page.getByTestId("ipay-outcome-less").check();
      await page.getByTestId("ipay-submit").click();
      await expect(page.getByTestId("underpaid")).toContainText(T[lang].underpaid);
      await expectStillOnOrderPage(page);
      await expect(page.getByTestId("continue-payment")).toHaveCount(0);
      await expect(page.getByTestId("pay-another-way")).toBeVisible();
      await shot(page, `order-ipay-underpaid-${lang}`);
    });
  });
}

test.describe("the order page refreshing itself", () => {
  test.use({ locale: "fr-CI" });

  // The tab's title is what a screen reader announces and what a shopper finds their tab by; a
  // refresh that drops it for a moment fails WCAG's page title rule while it lasts (axe caught one
  // on CI's run of 4aa27d4). The markup does not depend on the database.
  test("keeps its <title> through every status change", async ({ page }, info) => {
    test.skip(info.project.name !== "pglite", "the head's markup does not depend on the database (PGlite project only)");
    await fillCart(page, "autre", 1);
    await fillCustomer(page, { phone: "0712 345 458", option: "ipay.mpesa.push" });
    await page.getByTestId("pay").click();
    await expect(page.getByTestId("approve-phone")).toBeVisible();
    const title = await page.title();
    expect(title).toMatch(/Commande/);
    // Every DOM change from here on records the title the document has right after it.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { titlesSeen: string[] }).titlesSeen = seen;
      new MutationObserver(() => seen.push(document.title)).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await phoneAnswers(page, "254712345458", "decline");
    await expect(page.getByTestId("failure-reason")).toBeVisible({ timeout: 20_000 });
    const seen = await page.evaluate(() => (window as unknown as { titlesSeen: string[] }).titlesSeen);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((t) => t !== title)).toEqual([]);
  });
});
