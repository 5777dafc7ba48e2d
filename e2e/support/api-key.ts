import { expect, type Browser } from "@playwright/test";
import { signIn } from "./auth";

/**
 * A sandbox API key made as a merchant makes one: the owner signs in, opens Settings → Developers
 * and creates it (shown once). A context of its own, so the caller's pages stay signed out.
 */
export async function createSandboxKey(browser: Browser, owner: { email: string; password: string }, baseURL: string): Promise<string> {
  const context = await browser.newContext({ baseURL });
  try {
    const page = await context.newPage();
    await signIn(page, owner);
    await page.goto("/dashboard/settings/developers");
    await page.getByTestId("api-key-name").fill(`Site marchand ${Date.now()}`);
    await page.getByTestId("api-key-mode").selectOption("sandbox");
    await page.getByTestId("api-key-submit").click();
    const key = (await page.getByTestId("api-key-value").textContent())!.trim();
    expect(key).toMatch(/^ck_test_[0-9A-Za-z]{43}$/);
    return key;
  } finally {
    await context.close();
  }
}
