import { expect, type Page } from "@playwright/test";

export const USERS = {
  demoOwner: { email: "owner@demo.test", password: "demo-password" },
  demoStaff: { email: "staff@demo.test", password: "staff-password" },
  autreOwner: { email: "owner@autre.test", password: "autre-password" },
} as const;

export async function signIn(page: Page, user: { email: string; password: string }) {
  await page.goto("/login");
  await page.locator("#email").fill(user.email);
  await page.locator("#password").fill(user.password);
  await page.getByTestId("login-submit").click();
  await expect(page).toHaveURL(/\/dashboard$/);
}
