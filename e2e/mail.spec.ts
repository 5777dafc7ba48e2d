import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import type { SmtpCatcher } from "../lib/testing/smtp-catcher";
import { signIn, USERS } from "./support/auth";
import { linkIn, mailTo, startE2eSmtp } from "./support/mail";
import { expectPaid, fillCart, fillCustomer } from "./support/shopper";

/**
 * E-mail as people receive it: the app servers send to a real SMTP server this spec starts
 * (SMTP_URL in playwright.config.ts), and the tests read what it received. A forgotten password
 * is reset from the link in the e-mail; an invitation arrives with its link; a shopper who gave
 * an e-mail gets one receipt when the order is paid.
 */

let smtp: SmtpCatcher;
test.beforeAll(async () => {
  smtp = await startE2eSmtp();
});
test.afterAll(async () => {
  await smtp?.close();
});

test.use({ locale: "fr-CI", viewport: { width: 360, height: 780 } });

async function expectAccessible(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
}

test("a forgotten password is reset from the e-mailed link, once; the old password and the sessions before it stop working", async ({ page, browser }) => {
  const email = `oubli.${Date.now()}@chez-awa.ci`;
  await page.goto("/signup");
  await page.getByTestId("signup-name").fill("Awa Oubli");
  await page.getByTestId("signup-email").fill(email);
  await page.getByTestId("signup-password").fill("mangue-tamarin-42");
  await page.getByTestId("signup-submit").click();
  await expect(page).toHaveURL(/\/stores\/new$/);

  const visitor = await (await browser.newContext({ locale: "fr-CI" })).newPage();
  await visitor.goto("/login");
  await visitor.getByTestId("login-forgot").click();
  await expect(visitor).toHaveURL(/\/forgot-password$/);
  await visitor.getByTestId("forgot-email").fill("pas-une-adresse");
  await visitor.getByTestId("forgot-submit").click();
  await expect(visitor.getByTestId("forgot-email-error")).toHaveText("Cette adresse e-mail n’est pas valide.");
  await expectAccessible(visitor);
  // An address without an account gets the very same answer.
  await visitor.getByTestId("forgot-email").fill(`personne.${Date.now()}@chez-awa.ci`);
  await visitor.getByTestId("forgot-submit").click();
  const answer = visitor.getByTestId("forgot-result");
  await expect(answer).toHaveAttribute("data-ok", "true");
  const unknownAnswer = await answer.textContent();
  await visitor.getByTestId("forgot-email").fill(email);
  await visitor.getByTestId("forgot-submit").click();
  await expect(answer).toHaveText(unknownAnswer!);
  await visitor.screenshot({ path: "e2e/screenshots/forgot-password-fr.png", fullPage: true });

  const mail = await mailTo(smtp, email, /mot de passe Caisse/);
  expect(mail.subject).toBe("Réinitialisez votre mot de passe Caisse");
  expect(mail.html).toContain("Choisir un nouveau mot de passe");
  const link = linkIn(mail, /\/reset-password\/[0-9a-f]{64}/);
  await visitor.goto(new URL(link).pathname);
  await expect(visitor.getByTestId("reset-page")).toHaveAttribute("data-state", "usable");
  await visitor.getByTestId("reset-password").fill("azertyuiop");
  await visitor.getByTestId("reset-submit").click();
  await expect(visitor.getByTestId("reset-password-error")).toHaveText("Ce mot de passe est trop facile à deviner : choisissez-en un autre.");
  await expectAccessible(visitor);
  await visitor.getByTestId("reset-password").fill("goyave-baobab-2026");
  await visitor.getByTestId("reset-submit").click();
  await expect(visitor.getByTestId("reset-result")).toHaveAttribute("data-ok", "true");
  await visitor.getByTestId("reset-sign-in").click();

  await visitor.locator("#email").fill(email);
  await visitor.locator("#password").fill("mangue-tamarin-42");
  await visitor.getByTestId("login-submit").click();
  await expect(visitor.getByTestId("login-error")).toBeVisible();
  await visitor.locator("#password").fill("goyave-baobab-2026");
  await visitor.getByTestId("login-submit").click();
  await expect(visitor).toHaveURL(/\/stores\/new$/);
  // The session signed in before the reset is over (a stolen one would be too); the one after it works.
  await page.goto("/stores/new");
  await expect(page).toHaveURL(/\/login/);
  await visitor.reload();
  await expect(visitor).toHaveURL(/\/stores\/new$/);

  await visitor.goto(new URL(link).pathname);
  await expect(visitor.getByTestId("reset-page")).toHaveAttribute("data-state", "invalid");
  await expect(visitor.getByTestId("reset-invalid")).toBeVisible();
  expect(smtp.to(email).filter((m) => m.subject === mail.subject)).toHaveLength(1);
});

test("an invitation is e-mailed with the link the owner sees", async ({ page }) => {
  const email = `invitee.${Date.now()}@demo.test`;
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, USERS.demoOwner);
  await page.goto("/dashboard/settings");
  await page.getByTestId("invite-email").fill(email);
  await page.getByTestId("invite-role").selectOption("staff");
  await page.getByTestId("invite-submit").click();
  const shown = (await page.getByTestId("invite-url").textContent())!.trim();

  const mail = await mailTo(smtp, email, /vous invite dans Boutique Démo/);
  expect(linkIn(mail, /\/invite\/[0-9a-f]{64}/)).toBe(shown);
  expect(mail.html).toContain(`href="${shown}"`);
  await page.goto(new URL(shown).pathname);
  await expect(page.getByTestId("invite-page")).toHaveAttribute("data-state", "pending");
});

test("a shopper who gave an e-mail receives one receipt when the order is paid", async ({ page }) => {
  // A sandbox payment's receipt goes to the store's members only (lib/mail/paid-order.ts): the
  // staff member plays the shopper, as a merchant trying the sandbox would.
  const email = "staff@demo.test";
  await fillCart(page, "demo", 1);
  await fillCustomer(page, { phone: "07 07 07 07 07", option: "cinetpay.mobile_money.hosted", email });
  await page.getByTestId("pay").click();
  await expect(page).toHaveURL(/\/sandbox\/cinetpay\/payment\//);
  await page.getByTestId("method-MOMO").check();
  await page.getByTestId("outcome-accepted").check();
  await page.getByTestId("pay-submit").click();
  await page.getByTestId("return-to-merchant").click();
  const orderId = await expectPaid(page);
  const reference = (await page.title()).match(/Commande (\S+)$/)?.[1];
  expect(reference).toBeTruthy();

  const mail = await mailTo(smtp, email, new RegExp(`Votre reçu de Boutique Démo : commande ${reference}$`));
  expect(mail.subject).toBe(`Votre reçu de Boutique Démo : commande ${reference}`);
  expect(mail.text).toMatch(/F\u00a0CFA/);
  expect(mail.text).toContain(`/orders/${orderId}`);
  // The order page polled its status many times and the notification came too: still one receipt.
  await page.reload();
  await expect(page.getByTestId("order-status")).toHaveAttribute("data-status", "paid");
  expect(smtp.to(email)).toHaveLength(1);
});

test("production has no /dev/outbox", async ({ request }) => {
  expect((await request.get("/dev/outbox")).status()).toBe(404);
  expect((await request.get("/dev/outbox/00000000-0000-4000-8000-000000000000")).status()).toBe(404);
});
