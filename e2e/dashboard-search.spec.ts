import { expect, test } from "@playwright/test";
import { signIn, USERS } from "./support/auth";
import { fillCart, fillCustomer } from "./support/shopper";

/**
 * The orders search as a customer quotes things on the phone (issue 16): a shopper orders with a
 * number of her own, then the owner finds that order by the last digits of the number, typed
 * with spaces or with the country code, and by a fragment of its reference.
 */

test.use({ viewport: { width: 1280, height: 900 }, locale: "fr-CI" });

test("the owner finds a new order by the phone's last digits and by part of its reference", async ({ page }) => {
  // Ivorian mobile numbers are ten digits from 07; the last eight are this run's own.
  const last8 = String(Math.floor(10_000_000 + Math.random() * 89_999_999));
  const spaced = last8.replace(/(\d{2})(?=\d)/g, "$1 ");
  await fillCart(page, "demo", 1);
  await fillCustomer(page, { phone: `07${last8}`, option: "cinetpay.mobile_money.hosted" });
  await page.getByTestId("pay").click();
  await expect(page).toHaveURL(/\/sandbox\/cinetpay\/payment\//);

  await signIn(page, USERS.demoOwner);
  await page.goto("/dashboard/orders");
  const rows = page.getByTestId("orders-table").getByTestId("order-row");

  // The last digits as spoken, with spaces.
  await page.getByTestId("filter-q").fill(spaced);
  await page.getByTestId("filter-apply").click();
  await expect(rows).toHaveCount(1);
  // The list groups the number as people read it (+225 07 30 58 1166).
  await expect(rows.first()).toContainText(new RegExp(`\\+${[..."22507" + last8].join("\\s*")}`));
  const reference = (await rows.first().getAttribute("data-reference"))!;
  expect(reference).toMatch(/^\d{6}-[0-9A-Z]{6}$/);

  // The whole number with its country code, spaced.
  await page.getByTestId("filter-q").fill(`+225 07 ${spaced}`);
  await page.getByTestId("filter-apply").click();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute("data-reference", reference);

  // Part of the reference, in lower case: its random half as a customer reads it out.
  const fragment = reference.slice(-6).toLowerCase();
  await page.getByTestId("filter-q").fill(fragment);
  await page.getByTestId("filter-apply").click();
  await expect(page).toHaveURL(new RegExp(`q=${fragment}`));
  await expect(page.locator(`[data-testid="orders-table"] [data-testid="order-row"][data-reference="${reference}"]`)).toHaveCount(1);
  for (const shown of await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-reference")))) expect(shown).toContain(fragment.toUpperCase());

  // Too short to search by index: the field says so, in French, and the page still answers.
  await page.getByTestId("filter-q").fill("7");
  await page.getByTestId("filter-apply").click();
  await expect(page.getByTestId("filter-q-error")).toHaveText("Tapez au moins 3 caractères pour rechercher.");
  await expect(page.getByTestId("filter-q")).toHaveAttribute("aria-invalid", "true");
});
