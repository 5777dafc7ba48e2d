import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { signIn, USERS } from "./support/auth";

/**
 * Settings → Developers → Webhooks at 360 px: the owner adds an endpoint (a live http URL is
 * refused at the field), copies its secret shown once, sends a test event that "the merchant's
 * server" (a bare node:http receiver) verifies with the official standardwebhooks package, reads
 * the delivery log and rotates the secret. In French (autre's owner reads English).
 */
type Got = { headers: Record<string, string>; body: string };

async function receiver() {
  const got: Got[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      got.push({ headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])), body: Buffer.concat(chunks).toString("utf8") });
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { got, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/caisse-hooks`, close: () => new Promise((resolve) => server.close(resolve)) };
}

for (const { locale, user, words } of [
  { locale: "fr-CI", user: USERS.demoOwner, words: { https: "doit être en https", delivered: "Livrée" } },
  { locale: "en-KE", user: USERS.autreOwner, words: { https: "must use https", delivered: "Delivered" } },
] as const) {
  test.describe(`webhooks (${locale})`, () => {
    test.use({ locale, viewport: { width: 360, height: 780 } });

    test("the owner adds an endpoint, sees its secret once, sends a verified test event, reads the log, rotates the secret and deletes it", async ({ page }) => {
      const site = await receiver();
      try {
        await signIn(page, user);
        await page.goto("/dashboard/settings/developers");
        const form = page.getByTestId("webhook-form");
        await form.getByTestId("webhook-url").fill("http://shop.example.com/hooks");
        await form.getByTestId("webhook-mode").selectOption("live");
        await form.getByTestId("webhook-submit").click();
        await expect(form.getByTestId("webhook-url-error")).toContainText(words.https);

        await form.getByTestId("webhook-url").fill(site.url);
        await form.getByTestId("webhook-mode").selectOption("sandbox");
        await form.getByTestId("webhook-submit").click();
        const secret = (await form.getByTestId("webhook-secret-value").textContent())!.trim();
        expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

        const row = page.locator(`[data-testid="webhook-endpoint"][data-url="${site.url}"]`);
        await row.getByTestId("webhook-test-submit").click();
        await expect(row.getByTestId("webhook-test-result")).toHaveAttribute("data-ok", "true");
        await expect.poll(() => site.got.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
        const verified = new Webhook(secret).verify(site.got[0]!.body, site.got[0]!.headers) as { type: string };
        expect(verified.type).toBe("webhook.test");

        await expect(async () => {
          await page.reload();
          await row.getByTestId("webhook-log").locator("summary").first().click();
          await expect(row.locator('[data-testid="webhook-delivery"][data-status="delivered"]')).toHaveCount(1, { timeout: 1_000 });
        }).toPass({ timeout: 20_000 });
        await expect(row.getByTestId("webhook-delivery")).toContainText(words.delivered);
        await expect(row.getByTestId("webhook-attempt-status").first()).toHaveText("200");
        await page.screenshot({ path: `e2e/screenshots/webhooks-log-${locale}-${test.info().project.name}.png`, fullPage: true });
        await expect(page.locator("body")).not.toContainText(secret);

        await row.getByTestId("webhook-rotate-submit").click();
        const rotated = (await row.getByTestId("webhook-secret-value").textContent())!.trim();
        expect(rotated).toMatch(/^whsec_/);
        expect(rotated).not.toBe(secret);

        // Deleting asks once more; then the endpoint and its log are gone, after a reload too.
        await row.getByTestId("webhook-delete-open").click();
        await row.getByTestId("webhook-delete-submit").click();
        await expect(row).toHaveCount(0);
        await page.reload();
        await expect(page.locator(`[data-testid="webhook-endpoint"][data-url="${site.url}"]`)).toHaveCount(0);
      } finally {
        await site.close();
      }
    });
  });
}
