/**
 * The dashboard benchmark's data set: the demo world (db/seed.ts) plus, for each demo merchant,
 * `perMerchant` orders with their payment attempts, written by set-based SQL on the server
 * (`insert … select … from generate_series`), so a million rows take seconds, not hours.
 *
 * Shape (per merchant, over ~18 months ending at seeding time):
 * - order times: volume grows 4× over the period (linear density), time of day is a mix of a
 *   midday and an evening peak; undecided payments only in the last two hours, plus a few
 *   stuck old ones (0.04 %), as the reconciliation job would leave them;
 * - outcomes: ~79 % collected (1.5 % refunded, 1.5 % partially), failed 11 %, cancelled 4.5 %,
 *   expired 5 %; 8 % of collected orders had a failed first attempt (two payment rows);
 * - routes: the merchant's own `history` weights from db/seed-data.ts (CI: CinetPay, Orange Money
 *   direct, KKiaPay; KE: iPay M-Pesa / Airtel / card), as lib/payments/routing.ts allows them;
 * - amounts: log-normal in the currency's minor units (XOF median 7,500, multiples of 5 as
 *   CinetPay requires; KES median 1,500.00, whole shillings except some card payments, ≥ iPay's
 *   minimum), fees = rate × amount half-up + fixed from the provider account (lib/payments/fees.ts),
 *   KKiaPay fees "reported", CinetPay settlement dates "reported", dates T+N business days
 *   (lib/payments/settlement.ts) — a sample is re-checked against those TS functions after seeding;
 * - customers: a pool per merchant (120k / 100k) drawn with a skew (regulars buy often), so one
 *   phone number matches a handful of orders, a regular's a few hundred.
 * Order items, payment events and refunds rows are not generated: no list page reads them.
 * The dashboard rollups' insert triggers are off during the bulk insert; the rollups are then
 * rebuilt in one pass (rebuild_dashboard_rollups()).
 *
 * The database is reused across runs when `bench_meta` says it holds this very generator's data
 * at this scale, seeded less than two days ago (the overview and settlements read "the last N
 * days" from now). Pending migrations are applied either way (a migration that adds a rollup
 * backfills it from the existing rows).
 */
import postgres from "postgres";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createDatabase, migrationsFolder } from "@/db/client";
import { seedDemo } from "@/db/seed";
import { SEED_MERCHANTS } from "@/db/seed-data";
import { estimateFee } from "@/lib/payments/fees";
import { estimateSettlementDate } from "@/lib/payments/settlement";
import { BENCH_ENCRYPTION_KEY } from "./app";
import { databaseExists, databaseUrl, freshDatabase } from "./postgres";

/** Bump when the generator changes: older data sets are then rebuilt. */
const GENERATOR_VERSION = 5;
const MAX_AGE_HOURS = 48;
const SPAN_DAYS = 548;
const CHUNK = 200_000;

export type ScaleDatabase = {
  name: string;
  url: string;
  perMerchant: number;
  reused: boolean;
  seededAt: Date;
  /** Wall time of the seeding that produced this data (measured then, stored in bench_meta). */
  seedSeconds: number;
  counts: { orders: number; payments: number; merchants: Record<string, { orders: number; payments: number }> };
  tableBytes: { orders: number; payments: number; ordersIndexes: number; paymentsIndexes: number };
};

type Meta = { version: number; per_merchant: number; seeded_at: Date; seed_seconds: number; counts: ScaleDatabase["counts"] };

export async function ensureScaleDatabase(perMerchant: number, quick: boolean, log: (line: string) => void = console.log): Promise<ScaleDatabase> {
  // BENCH_DASHBOARD_DATABASE: a data set of one's own (two worktrees benching on one server).
  const name = process.env.BENCH_DASHBOARD_DATABASE ?? (quick ? "caisse_bench_dashboard_quick" : "caisse_bench_dashboard");
  const url = databaseUrl(name);
  const existing = (await databaseExists(name)) ? await readMeta(url) : null;
  const fresh =
    existing && existing.version === GENERATOR_VERSION && existing.per_merchant === perMerchant && Date.now() - existing.seeded_at.getTime() < MAX_AGE_HOURS * 3_600_000;
  if (fresh && (await appliedMigrationsAreOurs(url))) {
    // Applies any migration added since (e.g. a new index) before the app starts.
    log(`reusing ${name} (seeded ${existing.seeded_at.toISOString().slice(0, 16)}Z); applying pending migrations…`);
    const database = await createDatabase({ url, poolMax: 2 });
    await database.close();
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await sql`analyze`;
      return { name, url, perMerchant, reused: true, seededAt: existing.seeded_at, seedSeconds: existing.seed_seconds, counts: existing.counts, tableBytes: await tableBytes(sql) };
    } finally {
      await sql.end();
    }
  }
  if (fresh) log(`${name} was migrated by migration files that are no longer in db/migrations: seeding again`);

  return seed(name, url, perMerchant, log);
}

/**
 * Every migration the database has applied must still be in db/migrations (drizzle records each
 * file's sha-256): one renumbered or rewritten since would leave the schema off and drizzle would
 * not notice, so such a database is seeded again rather than migrated.
 */
async function appliedMigrationsAreOurs(url: string): Promise<boolean> {
  const ours = new Set(
    readdirSync(migrationsFolder)
      .filter((f) => f.endsWith(".sql"))
      .map((f) => createHash("sha256").update(readFileSync(path.join(migrationsFolder, f), "utf8")).digest("hex")),
  );
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const applied = await sql<{ hash: string }[]>`select hash from drizzle.__drizzle_migrations`;
    return applied.every((m) => ours.has(m.hash));
  } finally {
    await sql.end();
  }
}

async function seed(name: string, url: string, perMerchant: number, log: (line: string) => void): Promise<ScaleDatabase> {
  log(`seeding ${name}: ${perMerchant.toLocaleString("en-US")} orders per merchant…`);
  const started = performance.now();
  await freshDatabase(name);
  const database = await createDatabase({ url, poolMax: 2 });
  try {
    await seedDemo(database.db, { encryptionKey: BENCH_ENCRYPTION_KEY });
  } finally {
    await database.close();
  }
  const sql = postgres(url, { max: 1, onnotice: () => {}, idle_timeout: 0 });
  try {
    const now = new Date();
    // The dashboard rollups' row triggers would fire two million times, each an upsert on a few
    // hot rows: insert with them off, then rebuild the rollups once from the raw rows.
    await setRollupTriggers(sql, "disable");
    // One connection per merchant: the two halves are independent, and the server has two cores.
    await Promise.all(
      SEED_MERCHANTS.map(async (merchant, index) => {
        const conn = postgres(url, { max: 1, onnotice: () => {}, idle_timeout: 0 });
        try {
          await conn`set synchronous_commit = off`;
          await conn`set work_mem = '64MB'`;
          const [row] = await conn<{ id: string }[]>`select id from merchants where slug = ${merchant.slug}`;
          if (!row) throw new Error(`seed-scale: merchant ${merchant.slug} missing`);
          await conn`select setseed(${0.1 + index / 10})`;
          for (let lo = 1; lo <= perMerchant; lo += CHUNK) {
            const hi = Math.min(perMerchant, lo + CHUNK - 1);
            const t = performance.now();
            const steps: string[] = [];
            const step = async (label: string, run: () => Promise<unknown>) => {
              const s = performance.now();
              await run();
              steps.push(`${label} ${((performance.now() - s) / 1000).toFixed(1)} s`);
            };
            await conn.begin(async (tx) => {
              await step("draws", () => tx.unsafe(generateSql({ merchant, merchantId: row.id, merchantIndex: index, lo, hi, total: perMerchant, now })));
              await step("orders", () => tx.unsafe(insertOrdersSql()));
              await step("payments", () => tx.unsafe(insertPaymentsSql(now)));
              await tx.unsafe("drop table bench_gen");
            });
            log(`  ${merchant.slug}: orders ${lo.toLocaleString("en-US")}–${hi.toLocaleString("en-US")} in ${((performance.now() - t) / 1000).toFixed(1)} s (${steps.join(", ")})`);
          }
        } finally {
          await conn.end();
        }
      }),
    );
    let t = performance.now();
    await sql`select rebuild_dashboard_rollups()`;
    await setRollupTriggers(sql, "enable");
    log(`  dashboard rollups rebuilt in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    t = performance.now();
    // What autovacuum does on a live database: statistics and the visibility map (index-only scans).
    await sql`vacuum (analyze) orders`;
    await sql`vacuum (analyze) payments`;
    await sql`vacuum (analyze) payment_daily_stats, payment_time_to_pay, order_daily_counts`;
    log(`  vacuum analyze in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    await verifySample(sql);
    const counts = await countRows(sql);
    const seedSeconds = (performance.now() - started) / 1000;
    await sql`create table bench_meta (version int not null, per_merchant int not null, seeded_at timestamptz not null, seed_seconds double precision not null, counts jsonb not null)`;
    await sql`insert into bench_meta values (${GENERATOR_VERSION}, ${perMerchant}, ${now}, ${seedSeconds}, ${sql.json(counts)})`;
    log(`seeded ${name} in ${seedSeconds.toFixed(0)} s`);
    return { name, url, perMerchant, reused: false, seededAt: now, seedSeconds, counts, tableBytes: await tableBytes(sql) };
  } finally {
    await sql.end();
  }
}

/** The rollup triggers the bulk insert bypasses (db/migrations/0006_dashboard_rollup_triggers.sql). */
async function setRollupTriggers(sql: postgres.Sql, action: "enable" | "disable") {
  await sql.unsafe(`alter table orders ${action} trigger orders_dashboard_rollup_insert_delete`);
  await sql.unsafe(`alter table payments ${action} trigger payments_dashboard_rollup_insert_delete`);
}

async function readMeta(url: string): Promise<Meta | null> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [exists] = await sql`select to_regclass('public.bench_meta') is not null as ok`;
    if (!exists?.ok) return null;
    const [row] = await sql<Meta[]>`select version, per_merchant, seeded_at, seed_seconds, counts from bench_meta limit 1`;
    return row ?? null;
  } catch {
    return null;
  } finally {
    await sql.end();
  }
}

async function countRows(sql: postgres.Sql): Promise<ScaleDatabase["counts"]> {
  const rows = await sql<{ slug: string; orders: string; payments: string }[]>`
    select m.slug,
      (select count(*) from orders o where o.merchant_id = m.id) as orders,
      (select count(*) from payments p where p.merchant_id = m.id) as payments
    from merchants m order by m.slug`;
  const merchants = Object.fromEntries(rows.map((r) => [r.slug, { orders: Number(r.orders), payments: Number(r.payments) }]));
  return {
    orders: rows.reduce((s, r) => s + Number(r.orders), 0),
    payments: rows.reduce((s, r) => s + Number(r.payments), 0),
    merchants,
  };
}

async function tableBytes(sql: postgres.Sql): Promise<ScaleDatabase["tableBytes"]> {
  const [row] = await sql`select pg_table_size('orders') as o, pg_table_size('payments') as p, pg_indexes_size('orders') as oi, pg_indexes_size('payments') as pi`;
  return { orders: Number(row!.o), payments: Number(row!.p), ordersIndexes: Number(row!.oi), paymentsIndexes: Number(row!.pi) };
}

const B34 = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/** `n` (a bigint SQL expression ≥ 0) as `len` characters of the reference alphabet. */
function base34(n: string, len: number): string {
  const parts = Array.from({ length: len }, (_, k) => `substr('${B34}', ((${n}) / ${34 ** (len - 1 - k)}::bigint % 34)::int + 1, 1)`);
  return parts.join(" || ");
}

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

const NAMES: Record<string, { first: string[]; last: string[]; domain: string; phone: (c: string) => string }> = {
  CI: {
    first: ["Aminata", "Koffi", "Fatou", "Jean-Marc", "Mariam", "Serge", "Awa", "Yao", "Adjoua", "Kouamé", "Aya", "Ibrahim", "Moussa", "Salimata", "Drissa", "Affoué", "Kader", "Nadège", "Éric", "Bintou"],
    last: ["Traoré", "Yao", "Diallo", "Bamba", "Ouattara", "Kouadio", "Koné", "Coulibaly", "Touré", "Konan", "N'Guessan", "Kouassi", "Diabaté", "Cissé", "Sangaré", "Gbagbo", "Aké", "Dosso"],
    domain: "example.ci",
    // Orange 07, MTN 05, Moov 01 + 8 digits; (c × 7919 + k) mod 10^8 is a bijection on the pool.
    phone: (c) => `'+225' || (array['07','05','01'])[(${c} % 3)::int + 1] || lpad(((${c} * 7919 + 13) % 100000000)::text, 8, '0')`,
  },
  KE: {
    first: ["Brian", "Achieng", "David", "Grace", "Peter", "Wanjiru", "Kevin", "Mercy", "Otieno", "Faith", "Dennis", "Njeri", "Samuel", "Akinyi", "Joseph", "Wambui"],
    last: ["Otieno", "Odhiambo", "Mwangi", "Njeri", "Kiprono", "Kamau", "Wanjiku", "Ochieng", "Mutua", "Kariuki", "Chebet", "Onyango", "Njoroge", "Kiptoo"],
    domain: "example.co.ke",
    phone: (c) => `'+254' || (array['7','1'])[(${c} % 2)::int + 1] || lpad(((${c} * 7919 + 29) % 100000000)::text, 8, '0')`,
  },
};

type GenInput = { merchant: (typeof SEED_MERCHANTS)[number]; merchantId: string; merchantIndex: number; lo: number; hi: number; total: number; now: Date };

/** A temp table with every draw for orders lo..hi, so orders and payments agree. */
function generateSql({ merchant, merchantId, merchantIndex, lo, hi, total, now }: GenInput): string {
  const names = NAMES[merchant.country];
  if (!names) throw new Error(`seed-scale: no name pool for ${merchant.country}`);
  const pool = merchant.currency === "XOF" ? 120_000 : 100_000;
  const routeCum: string[] = [];
  const weightSum = merchant.history.reduce((s, h) => s + h.weight, 0);
  let acc = 0;
  for (const h of merchant.history) {
    acc += h.weight / weightSum;
    routeCum.push(`when r_route < ${acc.toFixed(6)} then ${lit(`${h.provider}|${h.method}`)}`);
  }
  const last = merchant.history.at(-1)!;
  // Linear growth: density ∝ 1 + a·t on [0, 1] (a = 3: 4× more orders at the end than at the start).
  const a = 3;
  const amount =
    merchant.currency === "XOF"
      ? // median 7,500 XOF, multiples of 5, between 100 and 2,000,000
        `greatest(100, least(2000000, round(exp(ln(7500) + 0.9 * z) / 5) * 5))::bigint`
      : // median KES 1,500.00 in cents, whole shillings (cards: some cents), ≥ KES 10
        `greatest(1000, least(50000000, case when method = 'card' and r_cents < 0.3 then round(exp(ln(150000) + 1.0 * z)) else round(exp(ln(150000) + 1.0 * z) / 100) * 100 end))::bigint`;
  const ref6 = base34(`(i * 2654435761 + ${merchantIndex * 97}) % ${34 ** 6}`, 6);
  return `
    create temp table bench_gen on commit drop as
    with draws as (
      select i::bigint as i,
        random() as r_t, random() as r_h1, random() as r_h2, random() as r_peak, random() as r_out, random() as r_undecided,
        random() as r_retry, random() as r_route, random() as r_z1, random() as r_z2, random() as r_cust, random() as r_conf,
        random() as r_email, random() as r_cents, random() as r_checks
      from generate_series(${lo}, ${hi}) i
    ), timed as (
      select d.*,
        -- inverse CDF of the growth density, stratified on i so ids advance with time
        (sqrt(1 + 2 * ${a} * ((i - r_t) / ${total}) * (1 + ${a} / 2.0)) - 1) / ${a} as t,
        sqrt(-2 * ln(greatest(r_z1, 1e-12))) * cos(2 * pi() * r_z2) as z,
        -- time of day: midday peak (60 %) or evening peak, in hours
        case when r_peak < 0.6 then 12.5 + 2.5 * sqrt(-2 * ln(greatest(r_h1, 1e-12))) * cos(2 * pi() * r_h2)
             else 19.5 + 2.0 * sqrt(-2 * ln(greatest(r_h1, 1e-12))) * cos(2 * pi() * r_h2) end as hour
      from draws d
    ), placed as (
      select timed.*,
        least(
          date_trunc('day', ${lit(now.toISOString())}::timestamptz - interval '${SPAN_DAYS} days' + t * interval '${SPAN_DAYS} days', 'UTC')
            + (hour - 24 * floor(hour / 24)) * interval '1 hour',
          ${lit(now.toISOString())}::timestamptz - interval '3 minutes' - r_conf * interval '2 minutes'
        ) as created_at
      from timed
    ), routed as (
      select placed.*,
        split_part(case ${routeCum.join(" ")} else ${lit(`${last.provider}|${last.method}`)} end, '|', 1)::provider_id as provider,
        split_part(case ${routeCum.join(" ")} else ${lit(`${last.provider}|${last.method}`)} end, '|', 2) as method,
        floor(${pool} * power(r_cust, 1.6))::bigint as c,
        case
          when created_at > ${lit(now.toISOString())}::timestamptz - interval '2 hours' and r_undecided < 0.35
            then (case when r_undecided < 0.2 then 'waiting_for_customer' else 'pending' end)
          when r_undecided < 0.0004 then 'pending'
          when r_out < 0.760 then 'paid'
          when r_out < 0.775 then 'refunded'
          when r_out < 0.790 then 'partially_refunded'
          when r_out < 0.900 then 'failed'
          when r_out < 0.945 then 'cancelled'
          else 'expired' end::payment_status as outcome
      from placed
    )
    select i, created_at, provider, method, outcome, c, r_conf, r_email, r_checks,
      ${amount} as amount,
      case when outcome in ('paid', 'refunded', 'partially_refunded') and r_retry < 0.08 then 2 else 1 end as attempts,
      ${lit(merchantId)}::text as merchant_id, ${merchantIndex}::bigint as mi,
      'ord_' || substr(md5(${lit(merchant.slug)} || ':' || i), 1, 22) as order_id,
      to_char(created_at at time zone 'UTC', 'YYMMDD') || '-' || ${ref6} as reference,
      (array[${names.first.map(lit).join(",")}])[(c % ${names.first.length})::int + 1] || ' ' ||
        (array[${names.last.map(lit).join(",")}])[((c / ${names.first.length}) % ${names.last.length})::int + 1] as customer_name,
      ${names.phone("c")} as customer_phone
    from routed`;
}

function insertOrdersSql(): string {
  const slug = `translate(lower(customer_name), 'éèêëàâîïôöûüç ''', 'eeeeaaiioouuc.')`;
  return `
    insert into orders (id, merchant_id, reference, amount_minor, currency, status, customer_name, customer_email, customer_phone,
      customer_country, locale, paid_at, created_at, updated_at)
    select g.order_id, g.merchant_id, g.reference, g.amount, m.currency,
      case when g.outcome in ('paid', 'refunded', 'partially_refunded') then g.outcome::text::order_status
           when g.outcome = 'cancelled' then 'cancelled'::order_status else 'open'::order_status end,
      g.customer_name,
      case when g.r_email < 0.75 then ${slug} || g.c || '@' || case m.country when 'KE' then 'example.co.ke' else 'example.ci' end end,
      g.customer_phone, m.country, m.default_locale,
      case when g.outcome in ('paid', 'refunded', 'partially_refunded') then g.created_at + (g.attempts - 1) * interval '4 minutes' + (15 + 300 * g.r_conf * g.r_conf) * interval '1 second' end,
      g.created_at, g.created_at
    from bench_gen g join merchants m on m.id = g.merchant_id
    order by g.created_at`;
}

const FAILURE: Record<string, [string, string]> = {
  cinetpay: ["600", "PAYMENT_FAILED"],
  "orange-money": ["FAILED", "FAILED"],
  kkiapay: ["insufficient_fund", "Solde insuffisant"],
  ipay: ["fe2707etr5s4wq", "Failed: not all parameters fulfilled"],
};

function insertPaymentsSql(now: Date): string {
  const failureCase = (k: 0 | 1) => `case g.provider ${Object.entries(FAILURE).map(([p, f]) => `when ${lit(p)} then ${lit(f[k])}`).join(" ")} end`;
  const payRef = base34(`((g.mi * 10000000 + g.i * 2 + n) * 2654435761) % ${34 ** 10}`, 10);
  return `
    insert into payments (id, order_id, merchant_id, provider_account_id, provider, method, reference, provider_reference, amount_minor, currency,
      status, failure_code, failure_message, fee_reported_minor, fee_estimated_minor, net_minor, settlement_date, settlement_reported,
      customer_phone, expires_at, paid_at, last_checked_at, next_check_at, check_attempts, created_at, updated_at)
    select 'pay_' || substr(md5('p:' || g.order_id || ':' || n), 1, 22), g.order_id, g.merchant_id, pa.id, g.provider, g.method,
      'CS' || to_char(x.started at time zone 'UTC', 'YYMMDD') || ${payRef},
      case when x.decided then case when g.provider = 'ipay' then 'QK' || ${base34(`(g.i * 48271 + n * 7 + 11) % ${34 ** 8}`, 8)}
                                     else 'MP' || to_char(x.started at time zone 'UTC', 'YYMMDD') || lpad(((g.i * 48271 + n) % 10000000000)::text, 10, '0') end end,
      g.amount, m.currency, x.status,
      case when x.status = 'failed' then ${failureCase(0)} end,
      case when x.status = 'failed' then ${failureCase(1)} end,
      case when x.collected and g.provider = 'kkiapay' then x.fee end,
      case when x.collected then x.fee end,
      case when x.collected then g.amount - x.fee end,
      case when x.collected then x.friday + pa.settlement_delay_days + 2 * ((x.weekday - 1 + pa.settlement_delay_days) / 5) end,
      x.collected and g.provider = 'cinetpay',
      g.customer_phone,
      case when g.provider = 'orange-money' then x.started + interval '10 minutes' end,
      case when x.collected then x.confirmed end,
      case when x.decided then x.confirmed else x.started end,
      case when x.decided then null else ${lit(now.toISOString())}::timestamptz + interval '1 minute' end,
      case when x.decided then 0 else floor(g.r_checks * 5)::int end,
      x.started,
      case when x.decided then x.confirmed else x.started end
    from bench_gen g
    join merchants m on m.id = g.merchant_id
    join provider_accounts pa on pa.merchant_id = g.merchant_id and pa.provider = g.provider
    cross join lateral generate_series(0, g.attempts - 1) n
    cross join lateral (
      select s.status, s.status in ('paid', 'refunded', 'partially_refunded') as collected,
        s.status not in ('created', 'pending', 'waiting_for_customer') as decided,
        g.created_at + n * interval '4 minutes' as started,
        g.created_at + n * interval '4 minutes' + (15 + 300 * g.r_conf * g.r_conf) * interval '1 second' as confirmed,
        (g.amount * pa.fee_rate_bps + 5000) / 10000 + pa.fee_fixed_minor as fee,
        -- T+N business days in closed form: a weekend day counts from the Friday before it, then
        -- every 5 business days crossed add a weekend (lib/payments/settlement.ts, re-checked below).
        c.day - greatest(c.isodow - 5, 0) as friday, least(c.isodow, 5) as weekday
      from (select case when n < g.attempts - 1 then 'failed'::payment_status else g.outcome end as status) s,
        lateral (select d as day, extract(isodow from d)::int as isodow
                 from (select ((g.created_at + n * interval '4 minutes' + (15 + 300 * g.r_conf * g.r_conf) * interval '1 second') at time zone m.time_zone)::date as d) dd) c
    ) x
    order by x.started`;
}

/** The SQL's fees and settlement dates must be the app's: re-check a sample with the TS functions. */
async function verifySample(sql: postgres.Sql) {
  const rows = await sql<{ amount: string; bps: number; fixed: string; fee: string; paid_at: Date; delay: number; settlement: string; zone: string }[]>`
    select p.amount_minor as amount, pa.fee_rate_bps as bps, pa.fee_fixed_minor as fixed, p.fee_estimated_minor as fee,
      p.paid_at, pa.settlement_delay_days as delay, p.settlement_date::text as settlement, m.time_zone as zone
    from payments p join provider_accounts pa on pa.id = p.provider_account_id join merchants m on m.id = p.merchant_id
    where p.status = 'paid' and p.reference like 'CS%' and p.reference not like 'CSDEMO%' and p.reference not like 'CSAUTRE%'
    order by p.id limit 500`;
  if (rows.length < 100) throw new Error(`seed-scale: only ${rows.length} paid payments to verify`);
  for (const r of rows) {
    const fee = estimateFee(Number(r.amount), { feeRateBps: r.bps, feeFixedMinor: Number(r.fixed) });
    const date = estimateSettlementDate(r.paid_at, r.delay, r.zone);
    if (fee !== Number(r.fee) || date !== String(r.settlement)) {
      throw new Error(`seed-scale: SQL disagrees with lib/payments (amount ${r.amount}: fee ${r.fee} vs ${fee}, settlement ${r.settlement} vs ${date})`);
    }
  }
}
