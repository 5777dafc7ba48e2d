import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { SEED_MERCHANTS } from "@/db/seed-data";
import { signIn, USERS } from "./support/auth";

/**
 * Connecting a provider from the settings on a 360 px phone, in French and in English: the
 * built-in sandbox in one click, a connection test that works, a test notification the simulator
 * delivers and the notifications log shows, then live keys the provider refuses (CinetPay's live
 * API is the server's own simulator here, as a staging host: playwright.config.ts), kept in the
 * form with the reason at the fields, and saved only with "Save anyway". The fee rate is a
 * percentage as on the contract, with the language's decimal mark, refused at the field when it
 * has more than 2 decimals or exceeds 100 %. Runs on autre's CinetPay account and gives it back
 * its sandbox and its 3.5 % at the end.
 */

const TEXT = {
  fr: { rate: "3,5", newRate: "2,75", typedRate: "2,75 %", precise: "3,555", tooPrecise: "2 décimales au plus", tooHigh: "Entre 0 % et 100 %", contract: /Frais : 2,75\s%/, sandboxOn: "Bac à sable activé", works: "Ça marche", sent: /Notification de test envoyée.*HTTP 404/, refused: "refuse ces identifiants", saved: "Enregistré.", apiKey: "Clé API (API KEY)", siteId: "Identifiant du site (Site ID)" },
  en: { rate: "3.5", newRate: "2.75", typedRate: "2.75%", precise: "3.555", tooPrecise: "At most 2 decimals", tooHigh: "Between 0% and 100%", contract: /Fees: 2\.75%/, sandboxOn: "Sandbox on", works: "It works", sent: /Test notification sent.*HTTP 404/, refused: "refuses these credentials", saved: "Saved.", apiKey: "API key (API KEY)", siteId: "Site ID" },
} as const;

const autre = SEED_MERCHANTS.find((m) => m.slug === "autre")!;
const storedSecrets = autre.accounts.flatMap((a) => Object.entries(a.credentials).filter(([k]) => /secret|private|apiKey|securityKey/i.test(k)).map(([, v]) => v));
const BAD = { apiKey: "e2e_wrong_live_apikey", siteId: "771009", secretKey: "e2e_wrong_live_secret" };

async function expectAccessible(page: Page, project: string) {
  // The markup is the same on both databases: axe reads it once.
  if (project !== "pglite") return;
  const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(violations.flatMap((v) => v.nodes.map((n) => `${v.id} ${JSON.stringify(n.target)}: ${v.help}`))).toEqual([]);
}

const unknownPaymentRows = (page: Page) => page.getByTestId("notification-row").filter({ hasText: "CinetPay" }).filter({ hasText: "unknown payment" });

for (const lang of ["fr", "en"] as const) {
  test.describe(`connecting a provider (${lang})`, () => {
    test.use({ locale: lang === "fr" ? "fr-CI" : "en-KE", viewport: { width: 360, height: 780 } });

    test("sandbox in one click, a good test, a test notification in the log, live keys refused then saved anyway", async ({ page }, info) => {
      // Three connection tests, a notification and two axe runs, on a shared 2-core machine.
      test.setTimeout(180_000);
      const t = TEXT[lang];
      await signIn(page, USERS.autreOwner);
      await page.goto("/dashboard/notifications");
      const loggedBefore = await unknownPaymentRows(page).count();

      const html = await (await page.goto("/dashboard/settings"))!.text();
      for (const secret of storedSecrets) expect(html).not.toContain(secret);
      const card = page.locator('[data-testid="provider-account"][data-provider="cinetpay"]');
      const form = page.getByTestId("account-form-cinetpay");
      await expect(card.getByTestId("webhook-url")).toHaveText(/\/api\/webhooks\/cinetpay\/autre$/);
      await expect(form.getByText(t.apiKey, { exact: true })).toBeVisible();
      await expect(form.getByText(t.siteId, { exact: true })).toBeVisible();

      // The fee rate as on the contract: a percentage in the language's notation, refused at the field past 2 decimals or 100 %.
      await expect(form.getByTestId("account-fee-rate")).toHaveValue(t.rate);
      await form.getByTestId("account-fee-rate").fill(t.precise);
      await form.getByTestId("account-save").click();
      await expect(form.getByTestId("account-fee-rate-error")).toContainText(t.tooPrecise);
      await expect(form.getByTestId("account-fee-rate")).toHaveAttribute("aria-invalid", "true");
      await expect(form.getByTestId("account-fee-rate")).toHaveValue(t.precise);
      await form.getByTestId("account-fee-rate").fill("150");
      await form.getByTestId("account-save").click();
      await expect(form.getByTestId("account-fee-rate-error")).toContainText(t.tooHigh);
      await expect(form.getByTestId("account-fee-rate")).toHaveValue("150");
      await expect(card.getByTestId("account-contract")).toContainText(lang === "fr" ? /3,5\s%/ : "3.5%");
      await page.reload();

      // The sandbox in one click.
      await form.getByTestId("account-use-sandbox").click();
      await expect(form.getByTestId("account-result")).toContainText(t.sandboxOn);
      await expect(card).toHaveAttribute("data-mode", "sandbox");
      await expect(form.getByTestId("account-set-sandbox")).toHaveAttribute("data-stored", "true");

      // A good test: the sandbox keys, at the simulator.
      await form.getByTestId("account-test").click();
      await expect(form.getByTestId("account-connection")).toHaveAttribute("data-outcome", "works");
      await expect(form.getByTestId("account-connection")).toContainText(t.works);

      // A test notification, delivered by the simulator, in the log.
      await form.getByTestId("account-send-test").click();
      await expect(form.getByTestId("account-result")).toContainText(t.sent);
      await expectAccessible(page, info.project.name);
      await form.getByTestId("account-notifications-link").click();
      await expect(page).toHaveURL(/\/dashboard\/notifications$/);
      await expect(unknownPaymentRows(page)).toHaveCount(loggedBefore + 1);

      // Live keys CinetPay refuses: refused at the fields, every typed value still there.
      await page.goto("/dashboard/settings");
      await form.getByTestId("account-mode").selectOption("live");
      await form.getByTestId("account-fee-rate").fill(t.newRate);
      for (const [field, value] of Object.entries(BAD)) await form.getByTestId(`account-cred-live-${field}`).fill(value);
      await form.getByTestId("account-save").click();
      await expect(form.getByTestId("account-connection-error")).toContainText(t.refused);
      await expect(form.getByTestId("account-cred-live-apiKey")).toHaveAttribute("aria-invalid", "true");
      await expect(form.getByTestId("account-mode")).toHaveValue("live");
      await expect(form.getByTestId("account-fee-rate")).toHaveValue(t.newRate);
      for (const [field, value] of Object.entries(BAD)) await expect(form.getByTestId(`account-cred-live-${field}`)).toHaveValue(value);
      await expectAccessible(page, info.project.name);
      await page.screenshot({ path: `e2e/screenshots/settings-live-refused-${lang}-360.png`, fullPage: true });
      await page.reload();
      await expect(card).toHaveAttribute("data-mode", "sandbox");

      // Saved anyway: live now, the secrets written once and never shown again.
      for (const [field, value] of Object.entries(BAD)) await form.getByTestId(`account-cred-live-${field}`).fill(value);
      await form.getByTestId("account-mode").selectOption("live");
      await form.getByTestId("account-override").check();
      await form.getByTestId("account-fee-rate").fill(t.typedRate);
      await form.getByTestId("account-save").click();
      await expect(form.getByTestId("account-result")).toHaveText(t.saved);
      await expect(card.getByTestId("account-contract")).toContainText(t.contract);
      await expect(form.getByTestId("account-fee-rate")).toHaveValue(t.newRate);
      await expect(card).toHaveAttribute("data-mode", "live");
      await expect(form.getByTestId("account-set-live")).toHaveAttribute("data-stored", "true");
      await expect(form.getByTestId("account-set-live")).toContainText(BAD.siteId);
      const after = await (await page.request.get("/dashboard/settings")).text();
      expect(after).not.toContain(BAD.apiKey);
      expect(after).not.toContain(BAD.secretKey);

      // Back to the sandbox and the seeded 3.5 % for the other specs.
      await page.reload();
      await form.getByTestId("account-use-sandbox").click();
      await expect(card).toHaveAttribute("data-mode", "sandbox");
      await page.reload();
      await form.getByTestId("account-fee-rate").fill(t.rate);
      await form.getByTestId("account-save").click();
      await expect(form.getByTestId("account-result")).toHaveText(t.saved);
      await expect(form.getByTestId("account-fee-rate")).toHaveValue(t.rate);
    });
  });
}
