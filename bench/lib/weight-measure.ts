import { gzipSync } from "node:zlib";
import type { Browser, BrowserContextOptions, Page } from "@playwright/test";

export type StorageState = Exclude<BrowserContextOptions["storageState"], string | undefined>;

/**
 * One cold page load in Chromium as a shopper's phone sees it: fresh browser context (empty
 * cache, no cookies), mobile viewport and user agent, DevTools network throttling. Script bytes
 * are what crossed the wire for the body (CDP: bytes at loadingFinished minus the header bytes
 * already counted at responseReceived), i.e. gzip as `next start` serves it.
 */

/** The issue's slow 3G: 400 kbps both ways, 400 ms round trip (DevTools adds it per request). */
export const NETWORK = { latency: 400, downloadThroughput: (400 * 1000) / 8, uploadThroughput: (400 * 1000) / 8 };

export const MOBILE: BrowserContextOptions = {
  viewport: { width: 360, height: 740 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: "fr-CI",
  userAgent: "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36",
};

export type Script = { url: string; bodyBytes: number; encoding: string; decodedBytes: number };

export type Load = {
  url: string;
  /** Every response: CDP resource type, compressed body bytes, path. */
  resources: { type: string; bodyBytes: number; url: string }[];
  /** Compressed body bytes of every script response, as served. */
  jsBytes: number;
  scripts: Script[];
  /** Everything the page pulled over the wire (headers included), and how many requests. */
  transferredBytes: number;
  requests: number;
  lcpMs: number | null;
  lcpElement: string | null;
  fcpMs: number | null;
  /** Navigation timing: first byte of the HTML, and the load event (every script fetched and run). */
  ttfbMs: number;
  loadMs: number;
  /** Compressed bytes of the HTML document and of the stylesheets (render-blocking). */
  htmlBytes: number;
  cssBytes: number;
  /** When the HTML and the last stylesheet had fully arrived, from the document request's start (CDP timestamps). */
  htmlDoneMs: number;
  cssDoneMs: number;
  /** When a tap on the form's submit button would first post the whole form (see watchSubmittable), and how: by the HTML form alone or through React once hydrated. */
  submittableMs: number | null;
  submittableBy: "html" | "hydrated" | null;
};

type Pending = { url: string; type: string; headerBytes: number; encoding: string; finished?: number; decoded: number; start: number; end?: number };

export async function measureLoad(
  browser: Browser,
  url: string,
  options: { cpuThrottling: number; settleMs: number; storageState?: StorageState; submittable?: string },
): Promise<Load> {
  // The cart (cookies or localStorage, wherever the app keeps it) is the shopper's from the setup.
  const context = await browser.newContext({ ...MOBILE, storageState: options.storageState });
  try {
    const page = await context.newPage();
    if (options.submittable) await addWatch(page, options.submittable);
    const cdp = await context.newCDPSession(page);
    const requests = new Map<string, Pending>();
    let requestCount = 0;
    let transferred = 0;
    cdp.on("Network.requestWillBeSent", (e) => {
      // A redirect reuses the request id; count each hop.
      requestCount++;
      if (!requests.has(e.requestId)) requests.set(e.requestId, { url: e.request.url, type: e.type ?? "Other", headerBytes: 0, encoding: "", decoded: 0, start: e.timestamp });
    });
    cdp.on("Network.responseReceived", (e) => {
      const r = requests.get(e.requestId);
      if (!r) return;
      r.type = e.type;
      r.url = e.response.url;
      r.headerBytes = e.response.encodedDataLength;
      const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
      r.encoding = headers["content-encoding"] ?? "";
    });
    cdp.on("Network.dataReceived", (e) => {
      const r = requests.get(e.requestId);
      if (r) r.decoded += e.dataLength;
    });
    cdp.on("Network.loadingFinished", (e) => {
      const r = requests.get(e.requestId);
      transferred += e.encodedDataLength;
      if (r) {
        r.finished = e.encodedDataLength;
        r.end = e.timestamp;
      }
    });
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", { offline: false, ...NETWORK });
    if (options.cpuThrottling > 1) await cdp.send("Emulation.setCPUThrottlingRate", { rate: options.cpuThrottling });
    await page.addInitScript(() => {
      const w = window as unknown as { __lcp?: { t: number; el: string }; __fcp?: number };
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as (PerformanceEntry & { element?: Element | null })[]) {
          const el = e.element;
          w.__lcp = { t: e.startTime, el: el ? `${el.tagName.toLowerCase()}${el.getAttribute("data-testid") ? `[data-testid=${el.getAttribute("data-testid")}]` : ""}` : "?" };
        }
      }).observe({ type: "largest-contentful-paint", buffered: true });
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (e.name === "first-contentful-paint") w.__fcp = e.startTime;
      }).observe({ type: "paint", buffered: true });
    });

    const response = await page.goto(url, { waitUntil: "load", timeout: 180_000 });
    if (!response || response.status() !== 200) throw new Error(`${url} answered ${response?.status()}`);
    await page.waitForTimeout(options.settleMs);
    const marks = await page.evaluate(() => {
      const w = window as unknown as { __lcp?: { t: number; el: string }; __fcp?: number };
      const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
      const s = (window as unknown as { __submittable?: { t: number; by: "html" | "hydrated" } }).__submittable;
      return { lcp: w.__lcp ?? null, fcp: w.__fcp ?? null, load: nav ? nav.loadEventStart : NaN, ttfb: nav ? nav.responseStart : NaN, submittable: s ?? null };
    });

    const bodyOf = (type: string) => [...requests.values()].filter((r) => r.type === type && r.finished !== undefined).reduce((n, r) => n + r.finished! - r.headerBytes, 0);
    const doc = [...requests.values()].find((r) => r.type === "Document");
    const doneMs = (type: string) => {
      const ends = [...requests.values()].filter((r) => r.type === type && r.end !== undefined).map((r) => r.end!);
      return doc && ends.length ? (Math.max(...ends) - doc.start) * 1000 : NaN;
    };
    const scripts: Script[] = [];
    for (const [id, r] of requests) {
      if (r.type !== "Script" || r.finished === undefined) continue;
      let bodyBytes = r.finished - r.headerBytes;
      if (!/gzip|br|deflate|zstd/.test(r.encoding)) {
        // Served uncompressed: count what gzip would have made of it, and say so.
        const body = (await cdp.send("Network.getResponseBody", { requestId: id })) as { body: string; base64Encoded: boolean };
        bodyBytes = gzipSync(Buffer.from(body.body, body.base64Encoded ? "base64" : "utf8")).length;
      }
      scripts.push({ url: r.url, bodyBytes, encoding: r.encoding || "none (gzip computed)", decodedBytes: r.decoded });
    }
    const resources = [...requests.values()].filter((r) => r.finished !== undefined).map((r) => ({ type: r.type, bodyBytes: r.finished! - r.headerBytes, url: r.url }));
    return {
      url,
      resources,
      jsBytes: scripts.reduce((n, s) => n + s.bodyBytes, 0),
      scripts,
      transferredBytes: transferred,
      requests: requestCount,
      lcpMs: marks.lcp?.t ?? null,
      lcpElement: marks.lcp?.el ?? null,
      fcpMs: marks.fcp,
      ttfbMs: marks.ttfb,
      loadMs: marks.load,
      htmlBytes: bodyOf("Document"),
      cssBytes: bodyOf("Stylesheet"),
      htmlDoneMs: doneMs("Document"),
      cssDoneMs: doneMs("Stylesheet"),
      submittableMs: marks.submittable?.t ?? null,
      submittableBy: marks.submittable?.by ?? null,
    };
  } finally {
    await context.close();
  }
}

export function median(values: number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Runs in the page from its first byte (an init script): on every rendered frame, whether a tap on
 * the submit button `selector` would post the whole form now, and when that first held
 * (window.__submittable, performance.now() of that frame). A tap can submit when the button is
 * laid out and enabled, the stylesheets it is drawn with are in, the form carries the cart (its
 * `cart` field, when it has one, is not still the empty "[]" a client-side cart renders on the
 * server), and the form posts somewhere: as plain HTML (React renders a server action's fields
 * into the form, its action attribute is not "javascript:…") or, once React has hydrated it,
 * through React. requestAnimationFrame runs only on frames the browser renders, so the time is
 * that of a frame that shows the button.
 */
export function watchSubmittable(selector: string) {
  const w = window as unknown as { __submittable?: { t: number; by: "html" | "hydrated" } };
  const check = (t: number) => {
    const button = document.querySelector<HTMLButtonElement>(selector);
    const form = button?.form;
    if (!button || !form || button.disabled) return null;
    if ([...document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')].some((l) => !l.sheet)) return null;
    const box = button.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return null;
    const cart = form.elements.namedItem("cart");
    if (cart instanceof HTMLInputElement && (cart.value === "" || cart.value === "[]")) return null;
    if (Object.keys(form).some((k) => k.startsWith("__reactProps$"))) return { t, by: "hydrated" as const };
    return (form.getAttribute("action") ?? "").startsWith("javascript:") ? null : { t, by: "html" as const };
  };
  const frame = (t: number) => {
    const hit = check(t);
    if (hit) w.__submittable = hit;
    else requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

/** tsx compiles with esbuild's keepNames, which wraps named inner functions in __name(…): the page has no such helper. */
async function addWatch(page: Page, selector: string) {
  await page.addInitScript({ content: "globalThis.__name ??= (f) => f;" });
  await page.addInitScript(watchSubmittable, selector);
}

/**
 * The honesty check of the figure above: a throttled cold load where, at the very frame the form
 * turns submittable, the shopper fills it (`fill`) and taps the button; it must lead to `expectUrl`
 * (the provider's page), else the measured moment was not a submittable form.
 */
export async function tapWhenSubmittable(
  browser: Browser,
  url: string,
  options: { storageState?: StorageState; submittable: string; fill: (page: Page) => Promise<void>; expectUrl: RegExp },
): Promise<{ submittableMs: number; by: string; reached: boolean; landedOn: string }> {
  const context = await browser.newContext({ ...MOBILE, storageState: options.storageState });
  try {
    const page = await context.newPage();
    await addWatch(page, options.submittable);
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", { offline: false, ...NETWORK });
    await page.goto(url, { waitUntil: "commit", timeout: 180_000 });
    const handle = await page.waitForFunction(() => (window as unknown as { __submittable?: { t: number; by: string } }).__submittable ?? null, undefined, { timeout: 180_000, polling: "raf" });
    const mark = (await handle.jsonValue()) as { t: number; by: string };
    await options.fill(page);
    await page.locator(options.submittable).click();
    const reached = await page.waitForURL(options.expectUrl, { timeout: 120_000 }).then(
      () => true,
      () => false,
    );
    return { submittableMs: mark.t, by: mark.by, reached, landedOn: page.url() };
  } finally {
    await context.close();
  }
}
