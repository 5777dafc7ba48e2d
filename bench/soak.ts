/**
 * Soak (issue 18): `next start` on PostgreSQL under steady mixed traffic for --minutes (default
 * 10; --quick 1). Does memory settle, does the event loop stay responsive, does anything fail?
 *
 * A fresh database (caisse_bench_soak) with the demo world (2,000 historical orders per
 * merchant) and a batch of pending CinetPay payments whose simulator transactions are ACCEPTED;
 * the simulators in their own process (SANDBOX_URL), the reconciler on as in production. Open-loop
 * traffic (bench/lib/soak-traffic.ts), each kind at its own rate:
 * - provider notifications (signed CinetPay posts, 10 % duplicates), each a status check;
 * - shopper checkouts: the page, then its no-JavaScript form POST, 303 to the provider
 *   (cart and payment link alternately, options rotating; each leaves a payment the reconciler
 *   then follows);
 * - dashboard pages as the demo owner (overview, orders and a filter, settlements, pending,
 *   notifications, exceptions, links), whole body read;
 * - CSV exports of all the demo merchant's orders (which grow as notifications pay them);
 * - GET /api/health, the latency of a trivial request through the same server.
 * Every 10 s: the server's RSS (VmRSS of next-server and any child, /proc), and its own
 * runtime-metrics line (RUNTIME_METRICS_INTERVAL_SECONDS=10, lib/runtime/metrics.ts): event-loop
 * delay p50/p99/max over those 10 s, V8 heap used. Goals: RSS from minute 2 to the end within
 * +10 %, no error.
 * `--minutes=N`; `--notifications=N` (per second; default 5, which this machine sustains) makes a
 * section of its own: at 200/s the server is saturated, as in the notification benchmark.
 */
import postgres from "postgres";
import { Agent, request } from "undici";
import { createDatabase } from "@/db/client";
import { seedDemo } from "@/db/seed";
import { SEED_MERCHANTS } from "@/db/seed-data";
import { BENCH_ENCRYPTION_KEY, startApp, type RunningApp } from "./lib/app";
import { submitCheckout } from "./lib/checkout";
import { NotificationFeed } from "./lib/notify-load";
import { numberSetting } from "./lib/options";
import { freshDatabase, scratchServerUrl } from "./lib/postgres";
import type { Row, Section } from "./lib/report";
import { startSandboxProcess } from "./lib/sandbox";
import { notificationsFor, seedPaymentBatch } from "./lib/seed-notify";
import { sessionCookie } from "./lib/session";
import { Traffic, type TrafficKind } from "./lib/soak-traffic";
import { int, mb, ms, summarize } from "./lib/stats";
import type { BenchContext } from "./run";

const APP_PORT = 3720;
const SANDBOX_PORT = 3721;
const DATABASE = "caisse_bench_soak";
const MERCHANT = "demo";
const SAMPLE_S = 10;
const RSS_GROWTH_GOAL = 0.1;
const DEFAULT_NOTIFICATIONS_PER_S = 5;
const MAX_BATCH = 30_000;
const LINK = "lnk_demoMontantLibre000001";
const CHECKOUT_OPTIONS = ["cinetpay.mobile_money.hosted", "orange-money.orange_money.hosted", "cinetpay.card.hosted"];
const PAGES = ["/dashboard", "/dashboard/orders", "/dashboard/orders?status=paid", "/dashboard/settlements", "/dashboard/pending", "/dashboard/notifications", "/dashboard/exceptions", "/dashboard/links"];

type Sample = {
  atS: number;
  rss: number;
  heapUsed: number | null;
  loopP50: number | null;
  loopP99: number | null;
  loopMax: number | null;
  healthP50: number;
  healthP99: number;
  requests: number;
  errors: number;
};

export async function run(ctx: BenchContext): Promise<Section> {
  const minutes = numberSetting(ctx.options, "minutes", ctx.options.quick ? 1 : 10);
  // Rates the app sustains on a busy 2-core machine: a soak measures the steady state, not a queue.
  const rates = { notifications: numberSetting(ctx.options, "notifications", DEFAULT_NOTIFICATIONS_PER_S), checkouts: 0.2, pages: 1, exports: 1 / 30, health: 1 };
  const url = await freshDatabase(DATABASE, scratchServerUrl());
  const database = await createDatabase({ url, poolMax: 2 });
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const cleanups: (() => Promise<unknown> | unknown)[] = [() => database.close(), () => sql.end({ timeout: 5 })];
  try {
    await seedDemo(database.db, { encryptionKey: BENCH_ENCRYPTION_KEY, orders: 2_000 });
    const secretKey = SEED_MERCHANTS.find((m) => m.slug === MERCHANT)!.accounts.find((a) => a.provider === "cinetpay")!.credentials.secretKey!;
    const notifyUrl = `http://127.0.0.1:${APP_PORT}/api/webhooks/cinetpay/${MERCHANT}`;
    // Enough never-notified payments for the rate the app can take here (beyond it, duplicates).
    const batch = await seedPaymentBatch(sql, { tag: "SOAK", count: Math.min(MAX_BATCH, Math.ceil(rates.notifications * minutes * 60)), merchantSlug: MERCHANT, notifyUrl });
    const feed = new NotificationFeed(await notificationsFor(database.db, batch, secretKey), 10);
    const [owner] = await sql<{ id: string; email: string; name: string }[]>`select id, email, name from users where email = 'owner@demo.test'`;
    const cookie = await sessionCookie(owner!);
    const products = await sql<{ id: string }[]>`select p.id from products p join merchants m on m.id = p.merchant_id where m.slug = ${MERCHANT} and p.active order by p.sku`;

    const sandbox = await startSandboxProcess(url, SANDBOX_PORT);
    cleanups.unshift(() => sandbox.stop());
    const app = await startApp({ port: APP_PORT, databaseUrl: url, env: { SANDBOX_URL: sandbox.url, RECONCILE_ENABLED: "true", RUNTIME_METRICS_INTERVAL_SECONDS: String(SAMPLE_S) } });
    cleanups.unshift(() => app.stop());
    const dispatcher = new Agent({ connections: 32 });
    cleanups.unshift(() => dispatcher.close());

    const expect = async (path: string, options: { method?: "GET" | "POST"; headers?: Record<string, string>; body?: string }, check: (status: number, body: string) => string | null) => {
      const res = await request(`${app.url}${path}`, { dispatcher, ...options });
      const body = await res.body.text();
      const problem = check(res.statusCode, body);
      if (problem) throw new Error(`${options.method ?? "GET"} ${path.split("?")[0]}: ${problem}`);
    };
    const status = (wanted: number) => (got: number) => (got === wanted ? null : `HTTP ${got}`);
    const kinds: TrafficKind[] = [
      {
        name: "notification",
        perSecond: rates.notifications,
        send: () => {
          const n = feed.next();
          return expect(new URL(notifyUrl).pathname, { method: "POST", headers: n.headers, body: n.body }, status(200));
        },
      },
      {
        name: "checkout",
        perSecond: rates.checkouts,
        send: async (i) => {
          const cart = [{ productId: products[i % products.length]!.id, quantity: 1 + (i % 3) }];
          await submitCheckout(app.url, { kind: i % 2 === 0 ? "cart" : "link", option: CHECKOUT_OPTIONS[i % CHECKOUT_OPTIONS.length]!, cart, link: LINK, i });
        },
      },
      { name: "dashboard page", perSecond: rates.pages, send: (i) => expect(PAGES[i % PAGES.length]!, { headers: { cookie } }, (s, body) => (s !== 200 ? `HTTP ${s}` : body.includes("<h1") ? null : "no page heading")) },
      {
        name: "CSV export",
        perSecond: rates.exports,
        send: () => expect("/dashboard/orders/export", { headers: { cookie } }, (s, body) => (s !== 200 ? `HTTP ${s}` : body.split("\n").length > 2_000 ? null : "fewer lines than orders")),
      },
      { name: "health", perSecond: rates.health, send: () => expect("/api/health", {}, status(200)) },
    ];

    const traffic = new Traffic(kinds);
    const samples: Sample[] = [];
    const started = performance.now();
    traffic.start();
    console.log(`  soak: ${minutes} min of mixed traffic, ${int(batch.count)} payments to notify`);
    while (performance.now() - started < minutes * 60_000) {
      await new Promise((r) => setTimeout(r, SAMPLE_S * 1000));
      samples.push(sample(app, traffic, (performance.now() - started) / 1000));
      const s = samples.at(-1)!;
      console.log(`  +${s.atS.toFixed(0)} s: RSS ${mb(s.rss)}, heap ${s.heapUsed === null ? "?" : mb(s.heapUsed)}, loop p99 ${s.loopP99 ?? "?"} ms, health p99 ${ms(s.healthP99)}, ${s.requests} requests, ${s.errors} errors`);
    }
    await traffic.stop();
    const appErrors = app.logs.filter((l) => Number(l.level) >= 50);
    return section({ minutes, rates, samples, totals: traffic.totalsByKind(), appErrors, batch: batch.count, exhausted: feed.exhausted });
  } finally {
    for (const cleanup of cleanups) await cleanup();
  }
}

function sample(app: RunningApp, traffic: Traffic, atS: number): Sample {
  const window = traffic.takeWindow();
  const metrics = app.logs.filter((l) => l.msg === "runtime metrics").at(-1) as
    | { eventLoopDelayMs: { p50: number; p99: number; max: number }; memoryBytes: { heapUsed: number } }
    | undefined;
  const health = summarize(window.health?.latencies ?? []);
  const all = Object.values(window);
  return {
    atS,
    rss: app.rss(),
    heapUsed: metrics?.memoryBytes.heapUsed ?? null,
    loopP50: metrics?.eventLoopDelayMs.p50 ?? null,
    loopP99: metrics?.eventLoopDelayMs.p99 ?? null,
    loopMax: metrics?.eventLoopDelayMs.max ?? null,
    healthP50: health.p50,
    healthP99: health.p99,
    requests: all.reduce((n, w) => n + w.latencies.length + w.errors, 0),
    errors: all.reduce((n, w) => n + w.errors, 0),
  };
}

function section(r: {
  minutes: number;
  rates: { notifications: number; checkouts: number; pages: number; exports: number; health: number };
  samples: Sample[];
  totals: ReturnType<Traffic["totalsByKind"]>;
  appErrors: Record<string, unknown>[];
  batch: number;
  exhausted: boolean;
}): Section {
  const at = (s: number) => r.samples.reduce((best, x) => (Math.abs(x.atS - s) < Math.abs(best.atS - s) ? x : best), r.samples[0]!);
  // V8 lets the heap grow for minutes between major collections, so RSS is a sawtooth: two
  // instants compare phases of it. What grows is the whole curve: compare the highest RSS (and the
  // lowest heap after collections) of the halves from minute 2 on, each spanning whole cycles.
  const startS = Math.min(120, (r.minutes * 60) / 5);
  const endS = r.samples.at(-1)!.atS;
  const midS = (startS + endS) / 2;
  const first = r.samples.filter((x) => x.atS >= startS && x.atS < midS);
  const second = r.samples.filter((x) => x.atS >= midS);
  const peak = (xs: Sample[]) => Math.max(...xs.map((x) => x.rss));
  const heapFloor = (xs: Sample[]) => Math.min(...xs.flatMap((x) => (x.heapUsed === null ? [] : [x.heapUsed])));
  const growth = (peak(second) - peak(first)) / peak(first);
  const from = at(startS);
  const to = r.samples.at(-1)!;
  const errors = Object.values(r.totals).reduce((n, t) => n + t.errors, 0);
  const loopP99 = summarize(r.samples.flatMap((s) => (s.loopP99 === null ? [] : [s.loopP99])));
  const loopMax = Math.max(...r.samples.map((s) => s.loopMax ?? 0));
  const rows: Row[] = [
    {
      metric: `server RSS peak, minutes ${(startS / 60).toFixed(0)}–${(midS / 60).toFixed(0)} → ${(midS / 60).toFixed(0)}–${(endS / 60).toFixed(0)}`,
      value: `${mb(peak(first))} → ${mb(peak(second))} (${growth >= 0 ? "+" : ""}${(growth * 100).toFixed(1)} %)`,
      goal: `≤ +${RSS_GROWTH_GOAL * 100} %`,
      pass: growth <= RSS_GROWTH_GOAL,
    },
    { metric: "V8 heap used, lowest in each half (after collections)", value: `${mb(heapFloor(first))} → ${mb(heapFloor(second))}` },
    { metric: `server RSS at ${(from.atS / 60).toFixed(1)} min → end (two instants of the sawtooth)`, value: `${mb(from.rss)} → ${mb(to.rss)}` },
    { metric: "server RSS min / max over the run", value: `${mb(Math.min(...r.samples.map((s) => s.rss)))} / ${mb(Math.max(...r.samples.map((s) => s.rss)))}` },
    { metric: "event-loop delay p99 per 10 s: median / worst", value: `${ms(loopP99.p50)} / ${ms(loopP99.max)}` },
    { metric: "event-loop delay max", value: ms(loopMax) },
    { metric: "errors (all requests)", value: int(errors), goal: "0", pass: errors === 0 },
    { metric: "error lines in the server's log", value: int(r.appErrors.length) },
    ...Object.entries(r.totals).map(([name, t]) => ({
      metric: `${name}: requests, p50 / p95 / max`,
      value: `${int(t.requests)}, ${ms(t.latency.p50)} / ${ms(t.latency.p95)} / ${ms(t.latency.max)}${t.skipped ? `, ${int(t.skipped)} not started (32 in flight)` : ""}`,
    })),
  ];
  const series = [
    "  time   RSS      heap     loop p50  loop p99  loop max  health p50  health p99  requests  errors",
    ...r.samples.map((s) =>
      [
        `${(s.atS / 60).toFixed(1).padStart(5)}m`,
        mb(s.rss).padStart(7),
        (s.heapUsed === null ? "?" : mb(s.heapUsed)).padStart(8),
        `${s.loopP50 ?? "?"} ms`.padStart(9),
        `${s.loopP99 ?? "?"} ms`.padStart(9),
        `${s.loopMax ?? "?"} ms`.padStart(9),
        ms(s.healthP50).padStart(11),
        ms(s.healthP99).padStart(11),
        String(s.requests).padStart(9),
        String(s.errors).padStart(7),
      ].join(" "),
    ),
  ].join("\n");
  const perMinute = r.samples.filter((s, i) => i === r.samples.length - 1 || Math.round(s.atS) % 60 < SAMPLE_S);
  // Another notification rate is another experiment: its own section beside the default one.
  const rate = r.rates.notifications;
  return {
    id: rate === DEFAULT_NOTIFICATIONS_PER_S ? "soak" : `soak-${rate}-per-s`,
    title: `Soak: ${r.minutes} minutes of mixed traffic, ${rate} notifications/s (next start on PostgreSQL)`,
    conditions: [
      `Open-loop traffic per second: ${r.rates.notifications} CinetPay notifications (10 % duplicates; each new one a status check to the simulator process), ${r.rates.checkouts} checkouts (page + no-JS form POST → 303), ${r.rates.pages} dashboard pages as the owner (${PAGES.length} pages in turn), a CSV export of all demo orders every ${(1 / r.rates.exports).toFixed(0)} s, ${r.rates.health} GET /api/health.`,
      `Fresh database: the demo world with 2,000 historical orders per merchant and ${int(r.batch)} pending CinetPay payments to notify${r.exhausted ? " (all notified before the end: the rest were duplicates)" : ""}. Reconciler on (production defaults); LOG_LEVEL=info.`,
      `Every ${SAMPLE_S} s: VmRSS of the server process tree (/proc), and the server's own runtime-metrics log line (event-loop delay over those ${SAMPLE_S} s, beyond the 10 ms sampling tick; V8 heap used).`,
      `One 2-core machine shared with other work (other helpers' builds and tests ran meanwhile): latencies and event-loop delays are noisy and say more about the machine than the app; RSS and errors do not depend on it.`,
    ],
    rows,
    notes: [
      `RSS and latency by minute: ${perMinute.map((s) => `${(s.atS / 60).toFixed(0)} min ${mb(s.rss)}, health p99 ${ms(s.healthP99)}, loop p99 ${s.loopP99 ?? "?"} ms`).join("; ")}.`,
      // What stays alive is what leaks; what V8 has not collected yet only makes the saw's teeth.
      heapFloor(second) <= heapFloor(first) * (1 + RSS_GROWTH_GOAL)
        ? `Live memory did not grow: the V8 heap after collections was ${mb(heapFloor(first))} in the first half and ${mb(heapFloor(second))} in the second, while heap used rose to ${mb(Math.max(...r.samples.map((s) => s.heapUsed ?? 0)))} between major collections. RSS follows that sawtooth (V8 keeps what it grew for the next cycle), so its peaks measure the allocation rate, not a leak.`
        : `Live memory grew: the V8 heap after collections went from ${mb(heapFloor(first))} to ${mb(heapFloor(second))}. Take heap snapshots (NODE_OPTIONS=--heapsnapshot-signal=SIGUSR2 on the app, kill -USR2 at two moments) and compare them.`,
    ],
    details: [
      { title: `Every ${SAMPLE_S} s`, body: series },
      ...(r.appErrors.length || errors ? [{ title: "First errors", body: [...Object.entries(r.totals).flatMap(([k, t]) => t.errorSamples.map((e) => `${k}: ${e}`)), ...r.appErrors.slice(0, 5).map((l) => JSON.stringify(l))].join("\n") }] : []),
    ],
  };
}
