/**
 * Checkout initialization overhead (issue "Benchmarks", item 4): the time from the shopper's
 * form POST to the 303 that sends them to the provider, minus the time spent waiting on the
 * provider.
 *
 * `next start` on a fresh PostgreSQL database (caisse_bench_init), the provider simulators as a
 * separate process (SANDBOX_URL). For each initialization the bench behaves like a browser with
 * JavaScript off: it GETs the real page (the cart checkout /demo/checkout or the open-amount
 * payment link /pay/lnk_demoMontantLibre000001), takes the form's hidden fields (React's
 * $ACTION_REF/$ACTION_KEY progressive-enhancement inputs included), fills in the shopper, the cart
 * (which a JS browser copies from localStorage into the form's `cart` field) or the amount, and
 * the payment option, then POSTs it as multipart/form-data and expects a 303 to the provider's
 * hosted page. Options rotate over the demo merchant's Côte d'Ivoire methods (Orange Money
 * direct; CinetPay MTN, Moov, Wave, card), requests one at a time.
 *
 * The server action logs `checkout initialized` with its own duration (totalMs) and the time spent
 * inside provider HTTP calls (providerMs, measured around providerFetch via AsyncLocalStorage).
 * Overhead = client-observed POST→303 time − providerMs; the in-action figure (totalMs −
 * providerMs) is reported beside it, the difference being Next's action decoding, rendering the
 * redirect and HTTP.
 */
import postgres from "postgres";
import { createDatabase } from "@/db/client";
import { seedDemo } from "@/db/seed";
import { BENCH_ENCRYPTION_KEY, startApp, type RunningApp } from "./lib/app";
import { freshDatabase } from "./lib/postgres";
import type { Section } from "./lib/report";
import { createSession, sandboxKeys } from "./lib/api-sessions";
import { submitCheckout, type CartLine, type CheckoutKind } from "./lib/checkout";
import { startSandboxProcess } from "./lib/sandbox";
import { ms, summarize } from "./lib/stats";
import type { BenchContext } from "./run";

const APP_PORT = 3413;
const SANDBOX_PORT = 3414;
const LINK = "lnk_demoMontantLibre000001";
const OPTIONS = ["orange-money.orange_money.hosted", "cinetpay.mobile_money.hosted", "cinetpay.card.hosted"];
const GOAL_MS = 30;

type Sample = { kind: "cart" | "link"; option: string; clientMs: number; totalMs: number; providerMs: number; providerCalls: number };

export async function run(ctx: BenchContext): Promise<Section> {
  const quick = ctx.options.quick;
  const runs = quick ? 30 : 200;
  const warmup = quick ? 10 : 20;

  const url = await freshDatabase("caisse_bench_init");
  const database = await createDatabase({ url, poolMax: 2 });
  await seedDemo(database.db, { encryptionKey: BENCH_ENCRYPTION_KEY });
  await database.close();
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const sandbox = await startSandboxProcess(url, SANDBOX_PORT);
  let app: RunningApp | undefined;
  try {
    const products = await sql<{ id: string }[]>`
      select p.id from products p join merchants m on m.id = p.merchant_id where m.slug = 'demo' and p.active order by p.sku`;
    app = await startApp({ port: APP_PORT, databaseUrl: url, env: { SANDBOX_URL: sandbox.url } });
    const [{ before, startedAt }] = (await sql`select count(*)::int as before, now() as "startedAt" from payments`) as unknown as [{ before: number; startedAt: Date }];

    const samples: Sample[] = [];
    const pageMs: number[] = [];
    for (let i = 0; i < warmup + runs; i++) {
      const kind = i % 2 === 0 ? "cart" : "link";
      const option = OPTIONS[Math.floor(i / 2) % OPTIONS.length]!;
      const cart = [{ productId: products[i % products.length]!.id, quantity: 1 + (i % 3) }, { productId: products[(i + 1) % products.length]!.id, quantity: 1 }];
      const result = await initialize(app, kind, option, cart, i);
      if (i >= warmup) {
        samples.push(result.sample);
        pageMs.push(result.pageMs);
      }
    }

    const [{ after }] = (await sql`select count(*)::int as after from payments`) as unknown as [{ after: number }];
    const pending = await sql<{ provider: string; n: number }[]>`
      select provider::text || ' ' || status::text as provider, count(*)::int as n from payments where created_at >= ${startedAt} group by provider, status order by 1`;

    // The same checkout asked for by a merchant's server through the API (issue 17): no provider
    // call happens at creation (the shopper starts the payment on the session's page).
    const keys = await sandboxKeys(sql, "demo", 4);
    const apiMs: number[] = [];
    for (let i = 0; i < warmup + runs; i++) {
      const elapsed = await createSession(app.url, keys[i % keys.length]!, i);
      if (i >= warmup) apiMs.push(elapsed);
    }
    return section({ quick, runs, warmup, samples, pageMs, apiMs, created: after - before, pending, rss: app.rss() });
  } finally {
    await app?.stop();
    sandbox.stop();
    await sql.end({ timeout: 5 });
  }
}

/** One initialization as a browser without JavaScript makes it, with the action's own log line; throws on anything but a 303 to the provider. */
async function initialize(app: RunningApp, kind: CheckoutKind, option: string, cart: CartLine[], i: number) {
  let logsBefore = 0;
  const done = await submitCheckout(app.url, { kind, option, cart, link: LINK, i, beforePost: () => (logsBefore = countInitLogs(app)) });
  const log = await nextInitLog(app, logsBefore);
  return {
    pageMs: done.pageMs,
    sample: { kind, option, clientMs: done.clientMs, totalMs: Number(log.totalMs), providerMs: Number(log.providerMs), providerCalls: Number(log.providerCalls) } satisfies Sample,
  };
}

const initLogs = (app: RunningApp) => app.logs.filter((l) => l.msg === "checkout initialized");
const countInitLogs = (app: RunningApp) => initLogs(app).length;

/** The action's log line for the request just made (requests go one at a time). */
async function nextInitLog(app: RunningApp, before: number): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 2000;
  while (Date.now() < deadline) {
    const logs = initLogs(app);
    if (logs.length > before) return logs[before]!;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error("no `checkout initialized` log line from the server action");
}

function section(r: { quick: boolean; runs: number; warmup: number; samples: Sample[]; pageMs: number[]; apiMs: number[]; created: number; pending: { provider: string; n: number }[]; rss: number }): Section {
  const overhead = summarize(r.samples.map((s) => s.clientMs - s.providerMs));
  const inAction = summarize(r.samples.map((s) => s.totalMs - s.providerMs));
  const client = summarize(r.samples.map((s) => s.clientMs));
  const provider = summarize(r.samples.map((s) => s.providerMs));
  const page = summarize(r.pageMs);
  const api = summarize(r.apiMs);
  const byOption = OPTIONS.map((o) => {
    const of = r.samples.filter((s) => s.option === o);
    const s = summarize(of.map((x) => x.clientMs - x.providerMs));
    return `${o}: n=${s.n}, p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, provider calls ${of[0]?.providerCalls ?? 0}`;
  });
  return {
    id: "init",
    title: "4. Checkout initialization overhead (server action → 303 to the provider, minus the provider; API checkout session creation)",
    conditions: [
      `${r.runs} initializations measured after ${r.warmup} warm-up ones, one at a time, alternating the cart checkout and the open-amount payment link, options rotating over ${OPTIONS.join(", ")}${r.quick ? " (--quick)" : ""}.`,
      `Each is a real no-JavaScript form POST (multipart, the page's own $ACTION_* fields) to \`next start\` on PostgreSQL 15; the simulators run as a separate process reached over HTTP (SANDBOX_URL).`,
      `Provider time is measured inside the app around every provider HTTP exchange (providerFetch, request sent → whole answer read) and logged by the action with its own duration.`,
      `One 2-core machine shared by the bench process, the app, the simulator process and PostgreSQL.`,
      `Then ${r.runs} API checkout sessions after ${r.warmup} warm-up ones, one at a time over HTTP with a Bearer sandbox key (four keys in turn, under the per-key limit), each with its own Idempotency-Key, alternating an amount and two line items with customer and metadata: authentication, rate count, idempotency record, validation against the store's providers and the insert, measured by the client.`,
      `Payments created: ${r.created}; by provider and status: ${r.pending.map((p) => `${p.provider} ${p.n}`).join(", ")}.`,
    ],
    rows: [
      { metric: "overhead p50 (client POST→303 − provider)", value: ms(overhead.p50) },
      { metric: "overhead p95 (client POST→303 − provider)", value: ms(overhead.p95), baseline: `provider p95 ${ms(provider.p95)}`, goal: `≤ ${GOAL_MS} ms`, pass: overhead.p95 <= GOAL_MS },
      { metric: "in-action overhead p50 / p95 (totalMs − providerMs)", value: `${ms(inAction.p50)} / ${ms(inAction.p95)}` },
      { metric: "client-observed POST→303 p50 / p95", value: `${ms(client.p50)} / ${ms(client.p95)}` },
      { metric: "provider time p50 / p95 (simulator over HTTP)", value: `${ms(provider.p50)} / ${ms(provider.p95)}` },
      { metric: "checkout page GET p50 / p95 (not part of the figure)", value: `${ms(page.p50)} / ${ms(page.p95)}` },
      { metric: "API: POST /api/v1/checkout-sessions p50", value: ms(api.p50) },
      { metric: "API: POST /api/v1/checkout-sessions p95 (no provider call at creation)", value: ms(api.p95), baseline: `server action overhead p95 ${ms(overhead.p95)}`, goal: `≤ ${GOAL_MS} ms`, pass: api.p95 <= GOAL_MS },
      { metric: "server RSS after the run", value: `${(r.rss / 1024 / 1024).toFixed(0)} MB` },
    ],
    notes: [`Overhead by option — ${byOption.join("; ")}.`],
  };
}
