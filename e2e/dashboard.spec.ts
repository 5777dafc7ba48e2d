import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { SEED_MERCHANTS } from "@/db/seed-data";
import { signIn, USERS } from "./support/auth";

/**
 * The merchant dashboard against `next start` on the seeded history: orders list (filters,
 * search, keyset pages, CSV), order detail with re-check and refunds, tenant isolation, roles.
 * Seeded payments have no sandbox transaction behind them: a re-check of one gets whatever the
 * sandbox answers (the test only needs the audited check), and the KKiaPay API refund is made on
 * a payment a shopper makes first through the checkout and the widget simulator.
 */

async function shoot(page: Page, name: string) {
  for (const [suffix, size] of [["360", { width: 360, height: 780 }], ["desktop", { width: 1280, height: 900 }]] as const) {
    await page.setViewportSize(size);
    await page.screenshot({ path: `e2e/screenshots/dashboard-${name}-${suffix}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Opens the newest seeded order (reference H…) matching the query; other specs add orders of their own. */
async function openFirstOrder(page: Page, query: string) {
  await page.goto(`/dashboard/orders?${query}`);
  const row = page.locator('[data-testid="order-row"][data-reference^="H"]').filter({ visible: true }).first();
  await expect(row).toBeVisible();
  await row.getByTestId("order-link").click();
  await expect(page.getByTestId("order-reference")).toHaveText(/^H\d{5}$/);
}

test.describe("merchant dashboard", () => {
  test.use({ locale: "fr-CI", viewport: { width: 1280, height: 900 } });

  test("the owner filters, searches, opens an order and sees fee, net and settlement date", async ({ page }) => {
    await signIn(page, USERS.demoOwner);
    await shoot(page, "overview");
    await page.getByTestId("nav-orders").click();
    await expect(page.getByTestId("order-row").first()).toBeVisible();
    await shoot(page, "orders");

    // The filters are behind their button since issue 16.
    await page.getByTestId("filters-toggle").click();
    await page.getByTestId("filter-status").selectOption("paid");
    await page.getByTestId("filter-provider").selectOption("cinetpay");
    await page.getByTestId("filter-apply").click();
    await expect(page).toHaveURL(/status=paid/);
    await expect(page).toHaveURL(/provider=cinetpay/);
    const rows = page.getByTestId("order-row");
    await expect(rows.first()).toBeVisible();
    for (const badge of await page.getByTestId("orders-table").getByTestId("status-badge").all()) await expect(badge).toHaveAttribute("data-status", "paid");
    for (const cell of await page.getByTestId("order-provider").all()) await expect(cell).toHaveText("CinetPay");

    // Keyset pages: the next page holds other orders, none repeated.
    const firstPage = await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-reference")));
    await page.getByTestId("page-next").click();
    await expect(page).toHaveURL(/cursor=/);
    const secondPage = await page.getByTestId("order-row").evaluateAll((els) => els.map((e) => e.getAttribute("data-reference")));
    expect(secondPage.length).toBeGreaterThan(0);
    expect(secondPage.filter((r) => firstPage.includes(r))).toEqual([]);

    // Search by reference, from a fresh list.
    const reference = firstPage[0]!;
    await page.goto("/dashboard/orders");
    await page.getByTestId("filter-q").fill(reference!);
    await page.getByTestId("filter-apply").click();
    await expect(page).toHaveURL(new RegExp(`q=${reference}`));
    await expect(page.getByTestId("order-row")).toHaveCount(1);
    await expect(page.getByTestId("order-row")).toHaveAttribute("data-reference", reference!);

    // Bad parameters are ignored, never a 500.
    const odd = await page.goto("/dashboard/orders?status=nope&min=abc&from=2026-99-99&cursor=zzz&sort=zzz");
    expect(odd?.status()).toBe(200);
    await expect(page.getByTestId("order-row").first()).toBeVisible();

    await openFirstOrder(page, "status=paid&provider=cinetpay");
    const payment = page.locator('[data-testid="payment-card"][data-status="paid"]');
    await expect(payment.getByTestId("payment-fee")).toContainText("F CFA");
    await expect(payment.getByTestId("payment-net")).toContainText("F CFA");
    await expect(payment.getByTestId("settlement-date")).toHaveAttribute("data-date", /^\d{4}-\d{2}-\d{2}$/);
    await expect(payment.getByTestId("settlement-date")).toHaveAttribute("data-source", "reported");
    await expect(page.getByTestId("timeline-event").first()).toBeVisible();
    await shoot(page, "order-detail");
  });

  test("the owner downloads the filtered set as CSV", async ({ page }) => {
    await signIn(page, USERS.demoOwner);
    await page.goto("/dashboard/orders?status=paid&provider=kkiapay");
    const shown = await page.getByTestId("order-row").evaluateAll((els) => els.map((e) => e.getAttribute("data-reference")));
    const downloading = page.waitForEvent("download");
    await page.getByTestId("export-csv").click();
    const download = await downloading;
    const file = readFileSync((await download.path())!, "utf8");
    // A byte-order mark first, so that Excel reads the file as UTF-8.
    expect(file.startsWith("\ufeff")).toBe(true);
    const lines = file.slice(1).trimEnd().split("\r\n");
    const header = lines[0]!.split(",");
    expect(header).toEqual(expect.arrayContaining(["reference", "amount", "fee", "net", "provider", "status", "settlement_date"]));
    const col = (name: string) => header.indexOf(name);
    const records = lines.slice(1).map((l) => l.split(","));
    expect(records.length).toBeGreaterThanOrEqual(shown.length);
    expect(records.slice(0, shown.length).map((r) => r[col("reference")])).toEqual(shown);
    for (const r of records) {
      expect(r[col("provider")]).toBe("kkiapay");
      expect(r[col("status")]).toBe("paid");
      expect(r[col("currency")]).toBe("XOF");
      expect(r[col("amount")]).toMatch(/^\d+$/);
      expect(Number(r[col("net")]) + Number(r[col("fee")])).toBe(Number(r[col("amount")]));
    }
  });

  test("the owner re-checks a pending payment and the check is in the timeline", async ({ page }) => {
    await signIn(page, USERS.demoOwner);
    await openFirstOrder(page, "status=pending");
    const card = page.getByTestId("payment-card").last();
    // Only the checks a person asked for: reconciliation may add its own meanwhile.
    const checks = page.locator('[data-testid="timeline-event"][data-type="status_check"][data-actor^="user:usr_"]');
    const before = await checks.count();
    await card.getByTestId("recheck-open").click();
    await card.getByTestId("recheck-submit").click();
    await expect(card.getByTestId("recheck-result")).toBeVisible();
    await expect(checks).toHaveCount(before + 1);
    await shoot(page, "order-recheck");
  });

  test("the owner records a manual refund on a CinetPay payment", async ({ page }) => {
    await signIn(page, USERS.demoOwner);
    await openFirstOrder(page, "status=paid&provider=cinetpay&sort=amount&dir=asc");
    const card = page.locator('[data-testid="payment-card"][data-status="paid"]');
    await card.getByTestId("refund-open").click();
    await expect(card.getByTestId("refund-mode")).toContainText("CinetPay");
    // Without the confirmation box the action refuses at the field.
    await card.getByTestId("refund-submit").click();
    await expect(card.getByTestId("refund-confirm-error")).toBeVisible();
    await card.getByTestId("refund-reason").fill("Retour client (e2e)");
    await card.getByTestId("refund-confirm").check();
    await card.getByTestId("refund-submit").click();
    await expect(page.locator('[data-testid="refund-entry"][data-kind="manual"]').last()).toBeVisible();
    await expect(page.getByTestId("refund-instructions").last()).toContainText("mobile money");
    await expect(page.locator('[data-testid="timeline-event"][data-type="refund"]').last()).toBeVisible();
    await shoot(page, "order-refunded");
  });

  test("the owner refunds a real sandbox KKiaPay payment through the provider's API", async ({ page, browser }) => {
    // Seeded history has no sandbox transaction behind it, so a shopper pays one first, through
    // the checkout and the KKiaPay widget simulator (the same steps as e2e/checkout.spec.ts).
    const shopper = await browser.newPage({ viewport: { width: 360, height: 780 }, locale: "fr-CI" });
    await shopper.goto("/demo");
    await shopper.locator('[data-testid^="add-prd_"]').first().click();
    await shopper.getByTestId("go-checkout").click();
    await shopper.locator("#name").fill("Aminata Traoré");
    await shopper.locator("#country").selectOption("BJ");
    await shopper.locator("#phone").fill("01 97 00 00 00");
    await shopper.locator("#email").fill("aminata@example.ci");
    await shopper.getByTestId("option-kkiapay.mtn.hosted").check();
    await shopper.getByTestId("pay").click();
    const widget = shopper.frameLocator('[data-testid="kkiapay-widget-frame"]');
    await widget.getByTestId("kkiapay-phone").fill("0197000000");
    await widget.getByTestId("kkiapay-outcome-success").check();
    await widget.getByTestId("kkiapay-pay").click();
    await expect(shopper.getByTestId("order-status")).toHaveAttribute("data-status", "paid", { timeout: 20_000 });
    const orderId = new URL(shopper.url()).pathname.split("/")[2]!;
    await shopper.close();

    await signIn(page, USERS.demoOwner);
    await page.goto(`/dashboard/orders/${orderId}`);
    const card = page.locator('[data-testid="payment-card"][data-provider="kkiapay"][data-status="paid"]');
    await card.getByTestId("refund-open").click();
    await expect(card.getByTestId("refund-mode")).toContainText("KKiaPay");
    await card.getByTestId("refund-confirm").check();
    await card.getByTestId("refund-submit").click();
    await expect(page.locator('[data-testid="refund-entry"][data-kind="api"][data-status="succeeded"]')).toBeVisible();
    await expect(page.locator('[data-testid="payment-card"][data-provider="kkiapay"]').last()).toHaveAttribute("data-status", "refunded");
    await expect(page.locator('[data-testid="timeline-event"][data-type="refund"]')).toHaveCount(1);
  });

  test("the owner of autre gets 404 on demo's order and only autre's rows in the CSV", async ({ page, browser }) => {
    await signIn(page, USERS.demoOwner);
    await page.goto("/dashboard/orders");
    const demoHref = (await page.getByTestId("order-link").first().getAttribute("href"))!;
    const demoRef = (await page.getByTestId("order-row").first().getAttribute("data-reference"))!;

    const other = await browser.newPage();
    await signIn(other, USERS.autreOwner);
    const res = await other.goto(demoHref);
    expect(res?.status()).toBe(404);
    const csv = await other.request.get(`/dashboard/orders/export?q=${demoRef}`);
    expect(csv.status()).toBe(200);
    const text = await csv.text();
    expect(text).not.toContain("XOF");
    expect(text).not.toContain("CSDEMO");
    const all = await (await other.request.get("/dashboard/orders/export")).text();
    expect(all).toContain("KES");
    expect(all).not.toContain("XOF");
    // autre is in Nairobi: its list reads in EAT (UTC+3), the hour of the exported instant there.
    await other.goto("/dashboard/orders");
    const row = other.getByTestId("order-row").first();
    const reference = (await row.getAttribute("data-reference"))!;
    const line = all.split("\r\n").find((l) => l.startsWith(`${reference},`))!;
    const createdAt = new Date(line.split(",")[1]!);
    const eat = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "Africa/Nairobi" }).format(createdAt);
    expect(await row.getByTestId("order-time").textContent()).toBe(`${eat} (UTC+3)`);
    // The Excel (FR) export beside it, as the file Excel opens: BOM, ";" and decimal commas, Nairobi times.
    const excelHref = (await other.getByTestId("export-excel-fr").getAttribute("href"))!;
    expect(excelHref).toBe("/dashboard/orders/export?variant=excel-fr");
    const excel = await other.request.get(excelHref);
    expect(excel.headers()["content-disposition"]).toMatch(/-excel-fr\.csv"$/);
    const bytes = await excel.body();
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const excelText = bytes.subarray(3).toString("utf8");
    expect(excelText.startsWith("reference;created_at;customer_name;")).toBe(true);
    expect(excelText).toMatch(/;KES;\d+,\d\d;/);
    expect(excelText).toMatch(/\r\n[^;\r\n]+;\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+03:00;/);
    // An unknown variant is the plain CSV, not an error.
    const unknown = await other.request.get("/dashboard/orders/export?variant=xlsx");
    expect(unknown.status()).toBe(200);
    expect((await unknown.body()).subarray(3).toString("utf8").startsWith("reference,created_at,")).toBe(true);
    await other.close();

    const anonymous = await page.context().browser()!.newContext();
    const signedOut = await anonymous.request.get(new URL("/dashboard/orders/export", page.url()).toString(), { maxRedirects: 0 });
    expect([302, 307]).toContain(signedOut.status());
    await anonymous.close();
  });

  test("staff sees no refund button", async ({ page }) => {
    await signIn(page, USERS.demoStaff);
    await openFirstOrder(page, "status=paid&provider=orange-money");
    await expect(page.getByTestId("refund-owner-only").first()).toBeVisible();
    await expect(page.getByTestId("refund-open")).toHaveCount(0);
    // Re-checking stays open to staff.
    await expect(page.getByTestId("recheck-open").first()).toBeVisible();
  });

  test("every other page renders, in both languages, with its screenshots", async ({ page, context }) => {
    await signIn(page, USERS.demoOwner);
    for (const name of ["pending", "settlements", "notifications", "links", "settings"]) {
      await page.getByTestId(`nav-${name}`).click();
      await expect(page).toHaveURL(new RegExp(`/dashboard/${name}$`));
      await shoot(page, name);
    }
    await page.goto("/dashboard/pending");
    await expect(page.getByTestId("pending-row").first()).toBeVisible();
    await expect(page.getByTestId("pending-next-check").first()).not.toHaveText("");
    await page.goto("/dashboard/settlements");
    await expect(page.locator('[data-testid="settlement-row"][data-source="reported"]').first()).toBeVisible();
    await expect(page.locator('[data-testid="settlement-row"][data-source="estimated"]').first()).toBeVisible();
    await page.goto("/dashboard?period=7d");
    await expect(page.getByTestId("period-7d")).toHaveAttribute("aria-current", "page");
    await expect(page.getByTestId("chart-bar")).toHaveCount(7);
    await context.addCookies([{ name: "NEXT_LOCALE", value: "en", url: page.url() }]);
    await page.goto("/dashboard/orders");
    await expect(page.getByTestId("filter-apply")).toHaveText("Apply");
    await shoot(page, "orders-en");
  });

  test("the owner creates a payment link and disables it", async ({ page }) => {
    await signIn(page, USERS.demoOwner);
    await page.goto("/dashboard/links");
    await page.getByTestId("link-submit").click();
    await expect(page.getByTestId("link-title-error")).toBeVisible();
    const title = `Lien e2e ${Date.now()}`;
    await page.getByTestId("link-title").fill(title);
    await page.getByTestId("link-amount").fill("5 000");
    await page.getByTestId("link-submit").click();
    const row = page.locator(`[data-testid="link-row"][data-title="${title}"]`);
    await expect(row).toHaveAttribute("data-active", "true");
    await expect(row).toContainText(/5\s000/);
    await expect(row.getByTestId("link-url")).toContainText("/pay/lnk_");
    await expect(row.getByTestId("link-whatsapp")).toHaveAttribute("href", /^https:\/\/wa\.me\/\?text=/);
    await row.getByTestId("link-toggle").click();
    await expect(row).toHaveAttribute("data-active", "false");
  });

  test("settings never show credentials, and staff cannot change them", async ({ page }) => {
    const secrets = SEED_MERCHANTS.find((m) => m.slug === "demo")!.accounts.flatMap((a) => Object.entries(a.credentials).filter(([k]) => /secret|key|private/i.test(k) && !/merchantKey|publicKey/.test(k)).map(([, v]) => v));
    await signIn(page, USERS.demoOwner);
    const res = await page.goto("/dashboard/settings");
    const html = await res!.text();
    for (const secret of secrets) expect(html).not.toContain(secret);
    await expect(page.getByTestId("webhook-url").first()).toContainText("/api/webhooks/");
    const form = page.getByTestId("account-form-cinetpay");
    // Both credential sets are offered; the demo account has its sandbox one, shown by public id only.
    await expect(form.getByTestId("account-set-sandbox")).toHaveAttribute("data-stored", "true");
    await expect(form.getByTestId("account-set-sandbox")).toContainText("445160");
    await expect(form.getByTestId("account-set-live")).toHaveAttribute("data-stored", "false");
    await expect(form.getByTestId("account-cred-live-apiKey")).toHaveValue("");
    await form.getByTestId("account-fee-rate").fill("20000");
    await form.getByTestId("account-save").click();
    await expect(form.getByTestId("account-fee-rate-error")).toBeVisible();
    for (const input of await page.locator('input[name*="_cred_"]').all()) await expect(input).toHaveValue("");

    await page.getByTestId("sign-out").click();
    await expect(page).toHaveURL(/\/login/);
    await signIn(page, USERS.demoStaff);
    await page.goto("/dashboard/settings");
    await expect(page.getByTestId("settings-owner-only")).toBeVisible();
    await expect(page.getByTestId("account-save")).toHaveCount(0);
    await shoot(page, "settings-staff");
  });
});
