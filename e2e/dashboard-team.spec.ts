import { expect, test, type Page } from "@playwright/test";
import { signIn, USERS } from "./support/auth";

/**
 * Settings → Team: the owner invites a member, the link (shown once) is opened signed out and
 * accepted with a new password, the new member signs in as staff, the owner promotes then
 * removes them. Another merchant's owner cannot touch demo's members.
 */

async function member(page: Page, email: string) {
  await page.goto("/dashboard/settings");
  return page.locator(`[data-testid="team-member"][data-email="${email}"]`);
}

test.describe("team members", () => {
  test.use({ locale: "fr-CI", viewport: { width: 1280, height: 900 } });

  test("the owner invites a member who accepts, signs in as staff, is promoted, then removed", async ({ page, browser }) => {
    const email = `equipe-${Date.now()}@demo.test`;
    await signIn(page, USERS.demoOwner);
    await page.goto("/dashboard/settings");
    await page.getByTestId("invite-email").fill("pas-un-email");
    await page.getByTestId("invite-submit").click();
    await expect(page.getByTestId("invite-email-error")).toBeVisible();
    await expect(page.getByTestId("invite-email")).toHaveValue("pas-un-email");

    await page.getByTestId("invite-email").fill(email);
    await page.getByTestId("invite-role").selectOption("staff");
    await page.getByTestId("invite-submit").click();
    const url = (await page.getByTestId("invite-url").textContent())!.trim();
    expect(url).toMatch(/\/invite\/[0-9a-f]{64}$/);
    await expect(page.getByTestId("invite-whatsapp")).toHaveAttribute("href", /^https:\/\/wa\.me\/\?text=/);
    await page.setViewportSize({ width: 360, height: 780 });
    await page.screenshot({ path: "e2e/screenshots/dashboard-team-invite-360.png", fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.reload();
    await expect(page.getByTestId("invite-url")).toHaveCount(0); // shown once: only its hash is stored
    await expect(page.locator(`[data-testid="invitation"][data-email="${email}"]`)).toBeVisible();

    const invitee = await (await browser.newContext({ locale: "fr-CI" })).newPage();
    await invitee.goto(new URL(url).pathname);
    await expect(invitee.getByTestId("invite-page")).toHaveAttribute("data-state", "pending");
    await expect(invitee.getByTestId("invite-accept-form")).toHaveAttribute("data-mode", "new");
    await expect(invitee.getByTestId("invite-summary")).toContainText("Boutique Démo avec le rôle « équipe »");
    await invitee.getByTestId("invite-name").fill("Awa Equipe");
    await invitee.getByTestId("invite-password").fill("court");
    await invitee.getByTestId("invite-accept").click();
    await expect(invitee.getByTestId("invite-password-error")).toBeVisible();
    await expect(invitee.getByTestId("invite-name")).toHaveValue("Awa Equipe"); // kept across the refusal
    await invitee.getByTestId("invite-password").fill("mot-de-passe-equipe");
    await invitee.getByTestId("invite-accept").click();
    await expect(invitee.getByTestId("invite-accepted")).toBeVisible();
    await invitee.screenshot({ path: "e2e/screenshots/invite-accepted-desktop.png", fullPage: true });
    await invitee.getByTestId("invite-sign-in").click();
    await expect(invitee).toHaveURL(/\/login/);
    await signIn(invitee, { email, password: "mot-de-passe-equipe" });
    await invitee.goto("/dashboard/settings");
    await expect(invitee.getByTestId("team-member").first()).toBeVisible();
    await expect(invitee.getByTestId("invite-form")).toHaveCount(0); // staff: read-only team

    // The link was single use.
    await invitee.goto(new URL(url).pathname);
    await expect(invitee.getByTestId("invite-page")).toHaveAttribute("data-state", "accepted");

    const row = await member(page, email);
    await expect(row).toHaveAttribute("data-role", "staff");
    await row.getByTestId("member-role-select").selectOption("owner");
    await row.getByTestId("member-role-save").click();
    await expect(row.getByTestId("member-role-result")).toHaveAttribute("data-ok", "true");
    await expect(await member(page, email)).toHaveAttribute("data-role", "owner");

    const again = await member(page, email);
    await again.getByTestId("member-remove-open").click();
    await again.getByTestId("member-remove-submit").click();
    await expect(page.locator(`[data-testid="team-member"][data-email="${email}"]`)).toHaveCount(0);
    await invitee.context().close();
  });

  test("the owner of autre cannot change or remove demo's members", async ({ page, browser }) => {
    await signIn(page, USERS.demoOwner);
    const staff = await member(page, USERS.demoStaff.email);
    const demoMemberId = await staff.locator('input[name="memberId"]').first().inputValue();

    const other = await (await browser.newContext({ locale: "fr-CI" })).newPage();
    await signIn(other, USERS.autreOwner);
    await other.goto("/dashboard/settings");
    const own = other.getByTestId("team-member").first();
    const form = own.getByTestId("member-role-form");
    await form.locator('input[name="memberId"]').evaluate((el, v) => ((el as HTMLInputElement).value = v), demoMemberId);
    await form.getByTestId("member-role-select").selectOption("owner");
    await form.getByTestId("member-role-save").click();
    await expect(form.getByTestId("member-role-result")).toHaveText("Membre introuvable.");
    await other.context().close();

    await expect(await member(page, USERS.demoStaff.email)).toHaveAttribute("data-role", "staff");
  });
});
