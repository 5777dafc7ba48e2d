/**
 * Checkout weight: what a shopper's phone downloads and how soon it sees the page.
 *
 * - The app: `next start` (production build) on PostgreSQL, fresh database caisse_bench_weight,
 *   demo merchant seeded on start (SEED_ON_START). Next's floor: bench/floor, an empty App Router
 *   page built with the same Next/React and production settings, started on its own port and
 *   measured in the same run, interleaved with the product pages.
 * - Pages: storefront /demo; checkout /demo/checkout with a 2-product cart (taken from a real
 *   add-to-cart in the browser: the context's cookies and localStorage, wherever the app keeps the
 *   cart, given to each load); the order page of a pending order, created through the real
 *   checkout (CinetPay mobile money, hosted page, left unpaid); the open-amount payment link
 *   /pay/lnk_demoMontantLibre000001.
 * - Time to a submittable form (checkout, payment link; the floor: bench/floor/app/form, the
 *   smallest page with a server-action form): the first rendered frame where a tap on the Pay
 *   button would post the whole form (weight-measure.ts, watchSubmittable). Checked once per run
 *   on the checkout by doing it: a throttled load where the shopper fills the form and taps Pay
 *   at that very frame, which must reach CinetPay's page.
 * - Each load: Debian's Chromium (headless), a fresh context (cold cache), 360×740 phone
 *   viewport, Android user agent, CDP network throttling 400 kbps down/up + 400 ms latency.
 *   CPU not throttled for the LCP that is compared with the goal (the issue specifies the network
 *   only); a 4× CPU slowdown (Lighthouse's mobile default) is measured as well and reported
 *   alongside, without a goal.
 * - First-load JS = compressed body bytes of every Script response until `load` + a settle
 *   delay (CDP Network: loadingFinished.encodedDataLength − the response's header bytes),
 *   as `next start` gzips them. LCP from PerformanceObserver('largest-contentful-paint'),
 *   read after the settle.
 * - Full run: 5 loads per page (median) + 3 at CPU 4×; --quick: 1 load per page, no 4× pass.
 * - Goal (issue 14): LCP ≤ 1.2× the floor's, measured in the same run; our JS ≤ 30 KB above the floor.
 */
import { chromium, type Browser, type Page } from "@playwright/test";
import postgres from "postgres";
import type { BenchContext } from "./run";
import { startApp } from "./lib/app";
import { numberSetting } from "./lib/options";
import { freshDatabase } from "./lib/postgres";
import type { Row, Section } from "./lib/report";
import { ensureFloorBuild, installedVersions, startFloor } from "./lib/weight-floor";
import { measureLoad, median, MOBILE, NETWORK, tapWhenSubmittable, type Load, type StorageState } from "./lib/weight-measure";

/** `--port=N` moves the app to N and the floor to N + 1 (and the database name with them), for runs beside other benches. */
const DEFAULT_PORT = 3430;
const GOAL_JS_KB = 30;
const GOAL_LCP_FLOOR_RATIO = 1.2;
const SETTLE_MS = 1500;
const SHOP = "demo";
const PAY_LINK = "lnk_demoMontantLibre000001";
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** `submittable`: the form's submit button, when the page's time to a submittable form is measured. `floorOnly`: a floor page measured for that time alone. */
type Target = { id: string; label: string; url: string; storageState?: StorageState; submittable?: string; floorOnly?: boolean };
const PAY_BUTTON = '[data-testid="pay"]';

const KB = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const S = (ms: number | null) => (ms === null || !Number.isFinite(ms) ? "n/a" : `${(ms / 1000).toFixed(2)} s`);

export async function run(ctx: BenchContext): Promise<Section> {
  const runs = ctx.options.quick ? 1 : 5;
  const cpuRuns = ctx.options.quick ? 0 : 3; // --quick: no 4× CPU pass
  const port = numberSetting(ctx.options, "port", DEFAULT_PORT);
  const floorBuild = await ensureFloorBuild();
  const databaseUrl = await freshDatabase(port === DEFAULT_PORT ? "caisse_bench_weight" : `caisse_bench_weight_${port}`);
  const app = await startApp({ port, databaseUrl, env: { SEED_ON_START: "true", LOG_LEVEL: "warn" } });
  const floor = await startFloor(port + 1).catch(async (error: unknown) => {
    await app.stop();
    throw error;
  });
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
    const browserVersion = browser.version();
    const { storageState, orderId } = await pendingOrder(browser, app.url, databaseUrl);

    const targets: Target[] = [
      { id: "floor", label: "Next's floor (empty page)", url: `${floor.url}/` },
      { id: "floor-form", label: "Next's floor with a form (bench/floor/app/form: one field, a server action)", url: `${floor.url}/form`, submittable: 'button[type="submit"]', floorOnly: true },
      { id: "storefront", label: "storefront /demo", url: `${app.url}/${SHOP}` },
      { id: "checkout", label: "checkout /demo/checkout (2 products in the cart)", url: `${app.url}/${SHOP}/checkout`, storageState, submittable: PAY_BUTTON },
      { id: "order", label: "order page /orders/<id> (pending, CinetPay)", url: `${app.url}/orders/${orderId}` },
      { id: "paylink", label: `payment link /pay/${PAY_LINK}`, url: `${app.url}/pay/${PAY_LINK}`, submittable: PAY_BUTTON },
    ];
    const pages = targets.filter((t) => t.id !== "floor" && !t.floorOnly);

    // Rounds over all pages (not page after page), so drift in the machine's load hits each alike.
    const loads = new Map<string, Load[]>(targets.map((t) => [t.id, []]));
    const cpuLoads = new Map<string, Load[]>(targets.map((t) => [t.id, []]));
    for (let round = 0; round < runs; round++) {
      for (const t of targets) loads.get(t.id)!.push(await measureLoad(browser, t.url, { cpuThrottling: 1, settleMs: SETTLE_MS, storageState: t.storageState, submittable: t.submittable }));
    }
    for (let round = 0; round < cpuRuns; round++) {
      for (const t of targets.filter((x) => !x.floorOnly)) cpuLoads.get(t.id)!.push(await measureLoad(browser, t.url, { cpuThrottling: 4, settleMs: SETTLE_MS, storageState: t.storageState }));
    }
    const checkout = targets.find((t) => t.id === "checkout")!;
    const tap = await tapWhenSubmittable(browser, checkout.url, { storageState, submittable: PAY_BUTTON, fill: fillCheckout, expectUrl: /\/sandbox\/cinetpay\/payment\// });

    const summary = (id: string) => {
      const l = loads.get(id)!;
      return {
        js: median(l.map((x) => x.jsBytes)),
        jsMin: Math.min(...l.map((x) => x.jsBytes)),
        jsMax: Math.max(...l.map((x) => x.jsBytes)),
        lcp: median(l.map((x) => x.lcpMs ?? NaN)),
        lcpMin: Math.min(...l.flatMap((x) => (x.lcpMs === null ? [] : [x.lcpMs]))),
        lcpCpu: median(cpuLoads.get(id)!.map((x) => x.lcpMs ?? NaN)),
        fcp: median(l.map((x) => x.fcpMs ?? NaN)),
        ttfb: median(l.map((x) => x.ttfbMs)),
        load: median(l.map((x) => x.loadMs)),
        html: median(l.map((x) => x.htmlBytes)),
        css: median(l.map((x) => x.cssBytes)),
        htmlDone: median(l.map((x) => x.htmlDoneMs)),
        cssDone: median(l.map((x) => x.cssDoneMs)),
        transferred: median(l.map((x) => x.transferredBytes)),
        requests: median(l.map((x) => x.requests)),
        scripts: median(l.map((x) => x.scripts.length)),
        lcpElement: l.at(-1)?.lcpElement ?? null,
        submittable: median(l.map((x) => x.submittableMs ?? NaN)),
        submittableBy: [...new Set(l.map((x) => x.submittableBy ?? "never"))].join("/"),
      };
    };
    const f = summary("floor");
    const ff = summary("floor-form");
    const lcpGoal = f.lcp * GOAL_LCP_FLOOR_RATIO;
    const rows: Row[] = [
      { metric: "floor: first-load JS (gzip)", value: KB(f.js) },
      { metric: "floor: LCP (slow 3G, CPU 1×)", value: `${S(f.lcp)} (min ${S(f.lcpMin)})` },
      ...(cpuRuns ? [{ metric: "floor: LCP (slow 3G, CPU 4×)", value: S(f.lcpCpu) }] : []),
      { metric: "floor: transferred / requests", value: `${KB(f.transferred)} / ${f.requests}` },
      { metric: "floor: time to a submittable form (slow 3G, CPU 1×)", value: `${S(ff.submittable)} (${ff.submittableBy})` },
    ];
    for (const t of pages) {
      const p = summary(t.id);
      const above = p.js - f.js;
      rows.push(
        { metric: `${t.id}: first-load JS (gzip)`, value: KB(p.js) + (p.jsMin !== p.jsMax ? ` (${KB(p.jsMin)}–${KB(p.jsMax)})` : ""), baseline: `${KB(f.js)} floor` },
        { metric: `${t.id}: our JS above the floor (gzip)`, value: KB(above), baseline: "0 KB", goal: `≤ ${GOAL_JS_KB} KB`, pass: above <= GOAL_JS_KB * 1024 },
        { metric: `${t.id}: LCP (slow 3G, CPU 1×)`, value: `${S(p.lcp)} (min ${S(p.lcpMin)})`, baseline: `${S(f.lcp)} floor`, goal: `≤ ${GOAL_LCP_FLOOR_RATIO}× floor = ${S(lcpGoal)}`, pass: Number.isFinite(p.lcp) && p.lcp <= lcpGoal },
        // Other work on the machine stretches every load's paint; the best load of each is the nearest to a quiet machine's.
        { metric: `${t.id}: LCP ÷ floor's, median (min ÷ min)`, value: `${(p.lcp / f.lcp).toFixed(2)}× (${(p.lcpMin / f.lcpMin).toFixed(2)}×)`, goal: `≤ ${GOAL_LCP_FLOOR_RATIO}×` },
        ...(t.submittable ? [{ metric: `${t.id}: time to a submittable form (slow 3G, CPU 1×)`, value: `${S(p.submittable)} (${p.submittableBy})`, baseline: `${S(ff.submittable)} floor` }] : []),
        ...(cpuRuns ? [{ metric: `${t.id}: LCP (slow 3G, CPU 4×)`, value: S(p.lcpCpu), baseline: `${S(f.lcpCpu)} floor` }] : []),
        { metric: `${t.id}: transferred / requests`, value: `${KB(p.transferred)} / ${p.requests}`, baseline: `${KB(f.transferred)} / ${f.requests} floor` },
      );
    }

    const allScripts = [...loads.values()].flat().flatMap((l) => l.scripts);
    const encodings = [...new Set(allScripts.map((s) => s.encoding))].join(", ");
    const details = targets.map((t) => {
      const l = loads.get(t.id)![0]!;
      const lines = [...l.scripts]
        .sort((a, b) => b.bodyBytes - a.bodyBytes)
        .map((s) => `${KB(s.bodyBytes).padStart(9)} gzip ${KB(s.decodedBytes).padStart(9)} raw  ${new URL(s.url).pathname}`);
      const p = summary(t.id);
      return [
        `${t.label}: ${l.scripts.length} scripts; medians: HTML responseStart ${S(p.ttfb)}, FCP ${S(p.fcp)}, LCP ${S(p.lcp)} (${p.lcpElement ?? "no element"}), load event ${S(p.load)};`,
        `  HTML ${KB(p.html)} fully arrived at ${S(p.htmlDone)}; CSS (render-blocking) ${KB(p.css)}, arrived at ${S(p.cssDone)} (compressed sizes, median times)`,
        ...lines,
        ...l.resources.filter((r) => r.type !== "Script").map((r) => `${KB(r.bodyBytes).padStart(9)} ${r.type.toLowerCase().padEnd(14)} ${new URL(r.url).pathname}${new URL(r.url).search ? "?…" : ""}`),
      ].join("\n");
    });

    // What holds LCP back, from this run's own timings: the page paints once its render-blocking
    // stylesheet is in, and that stylesheet shares the 400 kbps with the framework's scripts.
    const notes = pages.map((t) => {
      const p = summary(t.id);
      return `${t.id}: HTML in at ${S(p.htmlDone)}, stylesheet in at ${S(p.cssDone)}, first paint ${S(p.fcp)}, LCP ${S(p.lcp)}, all scripts run (load event) ${S(p.load)}.`;
    });
    notes.push(
      `Time to a submittable form: "html" when the server-rendered form alone would post it (before React hydrates), "hydrated" when only React's hydrated form carries the whole order. Checked by doing it: a throttled cold load of the checkout where the shopper filled the form and tapped Pay at the frame it turned submittable (${S(tap.submittableMs)}, ${tap.by}) ${tap.reached ? "reached CinetPay's page" : `did NOT reach CinetPay's page (landed on ${tap.landedOn})`}.`,
    );
    const inlined = pages.every((t) => summary(t.id).css === 0);
    notes.unshift(
      inlined
        ? `What sets the figures (medians, CPU 1×): the floor paints as soon as its HTML is in (${S(f.htmlDone)} → LCP ${S(f.lcp)}). Our pages carry their stylesheet in the HTML's <head> (next.config.ts, inlineCss): they paint once the head, that CSS included, and the first content are in, that is their server's render time (HTML responseStart) plus those bytes on the same 400 kbps, while the rest of the HTML (React's payload repeats the CSS) and the ${KB(f.js)} of framework scripts the floor also loads come after. Our own JS is small; the interactive page (load event) is bounded by Next's floor (${S(f.load)} for the empty page).`
        : `What sets the figures (medians, CPU 1×): the floor paints as soon as its HTML is in (${S(f.htmlDone)} → LCP ${S(f.lcp)}); our pages wait for the render-blocking stylesheet, requested after the HTML and downloaded alongside the ${KB(f.js)} of framework scripts the floor also loads on the same 400 kbps. Our own JS is small; the interactive page (load event) is bounded by Next's floor (${S(f.load)} for the empty page).`,
    );

    return {
      id: "weight",
      title: "Checkout weight: first-load JS and LCP on a phone over slow 3G",
      conditions: [
        `${browserVersion} headless (Debian's /usr/bin/chromium), ${runs} cold load(s) per page at CPU 1× (median)${cpuRuns ? ` and ${cpuRuns} at CPU 4×` : ""}; a fresh browser context for every load (empty cache).`,
        `Network: CDP Network.emulateNetworkConditions, ${(NETWORK.downloadThroughput * 8) / 1000} kbps down, ${(NETWORK.uploadThroughput * 8) / 1000} kbps up, ${NETWORK.latency} ms latency per request. CPU: the goal's LCP is taken without CPU throttling (the issue sets the network only); the 4× rows use Emulation.setCPUThrottlingRate (Lighthouse's mobile default) on this machine's CPU.`,
        `Phone: ${MOBILE.viewport!.width}×${MOBILE.viewport!.height} viewport, DPR ${MOBILE.deviceScaleFactor}, touch, Android Chrome user agent, locale ${MOBILE.locale}.`,
        `First-load JS: compressed body bytes of every Script response up to the load event + ${SETTLE_MS / 1000} s, as next start serves them (content-encoding seen on scripts: ${encodings}). LCP: PerformanceObserver largest-contentful-paint, read after the same settle.`,
        `App: next start (production) on PostgreSQL, demo merchant seeded on start; the order page is a pending CinetPay order made through the real checkout in the browser. Floor: bench/floor (bare html/body and one line of text) built with the same ${installedVersions()}${floorBuild.built ? `, rebuilt in ${floorBuild.seconds.toFixed(0)} s` : ""}, served by its own next start.`,
      ],
      rows,
      notes,
      details: [{ title: "per page: timings (CPU 1×) and every script of the first load (gzip as served)", body: details.join("\n\n") }],
    };
  } finally {
    await browser?.close();
    await floor.stop();
    await app.stop();
  }
}

/**
 * A shopper fills the cart on the storefront and pays with CinetPay (MTN), then leaves the hosted
 * page: that leaves a pending order with a "continue payment" link, the order page most shoppers
 * come back to. No throttling here: this is setup.
 */
async function pendingOrder(browser: Browser, appUrl: string, databaseUrl: string): Promise<{ storageState: StorageState; orderId: string }> {
  const context = await browser.newContext({ ...MOBILE, baseURL: appUrl });
  try {
    const page = await context.newPage();
    await page.goto(`/${SHOP}`);
    const buttons = page.locator('[data-testid^="add-prd_"]');
    for (let i = 0; i < 2; i++) await buttons.nth(i).click();
    await page.getByTestId("go-checkout").click();
    await page.getByTestId("cart-lines").waitFor();
    const lines = await page.getByTestId("cart-lines").locator("li").count();
    if (lines !== 2) throw new Error(`unexpected cart: ${lines} line(s)`);
    // Before paying: the cart as the shopper holds it at the checkout, whichever way it is kept.
    const storageState = await context.storageState();
    const email = `bench-weight-${Date.now()}@example.ci`;
    await fillCheckout(page, email);
    await page.getByTestId("pay").click();
    await page.waitForURL(/\/sandbox\/cinetpay\/payment\//, { timeout: 60_000 });
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      const [row] = await sql`select id, status from orders where customer_email = ${email} order by created_at desc limit 1`;
      if (!row) throw new Error("the checkout made no order");
      return { storageState, orderId: String(row.id) };
    } finally {
      await sql.end();
    }
  } finally {
    await context.close();
  }
}

/** What a shopper types at the checkout to pay by mobile money through CinetPay's page. */
async function fillCheckout(page: Page, email = `bench-weight-tap-${Date.now()}@example.ci`): Promise<void> {
  await page.locator("#name").fill("Aminata Traoré");
  await page.locator("#phone").fill("07 07 07 07 07");
  await page.locator("#email").fill(email);
  await page.getByTestId("option-cinetpay.mobile_money.hosted").check();
}
