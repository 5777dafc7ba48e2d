import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { signIn, USERS } from "./support/auth";

/**
 * The merchant dashboard for daily work on a phone (issue 16): every page at 360 px and 1280 px,
 * in French and English, axe-clean (WCAG 2.0/2.1 A and AA; both databases, as the pages read
 * different rows on each, French only on PostgreSQL) and photographed into e2e/screenshots/; the orders list, menu,
 * settlements and pending list at 360 px; and one keyboard-only pass from the orders to a refund.
 */

const PHONE = { width: 360, height: 780 };
const DESKTOP = { width: 1280, height: 900 };
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const LANGS = { fr: "fr-CI", en: "en-KE" } as const;

async function expectAccessible(page: Page, state: string) {
  const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const readable = violations.flatMap((v) => v.nodes.map((node) => `${v.id} [${v.impact}] ${JSON.stringify(node.target)}: ${v.help}`));
  expect.soft(readable, `axe violations on ${state} (${page.url()})`).toEqual([]);
}

/** Nothing wider than the screen: a sideways scroll is how half a menu or a money column hides. */
async function expectNoSidewaysScroll(page: Page, state: string) {
  const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect.soft(widths[0], `${state} is wider than the screen`).toBeLessThanOrEqual(widths[1]!);
}

/**
 * axe and the width check at both sizes, then the screenshots (PGlite only: the same pictures
 * twice would only cost time): the whole page, and at 360 px the first screen alone as well.
 */
async function checkPage(page: Page, name: string, lang: string, project: string) {
  for (const [suffix, size] of [["360", PHONE], ["1280", DESKTOP]] as const) {
    await page.setViewportSize(size);
    await expectAccessible(page, `${name}-${lang}-${suffix}`);
    await expectNoSidewaysScroll(page, `${name}-${lang}-${suffix}`);
    if (project !== "pglite") continue;
    await page.screenshot({ path: `e2e/screenshots/dashboard-${name}-${lang}-${suffix}.png`, fullPage: true });
    if (suffix === "360") await page.screenshot({ path: `e2e/screenshots/dashboard-${name}-${lang}-360-first-screen.png` });
  }
}

const PAGES: [string, string][] = [
  ["overview", "/dashboard"],
  ["orders", "/dashboard/orders"],
  ["orders-filtered", "/dashboard/orders?status=paid&provider=cinetpay&min=1000"],
  ["pending", "/dashboard/pending"],
  ["exceptions", "/dashboard/exceptions"],
  ["settlements", "/dashboard/settlements"],
  ["notifications", "/dashboard/notifications"],
  ["products", "/dashboard/products"],
  ["links", "/dashboard/links"],
  ["settings", "/dashboard/settings"],
];

for (const lang of ["fr", "en"] as const) {
  test.describe(`every dashboard page (${lang})`, () => {
    test.use({ locale: LANGS[lang], viewport: DESKTOP });
    // Two axe runs over long lists per test, on a busy 2-core machine.
    test.describe.configure({ timeout: 120_000 });

    test.beforeEach(async ({ page, context }, info) => {
      // Each database holds different rows, so both are checked; the English pages show the same
      // rows as the French ones, so PostgreSQL checks French only (the matrix is CI's longest).
      test.skip(lang === "en" && info.project.name !== "pglite", "English on PostgreSQL shows the rows French already checked there (PGlite checks both languages)");
      await signIn(page, USERS.demoOwner);
      await context.addCookies([{ name: "NEXT_LOCALE", value: lang, url: page.url() }]);
    });

    for (const [name, path] of PAGES) {
      test(`${name}: axe-clean at 360 and 1280 px, screenshots (${lang})`, async ({ page }, info) => {
        await page.goto(path);
        await expect(page.locator("html")).toHaveAttribute("lang", lang);
        await checkPage(page, name, lang, info.project.name);
      });
    }

    test(`an order's page with a refused attempt (${lang})`, async ({ page }, info) => {
      await page.goto("/dashboard/orders?status=failed");
      await page.locator('[data-testid="order-row"] [data-testid="order-link"]').first().click();
      await expect(page.getByTestId("payment-failure").first()).toBeVisible();
      await checkPage(page, "order-detail", lang, info.project.name);
    });

    test(`the open states: the phone menu, the filters panel, the chart's figures (${lang})`, async ({ page }, info) => {
      await page.setViewportSize(PHONE);
      await page.goto("/dashboard/orders");
      // The filters first: the open menu lies over the page, the toggle under it.
      await page.getByTestId("filters-toggle").click();
      await page.getByTestId("nav-menu").locator("summary").click();
      await expectAccessible(page, `orders-open-${lang}-360`);
      if (info.project.name === "pglite") await page.screenshot({ path: `e2e/screenshots/dashboard-orders-open-${lang}-360-first-screen.png` });
      await page.goto("/dashboard");
      await page.getByTestId("chart-table").locator("summary").click();
      await expectAccessible(page, `overview-chart-table-${lang}-360`);
    });
  });
}

test.describe("on a 360 px phone", () => {
  test.use({ locale: "fr-CI", viewport: PHONE });

  test("the menu shows every section and marks the current one", async ({ page }) => {
    await signIn(page, USERS.demoOwner);
    await page.goto("/dashboard/settlements");
    const menu = page.getByTestId("nav-menu");
    await menu.locator("summary").click();
    const links = menu.getByRole("link");
    await expect(links).toHaveCount(9);
    for (const link of await links.all()) await expect(link).toBeInViewport({ ratio: 1 });
    await expect(menu.locator('[aria-current="page"]')).toHaveAttribute("href", "/dashboard/settlements");
    await page.getByTestId("menu-orders").click();
    await expect(page).toHaveURL(/\/dashboard\/orders$/);
    await expect(page.getByTestId("nav-menu").locator('[aria-current="page"]')).toHaveAttribute("href", "/dashboard/orders");
    await expect(page.getByTestId("nav-menu")).not.toHaveAttribute("open");
  });

  test("the first order is on the first screen; filters open from a button and show as removable chips", async ({ page }) => {
    await signIn(page, USERS.demoOwner);
    await page.goto("/dashboard/orders");
    await expect(page.getByTestId("order-card").first()).toBeInViewport();
    await expect(page.getByTestId("filter-status")).toBeHidden();
    await page.getByTestId("filters-toggle").click();
    await page.getByTestId("filter-status").selectOption("paid");
    await page.getByTestId("filter-method").selectOption({ label: "Orange Money" });
    await page.getByTestId("filter-apply-panel").click();
    await expect(page).toHaveURL(/status=paid/);
    await expect(page).toHaveURL(/method=orange_money/);
    const chips = page.getByTestId("filter-chip");
    await expect(chips).toHaveCount(2);
    await expect(page.locator('[data-testid="filter-chip"][data-key="method"]')).toContainText("Orange Money");
    await expect(page.getByTestId("order-card").first()).toBeInViewport();
    await page.locator('[data-testid="filter-chip"][data-key="status"]').click();
    await expect(page).not.toHaveURL(/status=/);
    await expect(page).toHaveURL(/method=orange_money/);
    await expect(page.getByTestId("filter-chip")).toHaveCount(1);
  });

  test("settlements are cards with the expected net on screen", async ({ page }) => {
    await signIn(page, USERS.demoOwner);
    await page.goto("/dashboard/settlements");
    const net = page.getByTestId("settlement-card").first().getByTestId("settlement-net");
    await expect(net).toContainText("F CFA");
    await expect(net).toBeInViewport({ ratio: 1 });
  });

  test("a pending payment's customer can be called or sent a prepared WhatsApp message in the store's language", async ({ page }) => {
    await signIn(page, USERS.demoOwner);
    await page.goto("/dashboard/pending");
    const row = page.getByTestId("pending-row").first();
    await expect(row.getByTestId("pending-customer")).not.toBeEmpty();
    await expect(row.getByTestId("pending-call")).toHaveAttribute("href", /^tel:\+\d{8,15}$/);
    const href = (await row.getByTestId("pending-whatsapp").getAttribute("href"))!;
    const url = new URL(href);
    expect(url.origin).toBe("https://wa.me");
    expect(url.pathname).toMatch(/^\/\d{8,15}$/);
    const reference = (await row.locator('a[href^="/dashboard/orders/"]').textContent())!.trim();
    const text = url.searchParams.get("text")!;
    expect(text).toContain(reference);
    expect(text).toMatch(/^Bonjour .+ paiement de [\d\s\u202f\u00a0]+F\u00a0CFA pour la commande/);
  });

  test("the overview says what each order count counts", async ({ page }) => {
    await signIn(page, USERS.demoOwner);
    await expect(page.getByTestId("stats-period")).toContainText("30 jours");
    await expect(page.getByTestId("stat-count").locator("..")).toContainText("Commandes créées");
    await expect(page.getByTestId("order-count").locator("..")).toContainText("depuis l'ouverture");
    await expect(page.getByTestId("chart-tick")).toHaveCount(3);
    await expect(page.getByTestId("chart-row")).toHaveCount(30);
  });
});

test.describe("keyboard only", () => {
  test.use({ locale: "fr-CI", viewport: DESKTOP });

  /** Tab until the element with that test id has the focus, and check the focus can be seen there. */
  async function tabTo(page: Page, testId: string, limit = 80) {
    for (let i = 0; i < limit; i++) {
      await page.keyboard.press("Tab");
      if ((await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))) === testId) {
        const focused = page.locator(":focus");
        await expect(focused).toBeInViewport();
        expect(await focused.evaluate((el) => el.matches(":focus-visible") && getComputedStyle(el).outlineStyle !== "none")).toBe(true);
        return;
      }
    }
    throw new Error(`${testId} never took the focus in ${limit} Tabs`);
  }

  test("orders → an order → a manual refund, with Tab, Enter and Space", async ({ page }) => {
    await signIn(page, USERS.demoOwner);
    await tabTo(page, "nav-orders");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/dashboard\/orders$/);
    // The list narrowed to paid Orange Money orders (no refund API: a manual refund), smallest first.
    await page.goto("/dashboard/orders?status=paid&provider=orange-money&sort=amount&dir=asc");
    await tabTo(page, "order-link");
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("order-reference")).toBeVisible();
    await tabTo(page, "refund-open");
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("refund-amount")).toBeFocused();
    await tabTo(page, "refund-confirm", 3);
    await page.keyboard.press("Space");
    await expect(page.getByTestId("refund-confirm")).toBeChecked();
    await tabTo(page, "refund-submit", 2);
    await page.keyboard.press("Enter");
    await expect(page.locator('[data-testid="refund-entry"][data-kind="manual"]')).toBeVisible();
    await expect(page.locator('[data-testid="timeline-event"][data-type="refund"]')).toHaveCount(1);
  });
});
