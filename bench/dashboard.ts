/**
 * The merchant dashboard at scale: 1,000,000 orders for `demo` (XOF) and 1,000,000 for `autre`
 * (KES) — see bench/lib/seed-scale.ts for the data's shape — served by `next start` (production
 * build) on PostgreSQL. Every figure is a real HTTP request with the demo owner's next-auth
 * session cookie (real session check, membership lookup, server rendering), the body read to
 * its end, one request at a time, after warm-up requests.
 *
 * - Pages: orders (first page, filtered status+provider+month, a keyset page 90 % deep, search by
 *   phone as typed "07 12 34 56 78", by its last six digits "345678", by the whole number with
 *   its country code "+225 07 12 34 56 78", by order reference, by a lower-case fragment of a
 *   reference "jkgu6b"), overview (default 30 days and 90 days; and autre's, a Nairobi store whose
 *   days are not UTC days), settlements, pending. p50 / p95 over N runs; goal p95 ≤ 100 ms.
 * - CSV export of all of demo's orders (one COPY on PostgreSQL, lib/dashboard/csv-copy.ts): rows/s
 *   (lines of the streamed body) and the server process tree's RSS sampled every 100 ms, against
 *   its RSS just before; goal ≥ 50,000 rows/s with flat memory (peak − baseline small, and the
 *   second half's peak no higher than the first's plus 32 MB).
 * - EXPLAIN (ANALYZE, BUFFERS) of the slowest statements behind those pages, captured from the
 *   lib/dashboard functions themselves (bench/lib/dashboard-explain.ts).
 * Baselines: bench/baselines/dashboard.json, the same script's figures on the code before the
 * fixes (its commit and date are shown), when present.
 * `--quick`: 20,000 orders per merchant, 10 runs, export of those 20,000.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { sql as drizzleSql } from "drizzle-orm";
import postgres from "postgres";
import { formatInternational } from "@/lib/phone";
import { countOrders, recentOrders } from "@/lib/orders/queries";
import { dailyVolume, overviewStats, settlementsByDate, successByRoute } from "@/lib/dashboard/overview";
import { encodeCursor, parseOrderFilters } from "@/lib/dashboard/filters";
import { addDays, localDay } from "@/lib/time/local-day";
import { ordersCopySelect } from "@/lib/dashboard/csv-copy";
import { listOrders, merchantMethods } from "@/lib/dashboard/orders";
import { listPending } from "@/lib/dashboard/queues";
import type { BenchContext } from "./run";
import { startApp, type RunningApp } from "./lib/app";
import { explainCases, explainedMarkdown, type ExplainCase } from "./lib/dashboard-explain";
import type { Row, Section } from "./lib/report";
import { ensureScaleDatabase } from "./lib/seed-scale";
import { sessionCookie } from "./lib/session";
import { int, mb, ms, timeRuns, type Summary } from "./lib/stats";

// BENCH_DASHBOARD_PORT: another port when 3420 is taken (two worktrees benching at once).
const PORT = Number(process.env.BENCH_DASHBOARD_PORT) || 3420;
const PAGE_GOAL_MS = 100;
const EXPORT_GOAL_ROWS_S = 50_000;
const FLAT_MEMORY_MB = 32;

type Figures = {
  commit?: string;
  /** How a hand-kept baseline was taken, when it differs from a plain run. */
  note?: string;
  date: string;
  perMerchant: number;
  pages: Record<string, { p50: number; p95: number }>;
  export?: { rows: number; stoppedAfterSeconds?: number; rowsPerSecond: number; baselineRss: number; peakRss: number; firstHalfPeak: number; secondHalfPeak: number };
  exportExcelFr?: { rows: number; rowsPerSecond: number };
};

/** `as: "autre"`: requested as autre's owner (a Nairobi store), not demo's. */
type Page = { key: string; label: string; path: string; expect: (html: string) => string | null; explain?: ExplainCase["run"]; floor?: boolean; as?: "autre" };

export async function run(ctx: BenchContext): Promise<Section> {
  const quick = ctx.options.quick;
  const perMerchant = quick ? 20_000 : 1_000_000;
  // BENCH_DASHBOARD_RUNS: fewer runs for a slow baseline (the conditions line says how many).
  const runs = Number(process.env.BENCH_DASHBOARD_RUNS) || (quick ? 10 : 40);
  const data = await ensureScaleDatabase(perMerchant, quick);

  const sql = postgres(data.url, { max: 1, onnotice: () => {} });
  const setup = await prepare(sql);
  await sql.end();

  const cookie = await sessionCookie(setup.owner);
  const autreCookie = await sessionCookie(setup.autreOwner);
  const { merchantId, currency, timeZone } = setup;
  const store = { id: merchantId, timeZone };
  const filters = (raw: Record<string, string>) => parseOrderFilters(raw, { currency, timeZone });
  // The store's days, as the pages count them (lib/time/local-day.ts).
  const today = localDay(new Date(), timeZone);
  const yesterday = addDays(today, -1);
  const sixtyDaysAgo = addDays(today, -60);
  const overview = (period: "30d" | "90d") => (db: Parameters<ExplainCase["run"]>[0]) =>
    Promise.all([
      countOrders(db, merchantId),
      recentOrders(db, merchantId, 10),
      overviewStats(db, store, period),
      dailyVolume(db, store, period),
      settlementsByDate(db, merchantId, { from: today }, 8),
      successByRoute(db, store, period),
    ]);
  const ordersPage = (raw: Record<string, string>) => (db: Parameters<ExplainCase["run"]>[0]) => Promise.all([listOrders(db, merchantId, filters(raw)), merchantMethods(db, merchantId)]);
  const rowsShown = (min: number) => (html: string) => {
    const n = Number(/data-testid="orders-shown" data-count="(\d+)"/.exec(html)?.[1] ?? -1);
    return n >= min ? null : `orders-shown ${n} < ${min}`;
  };
  const contains = (text: string) => (html: string) => (html.includes(text) ? null : `missing ${text}`);

  const filteredRaw = { status: "paid", provider: "cinetpay", from: setup.filterFrom, to: setup.filterTo };
  const pages: Page[] = [
    // Not a goal: what any dashboard page costs here (session, membership, layout, rendering).
    { key: "floor", label: "floor: payment links page (little data)", path: "/dashboard/links", expect: contains("<h1"), floor: true },
    { key: "orders-first", label: "orders: first page", path: "/dashboard/orders", expect: rowsShown(25), explain: ordersPage({}) },
    { key: "orders-filtered", label: "orders: status+provider+month", path: `/dashboard/orders?${new URLSearchParams(filteredRaw)}`, expect: rowsShown(25), explain: ordersPage(filteredRaw) },
    { key: "orders-deep", label: `orders: keyset page at ${int(setup.deepOffset)}`, path: `/dashboard/orders?cursor=${setup.deepCursor}`, expect: rowsShown(25), explain: ordersPage({ cursor: setup.deepCursor }) },
    { key: "search-phone", label: `orders: search phone (${setup.phoneMatches} orders)`, path: `/dashboard/orders?${new URLSearchParams({ q: setup.phoneTyped })}`, expect: contains(formatInternational(setup.phoneE164)), explain: ordersPage({ q: setup.phoneTyped }) },
    {
      key: "search-phone-suffix",
      label: `orders: search phone's last 6 digits (${setup.suffixMatches} orders)`,
      path: `/dashboard/orders?${new URLSearchParams({ q: setup.phoneSuffix })}`,
      expect: contains(formatInternational(setup.phoneE164)),
      explain: ordersPage({ q: setup.phoneSuffix }),
    },
    {
      key: "search-phone-country-code",
      label: "orders: search phone with country code",
      path: `/dashboard/orders?${new URLSearchParams({ q: setup.phoneWithCountryCode })}`,
      expect: contains(formatInternational(setup.phoneE164)),
      explain: ordersPage({ q: setup.phoneWithCountryCode }),
    },
    { key: "search-reference", label: "orders: search reference", path: `/dashboard/orders?${new URLSearchParams({ q: setup.reference })}`, expect: contains(`data-reference="${setup.reference}"`), explain: ordersPage({ q: setup.reference }) },
    {
      key: "search-fragment",
      label: `orders: search reference fragment (${setup.fragmentMatches} orders)`,
      path: `/dashboard/orders?${new URLSearchParams({ q: setup.fragment })}`,
      expect: contains(`data-reference="${setup.reference}"`),
      explain: ordersPage({ q: setup.fragment }),
    },
    { key: "overview-30d", label: "overview: 30 days (default)", path: "/dashboard", expect: contains('data-testid="order-count"'), explain: overview("30d") },
    { key: "overview-90d", label: "overview: 90 days", path: "/dashboard?period=90d", expect: contains('data-testid="order-count"'), explain: overview("90d") },
    {
      key: "overview-nairobi-30d",
      label: "overview: 30 days, autre (Nairobi, UTC+3 days)",
      path: "/dashboard",
      expect: contains('data-testid="order-count"'),
      as: "autre",
      explain: (db) => overviewStats(db, { id: setup.autreId, timeZone: setup.autreTimeZone }, "30d"),
    },
    {
      key: "settlements",
      label: "settlements",
      path: "/dashboard/settlements",
      expect: contains('data-testid="settlements-past"'),
      explain: (db) => Promise.all([settlementsByDate(db, merchantId, { from: today }), settlementsByDate(db, merchantId, { from: sixtyDaysAgo, to: yesterday })]),
    },
    { key: "pending", label: "pending", path: "/dashboard/pending", expect: contains('data-testid="pending-row"'), explain: (db) => listPending(db, merchantId) },
  ];

  const figures: Figures = { commit: gitHead(), date: new Date().toISOString(), perMerchant, pages: {} };
  const baseline = readBaseline(quick);
  const rows: Row[] = [];
  const notes: string[] = [];
  const app = await startApp({ port: PORT, databaseUrl: data.url });
  let explained: Awaited<ReturnType<typeof explainCases>> = [];
  try {
    const get = async (p: string, as?: "autre") => {
      const res = await fetch(`${app.url}${p}`, { headers: { cookie: as === "autre" ? autreCookie : cookie }, redirect: "manual" });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`GET ${p} → ${res.status}`);
      return body;
    };
    // The "next" link of the first page must open: the deep cursor is built the same way.
    const first = await get("/dashboard/orders");
    const anchor = /<a [^>]*data-testid="page-next"[^>]*>/.exec(first)?.[0];
    const next = anchor && /href="([^"]+)"/.exec(anchor)?.[1];
    if (!next) throw new Error("no next link on the first orders page");
    const problem = rowsShown(25)(await get(next.replaceAll("&amp;", "&")));
    if (problem) throw new Error(`next page: ${problem}`);

    for (const page of pages) {
      const check = page.expect(await get(page.path, page.as));
      if (check) throw new Error(`${page.path}: ${check}`);
      const s: Summary = await timeRuns(runs, () => get(page.path, page.as), 3);
      figures.pages[page.key] = { p50: s.p50, p95: s.p95 };
      const was = baseline?.pages[page.key];
      rows.push({
        metric: `${page.label} p50 / p95`,
        value: `${ms(s.p50)} / ${ms(s.p95)}`,
        baseline: was ? `${ms(was.p50)} / ${ms(was.p95)}` : undefined,
        goal: page.floor ? undefined : `p95 ≤ ${PAGE_GOAL_MS} ms`,
        pass: page.floor ? undefined : s.p95 <= PAGE_GOAL_MS,
      });
      console.log(`   ${page.label}: p50 ${ms(s.p50)}, p95 ${ms(s.p95)}`);
    }

    const exp = await timeExport(app, cookie);
    figures.export = exp;
    const was = baseline?.export;
    const expected = setup.demoOrders;
    if (exp.stoppedAfterSeconds) notes.push(`The export was stopped after ${exp.stoppedAfterSeconds} s, at ${int(exp.rows)} of ${int(expected)} rows: its rate is over those rows.`);
    else if (exp.rows !== expected) notes.push(`The export streamed ${int(exp.rows)} rows, the database holds ${int(expected)} demo orders.`);
    rows.push({
      metric: `CSV export of ${int(expected)} orders: rows/s`,
      value: int(exp.rowsPerSecond),
      baseline: was ? int(was.rowsPerSecond) : undefined,
      goal: `≥ ${int(EXPORT_GOAL_ROWS_S)}`,
      pass: exp.rowsPerSecond >= EXPORT_GOAL_ROWS_S && exp.rows === expected,
    });
    // The Excel (FR) variant (";" and decimal commas) is the same COPY with other separators: its rate only.
    const fr = await timeExport(app, cookie, "?variant=excel-fr");
    figures.exportExcelFr = { rows: fr.rows, rowsPerSecond: fr.rowsPerSecond };
    rows.push({
      metric: `CSV export, Excel (FR) variant, of ${int(expected)} orders: rows/s`,
      value: int(fr.rowsPerSecond),
      baseline: baseline?.exportExcelFr ? int(baseline.exportExcelFr.rowsPerSecond) : undefined,
      goal: `≥ ${int(EXPORT_GOAL_ROWS_S)}`,
      pass: fr.rowsPerSecond >= EXPORT_GOAL_ROWS_S && fr.rows === expected,
    });
    const growth = exp.peakRss - exp.baselineRss;
    const flat = growth <= FLAT_MEMORY_MB * 1024 * 1024 * 4 && exp.secondHalfPeak <= exp.firstHalfPeak + FLAT_MEMORY_MB * 1024 * 1024;
    rows.push({
      metric: "CSV export: server RSS before → peak (growth)",
      value: `${mb(exp.baselineRss)} → ${mb(exp.peakRss)} (+${mb(growth)})`,
      baseline: was ? `${mb(was.baselineRss)} → ${mb(was.peakRss)}` : undefined,
      goal: "flat",
      pass: flat,
    });
    rows.push({
      metric: "CSV export: peak RSS, first half → second half",
      value: `${mb(exp.firstHalfPeak)} → ${mb(exp.secondHalfPeak)}`,
      baseline: was ? `${mb(was.firstHalfPeak)} → ${mb(was.secondHalfPeak)}` : undefined,
      goal: `≤ +${FLAT_MEMORY_MB} MB`,
      pass: exp.secondHalfPeak <= exp.firstHalfPeak + FLAT_MEMORY_MB * 1024 * 1024,
    });
  } finally {
    await app.stop();
  }

  explained = await explainCases(data.url, [
    ...pages.flatMap((p) => (p.explain ? [{ label: p.label, run: p.explain }] : [])),
    // The export itself is one COPY of the whole set (the plan of "orders: first page" without
    // its LIMIT); its SELECT with a search and with the month filter shows the same indexes at work.
    { label: "CSV export (COPY's SELECT): search phone", run: (db) => db.execute(drizzleSql.raw(ordersCopySelect(db, merchantId, filters({ q: setup.phoneTyped }), { variant: "csv", timeZone: "Africa/Abidjan" }))) },
    { label: "CSV export (COPY's SELECT): status+provider+month", run: (db) => db.execute(drizzleSql.raw(ordersCopySelect(db, merchantId, filters(filteredRaw), { variant: "csv", timeZone: "Africa/Abidjan" }))) },
  ]);
  explained.sort((a, b) => b.executionMs - a.executionMs);
  notes.push(
    `Statement execution times (EXPLAIN ANALYZE, warm): ${explained.map((e) => `${e.label} ${e.executionMs.toFixed(1)} ms`).join("; ")}.`,
  );

  writeFigures(figures, quick);
  const sizes = data.tableBytes;
  return {
    id: "dashboard",
    title: "Dashboard at scale (orders, overview, settlements, pending, CSV export)",
    conditions: [
      `Data: ${int(data.counts.orders)} orders / ${int(data.counts.payments)} payments (demo ${int(data.counts.merchants.demo?.orders ?? 0)} / ${int(data.counts.merchants.demo?.payments ?? 0)}, autre ${int(data.counts.merchants.autre?.orders ?? 0)} / ${int(data.counts.merchants.autre?.payments ?? 0)}) over 18 months, generated by bench/lib/seed-scale.ts; tables orders ${mb(sizes.orders)} + indexes ${mb(sizes.ordersIndexes)}, payments ${mb(sizes.payments)} + indexes ${mb(sizes.paymentsIndexes)}.`,
      `Seeding: ${data.seedSeconds.toFixed(0)} s (set-based SQL, then VACUUM ANALYZE), ${data.reused ? `reused from ${data.seededAt.toISOString().slice(0, 16)}Z` : "this run"}.`,
      `next start (production build) on PostgreSQL, port ${PORT}, pool ${process.env.DATABASE_POOL_MAX ?? 10}; requests one at a time as owner@demo.test (real next-auth JWT cookie), whole HTML body read; 3 warm-up requests then ${runs} timed runs per page.`,
      `Filtered page: status=paid, provider=cinetpay, ${setup.filterFrom}..${setup.filterTo}. Deep page: cursor of the ${int(setup.deepOffset)}th newest order. Phone search typed "${setup.phoneTyped}" (a customer with ${setup.phoneMatches} orders, the 90th percentile of demo's customers), "${setup.phoneSuffix}" and "${setup.phoneWithCountryCode}". Reference search: ${setup.reference}; fragment "${setup.fragment}".`,
      baseline
        ? `Baseline: the same script on the code before the fixes (commit ${baseline.commit?.slice(0, 10) ?? "?"}, ${baseline.date.slice(0, 10)})${baseline.note ? `: ${baseline.note}` : "."}`
        : "No baseline recorded yet (bench/baselines/dashboard.json).",
    ],
    rows,
    notes,
    details: explained.slice(0, 6).map((e) => ({ title: `EXPLAIN ${e.label} (${e.executionMs.toFixed(1)} ms)`, body: explainedMarkdown(e) })),
  };
}

async function prepare(sql: postgres.Sql) {
  const [owner] = await sql<{ id: string; email: string; name: string }[]>`select id, email, name from users where email = 'owner@demo.test'`;
  const [merchant] = await sql<{ id: string; currency: string; time_zone: string }[]>`select id, currency, time_zone from merchants where slug = 'demo'`;
  const [autreOwner] = await sql<{ id: string; email: string; name: string }[]>`select id, email, name from users where email = 'owner@autre.test'`;
  const [autre] = await sql<{ id: string; time_zone: string }[]>`select id, time_zone from merchants where slug = 'autre'`;
  if (!owner || !merchant || !autreOwner || !autre) throw new Error("bench database lacks the demo or autre owner");
  const [{ n }] = (await sql`select count(*)::int as n from orders where merchant_id = ${merchant.id}`) as unknown as [{ n: number }];
  const deepOffset = Math.floor(n * 0.9);
  const [deep] = await sql<{ v: string; id: string }[]>`
    select created_at::text as v, id from orders where merchant_id = ${merchant.id} order by created_at desc, id desc offset ${deepOffset - 1} limit 1`;
  const [mid] = await sql<{ reference: string }[]>`
    select reference from orders where merchant_id = ${merchant.id} order by created_at desc, id desc offset ${Math.floor(n / 2)} limit 1`;
  // A regular-but-ordinary customer: 90th percentile of orders per phone.
  const [phone] = await sql<{ customer_phone: string; n: number }[]>`
    with counts as (select customer_phone, count(*)::int as n from orders where merchant_id = ${merchant.id} group by 1)
    select customer_phone, n from counts order by n desc, customer_phone offset (select count(*) / 10 from counts) limit 1`;
  const [range] = await sql<{ from: string; to: string }[]>`
    select to_char(now() - interval '7 months', 'YYYY-MM-DD') as from, to_char(now() - interval '6 months', 'YYYY-MM-DD') as to`;
  const national = phone!.customer_phone.replace(/^\+225/, "");
  const phoneSuffix = phone!.customer_phone.slice(-6);
  // The reference's random half, in lower case, as a customer reads it out.
  const fragment = mid!.reference.split("-")[1]!.toLowerCase();
  const [{ suffix_matches: suffixMatches, fragment_matches: fragmentMatches }] = (await sql`
    select (select count(*)::int from orders where merchant_id = ${merchant.id} and customer_phone like ${`%${phoneSuffix}`}) as suffix_matches,
      (select count(*)::int from orders where merchant_id = ${merchant.id} and reference like ${`%${fragment.toUpperCase()}%`}) as fragment_matches`) as unknown as [{ suffix_matches: number; fragment_matches: number }];
  return {
    owner,
    autreOwner,
    autreId: autre.id,
    autreTimeZone: autre.time_zone,
    phoneSuffix,
    suffixMatches,
    phoneWithCountryCode: `+225 ${national.replace(/(\d{2})(?=\d)/g, "$1 ")}`,
    fragment,
    fragmentMatches,
    merchantId: merchant.id,
    currency: merchant.currency,
    timeZone: merchant.time_zone,
    demoOrders: n,
    deepOffset,
    deepCursor: encodeCursor({ v: deep!.v, id: deep!.id }),
    reference: mid!.reference,
    phoneE164: phone!.customer_phone,
    phoneMatches: phone!.n,
    phoneTyped: national.replace(/(\d{2})(?=\d)/g, "$1 "),
    filterFrom: range!.from,
    filterTo: range!.to,
  };
}

/** A slow export is stopped after this long: its rate over what was read is then the figure. */
const EXPORT_MAX_SECONDS = 120;

export async function timeExport(app: Pick<RunningApp, "url" | "rss">, cookie: string, query = "") {
  const baselineRss = app.rss();
  let rows = -1;
  let bytes = 0;
  const samples: { at: number; rss: number; rows: number }[] = [];
  const timer = setInterval(() => samples.push({ at: performance.now(), rss: app.rss(), rows }), 100);
  const started = performance.now();
  const abort = new AbortController();
  let stopped = false;
  try {
    const res = await fetch(`${app.url}/dashboard/orders/export${query}`, { headers: { cookie }, signal: abort.signal });
    if (res.status !== 200 || !res.body) throw new Error(`export → ${res.status}`);
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rows++;
      if (performance.now() - started > EXPORT_MAX_SECONDS * 1000) {
        stopped = true;
        abort.abort();
        break;
      }
    }
  } catch (error) {
    if (!stopped) throw error;
  } finally {
    clearInterval(timer);
  }
  const seconds = (performance.now() - started) / 1000;
  samples.push({ at: performance.now(), rss: app.rss(), rows });
  const half = rows / 2;
  const peak = (list: typeof samples) => list.reduce((m, s) => Math.max(m, s.rss), 0);
  console.log(`   export: ${int(rows)} rows, ${mb(bytes)} in ${seconds.toFixed(1)} s${stopped ? " (stopped)" : ""}`);
  return {
    rows,
    stoppedAfterSeconds: stopped ? EXPORT_MAX_SECONDS : undefined,
    rowsPerSecond: rows / seconds,
    baselineRss,
    peakRss: peak(samples),
    firstHalfPeak: peak(samples.filter((s) => s.rows <= half)),
    secondHalfPeak: peak(samples.filter((s) => s.rows > half)),
  };
}

const baselinePath = (quick: boolean) => path.join(import.meta.dirname, "baselines", quick ? "dashboard.quick.json" : "dashboard.json");

function readBaseline(quick: boolean): Figures | null {
  const file = baselinePath(quick);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Figures) : null;
}

/** The figures as JSON next to the section (bench/results or bench/.quick); copy one to bench/baselines to make it the baseline. */
function writeFigures(figures: Figures, quick: boolean) {
  const dir = path.join(import.meta.dirname, quick ? ".quick" : "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "dashboard.json"), JSON.stringify(figures, null, 2) + "\n");
}

function gitHead(): string | undefined {
  try {
    const git = (...args: string[]) => execFileSync("git", args, { cwd: import.meta.dirname, encoding: "utf8" }).trim();
    return `${git("rev-parse", "HEAD")}${git("status", "--porcelain", "--", "../app", "../lib", "../db") ? " (+ uncommitted changes)" : ""}`;
  } catch {
    return undefined;
  }
}
